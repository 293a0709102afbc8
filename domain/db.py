"""Engines and units of work. One ``session_scope`` per unit of work, never a global session."""

from collections.abc import Iterator
from contextlib import contextmanager

import orjson
from sqlalchemy import Connection, Engine, create_engine, event
from sqlmodel import Session


def make_engine(url: str) -> Engine:
    """JSON columns are read with orjson: a full reindex parses two lists per candidate."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               json_deserializer=orjson.loads)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # Let SQLAlchemy, not pysqlite, issue BEGIN, so savepoints and transactional DDL work.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # A pool as large as a worker's request threads (8) and background tasks use at once: SQLAlchemy's default
    # (5 kept) opened and closed a PostgreSQL connection, a new server process, on most requests under load.
    return create_engine(url, pool_pre_ping=True, pool_size=12, max_overflow=8, json_deserializer=orjson.loads)


@contextmanager
def session_scope(bind: Engine | Connection) -> Iterator[Session]:
    """Commit on success, roll back otherwise.

    ``bind`` may be a Connection inside an outer transaction (tests): the session then
    works in a savepoint and the outer transaction decides what is kept.
    """
    with Session(bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint") as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
