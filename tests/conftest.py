"""Shared test set-up: a migrated database per run, a rolled-back transaction per test.

``TEST_DATABASE_URL`` selects PostgreSQL; otherwise a SQLite file in a temporary folder.
"""

import os
import re

import pytest
from sqlalchemy import text
from sqlmodel import Session
from starlette.testclient import TestClient

from domain.db import make_engine, session_scope
from domain.migrate import upgrade
from domain.services.reference import load_esco
from seed.builders import DEFAULT_PASSWORD
from web.app import create_app
from web.settings import Settings


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)
    with session_scope(engine) as session:
        load_esco(session)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine):
    """One connection in an outer transaction that is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def session(connection):
    with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
        yield session
        session.flush()


@pytest.fixture
def settings(tmp_path, database_url) -> Settings:
    return Settings(data_dir=tmp_path, database_url=database_url, secret_key="test-secret-key-" + "x" * 32)


@pytest.fixture
def app(settings, connection):
    return create_app(settings, db=connection)


@pytest.fixture
def client(app):
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        yield client


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: TestClient, path: str = "/login") -> str:
    match = CSRF_RE.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def log_in(client: TestClient, email: str, password: str = DEFAULT_PASSWORD):
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_of(client)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return response
