"""With the database unreachable, pages answer with a friendly 503 page and the API with its JSON error shape.

The unreachable database is a real PostgreSQL URL on a port where nothing listens (connection refused), as during
a restart. Recovery after a PostgreSQL that really stops for 10 s and starts again is
tests/integration/test_database_restart.py.
"""

import pytest
from starlette.testclient import TestClient

from domain.db import make_engine
from search.server import free_port
from seed.builders import make_employer
from tests.conftest import log_in
from web.app import create_app

DEAD = "postgresql+psycopg://postgres:postgres@127.0.0.1:{port}/opstap"


@pytest.fixture
def outage(settings):
    engine = make_engine(DEAD.format(port=free_port()))
    app = create_app(settings, db=engine)
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        yield client
    engine.dispose()


def test_a_page_during_an_outage_is_a_friendly_503(client, session, outage):
    employer = make_employer(session)
    session.flush()
    log_in(client, employer.email)
    for name, value in client.cookies.items():
        outage.cookies.set(name, value)

    response = outage.get("/offers")

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "Temporarily unavailable" in response.text
    assert "Nothing you saved before is lost" in response.text


def test_a_page_during_an_outage_speaks_the_users_language(outage, client, session):
    employer = make_employer(session)
    session.flush()
    log_in(client, employer.email)
    for name, value in client.cookies.items():
        outage.cookies.set(name, value)
    response = outage.get("/offers", headers={"Accept-Language": "nl-BE"})
    assert response.status_code == 503
    assert "Tijdelijk niet beschikbaar" in response.text


def test_the_api_during_an_outage_answers_json(outage):
    response = outage.get("/api/v1/offers", headers={"Authorization": "Bearer opstap_" + "x" * 40})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "database_unavailable"
