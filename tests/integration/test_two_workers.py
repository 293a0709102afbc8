"""Two app processes on one database (SPEC §7 Scale): no in-process state that breaks with two workers.

Each ``create_app`` call stands for one worker; both share the test's database connection.
"""

import pytest
from starlette.testclient import TestClient

from seed.builders import DEFAULT_PASSWORD, make_employer
from tests.conftest import csrf_of
from web.app import create_app


@pytest.fixture
def workers(settings, connection):
    apps = [create_app(settings, db=connection), create_app(settings, db=connection)]
    clients = [TestClient(app, base_url="http://testserver", raise_server_exceptions=False) for app in apps]
    for client in clients:
        client.__enter__()
    yield clients
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def employer(session):
    actor = make_employer(session, email="worker@example.be")
    session.flush()
    return actor


def move_cookies(source: TestClient, target: TestClient) -> None:
    """The browser sends the same cookies whichever worker the load balancer picks."""
    target.cookies.clear()
    for name, value in source.cookies.items():
        target.cookies.set(name, value)


def test_a_session_started_on_one_worker_is_valid_on_the_other(workers, employer):
    first, second = workers
    token = csrf_of(first, "/login")
    response = first.post("/login", data={"email": employer.email, "password": DEFAULT_PASSWORD,
                                          "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303

    move_cookies(first, second)
    page = second.get("/offers", follow_redirects=False)
    assert page.status_code == 200
    assert employer.name in page.text


def test_a_csrf_token_from_one_worker_is_accepted_by_the_other(workers, employer):
    first, second = workers
    token = csrf_of(first, "/login")
    move_cookies(first, second)
    response = second.post("/login", data={"email": employer.email, "password": DEFAULT_PASSWORD,
                                           "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303


def test_failed_logins_are_counted_across_workers(workers, employer):
    first, second = workers
    for attempt in range(5):
        client = workers[attempt % 2]
        response = client.post("/login", data={"email": employer.email, "password": "wrong-password",
                                               "csrf_token": csrf_of(client, "/login")})
        assert response.status_code == 400

    for client in (first, second):
        response = client.post("/login", data={"email": employer.email, "password": DEFAULT_PASSWORD,
                                               "csrf_token": csrf_of(client, "/login")}, follow_redirects=False)
        assert response.status_code != 303
        assert "Too many failed attempts" in response.text


def test_a_change_on_one_worker_is_seen_on_the_other(workers, employer):
    first, second = workers
    token = csrf_of(first, "/login")
    first.post("/login", data={"email": employer.email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    token = csrf_of(first, "/organisation")
    first.post("/organisation", data={"csrf_token": token, "name": "Renamed on worker 1", "sector": "Q",
                                      "postcode": "9000", "size": "", "engagement_statement": ""})
    move_cookies(first, second)
    assert "Renamed on worker 1" in second.get("/organisation").text
