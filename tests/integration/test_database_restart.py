"""PostgreSQL really stops for 10 seconds and starts again: requests meanwhile get the friendly 503 (JSON under /api),
and afterwards the app answers and saves by itself, without a restart: connections that died with the server are
discarded, not reused.

The PostgreSQL is a private cluster of this test (initdb into a temporary folder, its own port), so stopping it
touches nothing else. PostgreSQL's tools refuse to run as root; as root they run as the ``postgres`` user.
"""

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from starlette.testclient import TestClient

from domain.db import make_engine, session_scope
from domain.migrate import upgrade
from search.server import free_port
from seed.builders import make_employer, make_offer
from tests.conftest import log_in
from web.app import create_app

OUTAGE_SECONDS = 10


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    path = Path(found[-1]).parent if found else (Path(shutil.which("pg_ctl")).parent if shutil.which("pg_ctl") else None)
    assert path is not None, "PostgreSQL's server tools (pg_ctl, initdb) are needed: .ci/postgres.sh installs them"
    return path


class PrivatePostgres:
    def __init__(self):
        self.bin = _postgres_bin()
        self.root = Path(tempfile.mkdtemp(prefix="opstap-pg-"))
        self.data, self.port = self.root / "data", free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        self.start()
        with psycopg.connect(self.url("postgres").replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute("CREATE DATABASE opstap")

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def url(self, database: str = "opstap") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def private_postgres():
    cluster = PrivatePostgres()
    yield cluster
    cluster.remove()


def test_after_a_ten_second_stop_the_app_recovers_by_itself(private_postgres, settings, search):
    engine = make_engine(private_postgres.url())
    upgrade(engine)
    with session_scope(engine) as session:
        employer = make_employer(session)
        make_offer(session, employer, publish=True, title="Before the outage")
    app = create_app(settings, db=engine, search=search)
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        log_in(client, employer.email)
        assert "Before the outage" in client.get("/offers").text

        private_postgres.stop()
        stopped = time.monotonic()
        during = client.get("/offers")
        assert during.status_code == 503 and "Temporarily unavailable" in during.text
        api = client.get("/api/v1/offers", headers={"Authorization": "Bearer opstap_" + "x" * 40})
        assert api.status_code == 503 and api.json()["error"]["code"] == "database_unavailable"
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped)))
        assert client.get("/offers").status_code == 503  # still down after 10 s
        private_postgres.start()

        after = client.get("/offers")  # the same app, the same signed-in session (it lives in the database)
        assert after.status_code == 200 and "Before the outage" in after.text
        with session_scope(engine) as session:  # and it saves again
            make_offer(session, employer, title="After the outage")
        assert "After the outage" in client.get("/offers").text
    engine.dispose()
