"""The managed Meilisearch dies with the app by any signal, and comes back by itself while the app runs."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import select

from domain.services.outbox import enqueue
from domain.tables import OutboxEntry, Skill
from search.documents import skill_key
from search.runtime import start_search, supervise_once
from search.sync import drain, drain_once

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 30


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")  # dead, waiting for whoever adopted it to reap it


def _wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_meilisearch_dies_when_the_app_is_killed_with_sigkill(tmp_path):
    app = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time\n"
            "from search.runtime import start_search\n"
            "runtime = start_search(__import__('pathlib').Path(sys.argv[1]), None, None)\n"
            "print(runtime.server.pid, flush=True)\n"
            "time.sleep(600)\n"), str(tmp_path)],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        child = int(app.stdout.readline())
        assert not _gone(child)
        os.kill(app.pid, signal.SIGKILL)  # no handler, no clean-up: only the kernel can take the child along
        app.wait(WAIT_S)
        _wait_until(lambda: _gone(child), "Meilisearch outlived the app")
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


def test_a_dead_meilisearch_is_restarted_and_the_outbox_catches_up(tmp_path, connection, session):
    runtime = start_search(tmp_path, None, None, index_prefix="sup_")
    try:
        assert runtime.search is not None and runtime.server is not None
        skill = session.exec(select(Skill).order_by(Skill.uri).limit(1)).one()
        os.kill(runtime.server.pid, signal.SIGKILL)
        _wait_until(lambda: not runtime.server.running, "the server did not die")

        skill.labels = {**skill.labels, "en": "changed while search was down"}
        session.add(skill)
        enqueue(session, "skills", skill.uri)
        session.flush()
        assert drain_once(connection, runtime.search) == 0  # fails, waits to be retried
        waiting = session.exec(select(OutboxEntry).where(OutboxEntry.done_at == None)).one()  # noqa: E711
        assert waiting.last_error

        assert supervise_once(runtime, connection) == "restarted"
        assert runtime.server.running and runtime.search.healthy()
        assert drain(connection, runtime.search) == 1  # due again at once: no waiting out the back-off
        document = runtime.search.writer.index(runtime.search.index_name("skills")).get_document(skill_key(skill.uri))
        assert document.label_en == "changed while search was down"
        assert supervise_once(runtime, connection) == "ok"
    finally:
        runtime.close()
