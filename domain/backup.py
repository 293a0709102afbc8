"""Backups of the database: ``opstap backup PATH`` and ``opstap restore PATH``.

SQLite: the online backup API (a consistent copy while the app keeps running). PostgreSQL: ``pg_dump`` in its
custom format and ``pg_restore --clean``. The password travels in the environment (PGPASSWORD), never in the
process list. The search indexes are not backed up: they are rebuilt from the database after a restore.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why."""


def _sqlite_file(url) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _pg(url) -> tuple[list[str], dict]:
    """Connection options and environment for the PostgreSQL client programs."""
    options = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432),
               "--username", url.username or "postgres", "--dbname", url.database]
    environment = {**os.environ, "PGPASSWORD": url.password or ""}
    return options, environment


def _run(program: str, arguments: list[str], environment: dict) -> None:
    binary = shutil.which(program)
    if binary is None:
        raise BackupError(f"{program} is not installed (Debian: apt-get install postgresql-client)")
    done = subprocess.run([binary, *arguments], env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()[-500:]}")


def backup(database_url: str, path: str | os.PathLike[str]) -> Path:
    """Write a consistent copy of the database to ``path`` (which must not exist yet)."""
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_file(url))
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        options, environment = _pg(url)
        _run("pg_dump", [*options, "--format", "custom", "--no-owner", "--file", str(target)], environment)
    else:
        raise BackupError(f"no backup method for {url.get_backend_name()}")
    return target


def restore(database_url: str, path: str | os.PathLike[str]) -> None:
    """Replace the database's content with the backup at ``path``. Stop the app first."""
    source_path = Path(path)
    if not source_path.is_file():
        raise BackupError(f"{source_path} is not a file")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        live = sqlite3.connect(_sqlite_file(url))
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source_path} is not an intact SQLite database")
            with live:
                source.backup(live)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source_path} is not a SQLite backup: {error}") from None
        finally:
            live.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        options, environment = _pg(url)
        _run("pg_restore", [*options, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                            str(source_path)], environment)
    else:
        raise BackupError(f"no restore method for {url.get_backend_name()}")
