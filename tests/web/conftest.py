"""Fixtures shared by the web tests: extra browsers and a signed-in employer."""

import pytest
from starlette.testclient import TestClient

from domain.accounts import Actor
from seed.builders import make_employer
from tests.conftest import log_in


@pytest.fixture
def browser(app):
    """A factory of extra, independent browsers (cookie jars) on the same app."""
    clients = []

    def make() -> TestClient:
        client = TestClient(app, base_url="http://testserver", raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def employer(session) -> Actor:
    actor = make_employer(session, organisation="Ziekenhuis Oost")
    session.flush()
    return actor


@pytest.fixture
def employer_client(client, employer) -> TestClient:
    """The default client, signed in as ``employer``."""
    log_in(client, employer.email)
    return client

