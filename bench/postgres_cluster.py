"""A private PostgreSQL cluster (initdb into a temporary folder, its own port on 127.0.0.1) that a test or a fault
run may stop and start without touching any other database. PostgreSQL's tools refuse to run as root; as root they
run as the ``postgres`` user."""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from search.server import free_port


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
