"""Interest requests (SPEC §5): requested → accepted | declined | withdrawn | expired, each by one party only.

The expected table is written out here, not imported, so the test checks the rules against the
specification. Every (state, action, party) triple is either allowed or refused.
"""

from datetime import UTC, datetime, timedelta

import pytest

from domain.interest import (
    InterestState,
    effective_state,
    expires_at,
    interest_actions,
    next_interest_state,
)
from domain.transitions import Party, TransitionRefused
from domain.validation import NotAllowed

S = InterestState
ACTIONS = ("accept", "decline", "withdraw", "expire")

EXPECTED = {
    (S.REQUESTED, "accept", Party.CANDIDATE): S.ACCEPTED,
    (S.REQUESTED, "decline", Party.CANDIDATE): S.DECLINED,
    (S.REQUESTED, "withdraw", Party.EMPLOYER): S.WITHDRAWN,
    (S.REQUESTED, "expire", Party.SYSTEM): S.EXPIRED,
}
ALL = [(state, action, party) for state in InterestState for action in ACTIONS for party in Party]
REFUSED = [triple for triple in ALL if triple not in EXPECTED]


@pytest.mark.parametrize(("state", "action", "party"), list(EXPECTED))
def test_allowed_transition_gives_the_new_state(state, action, party):
    assert next_interest_state(state, action, party) == EXPECTED[(state, action, party)]


@pytest.mark.parametrize(("state", "action", "party"), REFUSED)
def test_every_other_transition_is_refused(state, action, party):
    with pytest.raises(TransitionRefused) as refused:
        next_interest_state(state, action, party)
    assert (refused.value.state, refused.value.action, refused.value.party) == (state, action, party)
    assert isinstance(refused.value, NotAllowed)  # the web answers 403, the API 409


def test_every_triple_is_either_allowed_or_refused():
    assert len(EXPECTED) + len(REFUSED) == len(InterestState) * len(ACTIONS) * len(Party) == 100


@pytest.mark.parametrize("state", [s for s in InterestState if s != S.REQUESTED])
@pytest.mark.parametrize("action", ACTIONS)
def test_only_a_waiting_request_moves(state, action):
    for party in Party:
        with pytest.raises(TransitionRefused):
            next_interest_state(state, action, party)


@pytest.mark.parametrize(("party", "actions"), [
    (Party.CANDIDATE, ["accept", "decline"]), (Party.EMPLOYER, ["withdraw"]), (Party.SYSTEM, ["expire"]),
    (Party.COACH, []), (Party.MENTOR, []),
])
def test_actions_offered_to_each_party(party, actions):
    assert interest_actions(S.REQUESTED, party) == actions
    for state in InterestState:
        for action in interest_actions(state, party):
            next_interest_state(state, action, party)


def test_unknown_state_or_action_is_refused():
    with pytest.raises(TransitionRefused):
        next_interest_state("lost", "accept", Party.CANDIDATE)
    with pytest.raises(TransitionRefused):
        next_interest_state(S.REQUESTED, "delete", Party.EMPLOYER)


def test_expiry_is_applied_on_read():
    sent = datetime(2026, 3, 1, 9, tzinfo=UTC)
    end = expires_at(sent, 14)
    assert end == sent + timedelta(days=14)
    assert effective_state(S.REQUESTED, end, end - timedelta(seconds=1)) == S.REQUESTED
    assert effective_state(S.REQUESTED, end, end) == S.EXPIRED
    assert effective_state(S.ACCEPTED, end, end + timedelta(days=30)) == S.ACCEPTED  # decided ones stay
