"""A placement that starts takes the candidate out of matching for its duration: out of the index through the
outbox, back in when the placement ends, completed or early (issue 17)."""

from domain.accounts import Role
from domain.placement import Outcome, OutcomeInput
from domain.services.placements import (
    complete_placement,
    end_placement_early,
    nominate_mentor,
    start_placement,
)
from search.sync import drain
from seed.builders import (
    accept,
    builder_links,
    candidate_login,
    make_candidate,
    make_employer,
    make_interest,
    make_offer,
    make_user,
    mentor_input,
)


def _indexed(search) -> set[str]:
    index = search.writer.index(search.index_name("candidates"))
    return {str(d.id) for d in index.get_documents({"limit": 1000}).results}


def _started(session, employer, offer, candidate, email):
    sent = make_interest(session, employer, offer, candidate.ref)
    placement = accept(session, candidate_login(session, candidate.id), sent.id).placement_id
    nominate_mentor(session, employer, placement, mentor_input(email=email), links=builder_links())
    start_placement(session, employer, placement)
    session.flush()
    return placement


def test_a_started_placement_takes_the_candidate_out_until_it_ends(session, connection, search):
    employer = make_employer(session, organisation="WZC Matching")
    coach = make_user(session, role=Role.COACH)
    offer = make_offer(session, employer, publish=True, places=2)
    at_work = make_candidate(session, coach)
    waiting = make_candidate(session, coach)
    session.flush()
    drain(connection, search)
    assert {str(at_work.id), str(waiting.id)} <= _indexed(search)

    placement = _started(session, employer, offer, at_work, "m1@wzc.example")
    drain(connection, search)
    assert str(at_work.id) not in _indexed(search) and str(waiting.id) in _indexed(search)

    complete_placement(session, employer, placement, OutcomeInput(Outcome.NO_HIRE))
    session.flush()
    drain(connection, search)
    assert str(at_work.id) in _indexed(search)  # the placement ended: matched again


def test_ending_early_brings_the_candidate_back(session, connection, search):
    employer = make_employer(session, organisation="WZC Early")
    coach = make_user(session, role=Role.COACH)
    offer = make_offer(session, employer, publish=True)
    candidate = make_candidate(session, coach)
    session.flush()
    placement = _started(session, employer, offer, candidate, "m2@wzc.example")
    drain(connection, search)
    assert str(candidate.id) not in _indexed(search)
    end_placement_early(session, employer, placement, "personal")
    session.flush()
    drain(connection, search)
    assert str(candidate.id) in _indexed(search)
