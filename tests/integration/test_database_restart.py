"""PostgreSQL really stops for 10 seconds and starts again: requests meanwhile get the friendly 503 (JSON under /api),
and afterwards the app answers and saves by itself, without a restart: connections that died with the server are
discarded, not reused.

The PostgreSQL is a private cluster of this test (bench/postgres_cluster.py: initdb into a temporary folder, its own
port), so stopping it touches nothing else.
"""

import time

import pytest
from starlette.testclient import TestClient

from bench.postgres_cluster import PrivatePostgres
from domain.db import make_engine, session_scope
from domain.migrate import upgrade
from seed.builders import make_employer, make_offer
from tests.conftest import log_in
from web.app import create_app

OUTAGE_SECONDS = 10


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
