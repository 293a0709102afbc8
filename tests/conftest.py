"""Shared test set-up: a migrated database per run, a rolled-back transaction per test.

``TEST_DATABASE_URL`` selects PostgreSQL; otherwise a SQLite file in a temporary folder.
"""

import os
import re
import uuid

import pytest
from sqlalchemy import text
from sqlmodel import Session
from starlette.testclient import TestClient

from domain.db import make_engine, session_scope
from domain.migrate import upgrade
from domain.services.reference import load_esco
from search.client import Search, admin_client, ensure_scoped_keys
from search.index_settings import apply_settings
from search.server import MeiliServer
from search.sync import reindex
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
    with engine.begin() as connection:  # the ESCO skills are indexed once, by ``shared_search``
        connection.execute(text("UPDATE outboxentry SET done_at = CURRENT_TIMESTAMP"))
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


@pytest.fixture(scope="session")
def meili(tmp_path_factory):
    """The real Meilisearch binary on a free port with a temporary data directory."""
    with MeiliServer(tmp_path_factory.mktemp("meili")) as server:
        yield server


@pytest.fixture(scope="session")
def meili_keys(meili):
    return ensure_scoped_keys(admin_client(meili.url, meili.master_key))


@pytest.fixture
def search(meili, meili_keys) -> Search:
    """Scoped clients with index names unique to this test, settings applied, indexes empty."""
    if not meili.running:  # a test that stopped the server and failed before restarting it
        meili.start()
    search = Search.from_keys(meili.url, meili_keys, index_prefix=f"t{uuid.uuid4().hex[:10]}_")
    apply_settings(search.writer, search.index_prefix)
    return search


@pytest.fixture(scope="session")
def shared_search(meili, meili_keys, engine) -> Search:
    """Indexes shared by the web tests, read-only: the ESCO skills and occupations, indexed once."""
    search = Search.from_keys(meili.url, meili_keys, index_prefix="shared_")
    reindex(engine, search, indexes=["skills", "occupations"], progress=lambda label, total: lambda done: None)
    return search


@pytest.fixture
def settings(tmp_path, database_url) -> Settings:
    return Settings(data_dir=tmp_path, database_url=database_url, secret_key="test-secret-key-" + "x" * 32)


@pytest.fixture
def app(settings, connection, shared_search, meili):
    if not meili.running:
        meili.start()
    return create_app(settings, db=connection, search=shared_search)


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
