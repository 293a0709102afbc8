"""``opstap run --workers 2``: uvicorn's process manager runs two app processes sharing one managed Meilisearch,
which dies with the process that started it, however it dies; the other process then takes it over."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from search.server import free_port

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 120


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def _wait_until(condition, what: str):
    deadline = time.monotonic() + WAIT_S
    while not (result := condition()):
        assert time.monotonic() < deadline, what
        time.sleep(0.2)
    return result


def _ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _meili_owners(manager: int) -> dict[int, int]:
    """worker pid -> its Meilisearch child pid."""
    owners = {}
    for worker in _children(manager):
        for child in _children(worker):
            if "meilisearch" in _command(child) and _alive(child):
                owners[worker] = child
    return owners


def test_two_worker_processes_share_one_meilisearch_that_survives_a_killed_worker(tmp_path):
    port = free_port()
    environment = {**os.environ, "OPSTAP_DATA_DIR": str(tmp_path)}
    manager = subprocess.Popen([sys.executable, "-m", "web.cli", "run", "--workers", "2", "--port", str(port)],
                               cwd=REPO, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    new: dict[int, int] = {}
    try:
        _wait_until(lambda: _ok(f"http://127.0.0.1:{port}/login"), "the app did not start")
        workers = _wait_until(lambda: [p for p in _children(manager.pid) if "spawn_main" in _command(p)]
                              if len([p for p in _children(manager.pid) if "spawn_main" in _command(p)]) == 2 else None,
                              "not two worker processes")
        owners = _wait_until(lambda: _meili_owners(manager.pid), "no Meilisearch")
        assert len(owners) == 1, owners  # one server for the data directory, not one per worker
        (owner, meili), = owners.items()
        assert owner in workers

        os.kill(owner, signal.SIGKILL)

        _wait_until(lambda: not _alive(meili), "Meilisearch outlived the worker that started it")
        new = _wait_until(lambda: _meili_owners(manager.pid), "nobody took Meilisearch over")
        assert len(new) == 1 and meili not in new.values()
        _wait_until(lambda: _ok(f"http://127.0.0.1:{port}/login"), "the app stopped answering")
    finally:
        manager.send_signal(signal.SIGTERM)
        try:
            manager.wait(60)
        except subprocess.TimeoutExpired:
            manager.kill()
            manager.wait()
    for pid in new.values():
        _wait_until(lambda: not _alive(pid), "Meilisearch outlived the app")  # noqa: B023 - used at once
