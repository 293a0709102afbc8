"""Two (here: eight) candidates accept the same offer at the same moment: never more acceptances than places.

Real threads, each with its own engine and connection, against a real committed database made for this
test (a SQLite file; a scratch PostgreSQL database, created and dropped here). The count of accepted
requests is slowed down on purpose, so that without the lock on the offer row every thread would see
free places and accept.
"""

import os
import threading
import time
import uuid

import pytest
from sqlalchemy import func, text
from sqlalchemy.exc import OperationalError
from sqlmodel import select

import domain.services.interest as interest
from domain.accounts import Role
from domain.db import make_engine, session_scope
from domain.migrate import upgrade
from domain.tables import Consent, InterestRequest, Offer, Placement
from seed.builders import (
    builder_links,
    candidate_login,
    make_candidate,
    make_employer,
    make_interest,
    make_offer,
    make_user,
)

CONTENDERS = 8
PLACES = 2
ROUNDS = 3
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _postgres_admin_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url.rsplit("/", 1)[0] + "/postgres" if url.startswith("postgresql") else PG_ADMIN


@pytest.fixture(params=["sqlite", "postgresql"])
def committed_database(request, tmp_path):
    """The URL of a fresh, migrated database of its own; removed afterwards."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    admin_url = _postgres_admin_url()
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"opstap_race_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        admin.dispose()
        pytest.skip("no PostgreSQL server reachable for the race test")
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _prepare(url: str) -> tuple[int, list[tuple[object, int]]]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        employer = make_employer(session)
        coach = make_user(session, role=Role.COACH)
        offer_id = make_offer(session, employer, publish=True, places=PLACES)
        contenders = []
        for _ in range(CONTENDERS):
            candidate = make_candidate(session, coach)
            sent = make_interest(session, employer, offer_id, candidate.ref)
            contenders.append((candidate_login(session, candidate.id), sent.id))
    engine.dispose()
    return offer_id, contenders


def _slow_count(original):
    def counted(session, offer_id):
        result = original(session, offer_id)
        time.sleep(0.05)  # widen the window between reading the free places and taking one
        return result

    return counted


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_simultaneous_acceptances_never_exceed_the_places(committed_database, monkeypatch, round_):
    offer_id, contenders = _prepare(committed_database)
    monkeypatch.setattr(interest, "_accepted_count", _slow_count(interest._accepted_count))
    barrier = threading.Barrier(CONTENDERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept_now(actor, request_id):
        engine = make_engine(committed_database)  # each contender: its own engine and connection
        try:
            barrier.wait(timeout=30)
            with session_scope(engine) as session:
                interest.accept_interest(session, actor, request_id, confirmed=True, links=builder_links())
            outcome = "accepted"
        except interest.NoPlaceLeft:
            outcome = "full"
        except Exception as error:  # noqa: BLE001 - reported below
            outcome = f"error: {type(error).__name__}: {error}"
        finally:
            engine.dispose()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=accept_now, args=contender) for contender in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == ["accepted"] * PLACES + ["full"] * (CONTENDERS - PLACES), outcomes
    engine = make_engine(committed_database)
    try:
        with session_scope(engine) as session:
            accepted = session.exec(select(func.count()).select_from(InterestRequest).where(
                InterestRequest.offer_id == offer_id, InterestRequest.state == "accepted")).one()
            placements = session.exec(select(func.count()).select_from(Placement).where(Placement.offer_id == offer_id)).one()
            consents = session.exec(select(func.count()).select_from(Consent)).one()
            assert (accepted, placements, consents) == (PLACES, PLACES, PLACES)
            assert session.get(Offer, offer_id).status == "filled"
    finally:
        engine.dispose()
