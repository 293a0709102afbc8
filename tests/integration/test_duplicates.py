"""The database makes duplicates impossible, and a simultaneous second attempt gets a clear answer, never a 500.

One open interest request per (offer, candidate) is a partial unique index; one pin per (shortlist, candidate) the
shortlist's primary key; one placement per accepted request a unique column. The races are forced on PostgreSQL
(on SQLite every write transaction starts with BEGIN IMMEDIATE, so writers queue and the services' own checks see
the first write): the second sender does its check, then waits until the first has committed, then writes.
"""

import threading

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

import domain.services.interest as interest
import domain.services.proposals as proposals
from domain.accounts import Role
from domain.db import make_engine, session_scope
from domain.tables import InterestRequest, Placement, ShortlistEntry, User
from domain.validation import RuleBroken
from seed.builders import (
    builder_links,
    candidate_login,
    make_candidate,
    make_employer,
    make_interest,
    make_offer,
    make_user,
)
from tests.integration.test_acceptance_race import committed_database  # noqa: F401 - a fixture

WAIT = 30


def test_the_database_refuses_a_second_open_request_for_the_same_offer_and_candidate(session):
    employer = make_employer(session)
    coach = make_user(session, role=Role.COACH)
    offer_id = make_offer(session, employer, publish=True)
    candidate = make_candidate(session, coach)
    first = make_interest(session, employer, offer_id, candidate.ref)
    row = session.get(InterestRequest, first.id)
    duplicate = InterestRequest(offer_id=offer_id, candidate_id=row.candidate_id, organisation_id=row.organisation_id,
                                state="requested", expires_at=row.expires_at)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(duplicate)
        session.flush()
    # Once the first is withdrawn, a new request is allowed again.
    row.state = "withdrawn"
    session.add(row)
    session.flush()
    again = make_interest(session, employer, offer_id, candidate.ref)
    assert again.id != first.id


def test_the_database_refuses_a_second_placement_for_one_request(session):
    employer = make_employer(session)
    coach = make_user(session, role=Role.COACH)
    offer_id = make_offer(session, employer, publish=True)
    candidate = make_candidate(session, coach)
    sent = make_interest(session, employer, offer_id, candidate.ref)
    row = session.get(InterestRequest, sent.id)
    for attempt in range(2):
        placement = Placement(offer_id=offer_id, candidate_id=row.candidate_id, organisation_id=row.organisation_id,
                              interest_request_id=row.id)
        if attempt == 0:
            session.add(placement)
            session.flush()
        else:
            with pytest.raises(IntegrityError), session.begin_nested():
                session.add(placement)
                session.flush()


def _race(url, first, second, patch_target, monkeypatch):
    """Run ``first`` and ``second`` (each given a session) in two threads: ``second`` passes its check (the call to
    ``patch_target`` on ``module``), then waits until ``first`` has committed, then writes. Returns their outcomes."""
    module, name = patch_target
    original = getattr(module, name)
    second_checked, first_committed = threading.Event(), threading.Event()
    in_second = threading.local()

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        if getattr(in_second, "yes", False):
            second_checked.set()
            assert first_committed.wait(WAIT)
        return result

    monkeypatch.setattr(module, name, held)
    outcomes = {}

    def run(label, work):
        engine = make_engine(url)
        try:
            if label == "second":
                in_second.yes = True
            with session_scope(engine) as session:
                outcomes[label] = work(session)
                if label == "first":
                    assert second_checked.wait(WAIT)
            if label == "first":
                first_committed.set()
        except RuleBroken as error:
            outcomes[label] = error
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            outcomes[label] = error
        finally:
            first_committed.set()
            engine.dispose()

    threads = [threading.Thread(target=run, args=("first", first)), threading.Thread(target=run, args=("second", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    return outcomes


@pytest.mark.parametrize("committed_database", ["postgresql"], indirect=True)
def test_two_simultaneous_interest_requests_store_one_and_explain_the_other(committed_database, monkeypatch):  # noqa: F811 - the imported fixture
    engine = make_engine(committed_database)
    with session_scope(engine) as session:
        employer = make_employer(session)
        coach = make_user(session, role=Role.COACH)
        offer_id = make_offer(session, employer, publish=True)
        candidate = make_candidate(session, coach)
        candidate_login(session, candidate.id)  # has a login already: nothing else orders the two senders
        ref = candidate.ref
    engine.dispose()

    def send(session):
        return interest.send_interest(session, employer, offer_id, ref, "", links=builder_links(), expiry_days=14)

    # ``expires_at`` is computed after the check for an earlier request and before the row is written.
    outcomes = _race(committed_database, send, send, (interest, "expires_at"), monkeypatch)

    assert isinstance(outcomes["first"], interest.InterestSent), outcomes
    assert isinstance(outcomes["second"], RuleBroken), outcomes
    assert [v.message for v in outcomes["second"].violations] == ["You sent this candidate a request for this offer already."]
    engine = make_engine(committed_database)
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(InterestRequest)).one() == 1
    engine.dispose()


@pytest.mark.parametrize("committed_database", ["postgresql"], indirect=True)
def test_two_coaches_pinning_the_same_candidate_at_once_pin_it_once(committed_database, monkeypatch):  # noqa: F811 - the imported fixture
    engine = make_engine(committed_database)
    with session_scope(engine) as session:
        employer = make_employer(session)
        coach = make_user(session, role=Role.COACH)
        offer_id = make_offer(session, employer, publish=True)
        candidate_id = make_candidate(session, coach).id
    engine.dispose()

    def pin(session):
        return proposals.pin(session, coach, offer_id, candidate_id)

    # ``_entries`` reads the shortlist before the new pin is written.
    outcomes = _race(committed_database, pin, pin, (proposals, "_entries"), monkeypatch)

    for label in ("first", "second"):
        assert isinstance(outcomes[label], proposals.Shortlist), outcomes
    engine = make_engine(committed_database)
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(ShortlistEntry)).one() == 1
    engine.dispose()


@pytest.mark.parametrize("committed_database", ["postgresql"], indirect=True)
def test_two_employers_first_requests_to_one_candidate_at_once_both_arrive(committed_database, monkeypatch):  # noqa: F811 - the imported fixture
    """A candidate's first interest request creates their login. Two arriving at once (two employers, found by the
    load run as deadlocks and 503s) both get there, and the candidate gets one login."""
    engine = make_engine(committed_database)
    with session_scope(engine) as session:
        coach = make_user(session, role=Role.COACH)
        candidate = make_candidate(session, coach)
        senders = []
        for _ in range(2):
            employer = make_employer(session)
            senders.append((employer, make_offer(session, employer, publish=True)))
    engine.dispose()
    both_checked = threading.Barrier(2, timeout=WAIT)
    create_account = interest.ensure_candidate_account

    def after_both_checked(session, row):
        both_checked.wait()
        return create_account(session, row)

    monkeypatch.setattr(interest, "ensure_candidate_account", after_both_checked)
    outcomes = []

    def send(employer, offer_id):
        engine = make_engine(committed_database)
        try:
            with session_scope(engine) as session:
                outcomes.append(interest.send_interest(session, employer, offer_id, candidate.ref, "",
                                                       links=builder_links(), expiry_days=14))
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=send, args=sender) for sender in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)

    assert [type(o) for o in outcomes] == [interest.InterestSent] * 2, outcomes
    engine = make_engine(committed_database)
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(InterestRequest)).one() == 2
        assert session.exec(select(func.count()).select_from(User).where(User.role == Role.CANDIDATE)).one() == 1
    engine.dispose()
