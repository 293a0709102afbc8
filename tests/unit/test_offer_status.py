"""Offer life cycle (SPEC §2): draft → published → paused ↔ published → closed; filled; closing is final.

The expected table is written out here, not imported, so the test checks the rules
against the specification rather than against themselves.
"""

import pytest

from domain.offers import OfferStatus, TransitionRefused, allowed_actions, next_status

S = OfferStatus
ACTIONS = ("publish", "pause", "close", "fill")

EXPECTED = {
    (S.DRAFT, "publish"): S.PUBLISHED,
    (S.DRAFT, "close"): S.CLOSED,
    (S.PUBLISHED, "pause"): S.PAUSED,
    (S.PUBLISHED, "close"): S.CLOSED,
    (S.PUBLISHED, "fill"): S.FILLED,
    (S.PAUSED, "publish"): S.PUBLISHED,
    (S.PAUSED, "close"): S.CLOSED,
    (S.FILLED, "close"): S.CLOSED,
}
ALL_PAIRS = [(status, action) for status in OfferStatus for action in ACTIONS]
REFUSED = [pair for pair in ALL_PAIRS if pair not in EXPECTED]


@pytest.mark.parametrize(("status", "action"), list(EXPECTED))
def test_allowed_transition_gives_the_new_status(status, action):
    assert next_status(status, action) == EXPECTED[(status, action)]


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_other_transitions_are_refused(status, action):
    with pytest.raises(TransitionRefused) as refused:
        next_status(status, action)
    assert refused.value.status == status
    assert refused.value.action == action


def test_every_pair_is_either_allowed_or_refused():
    assert len(EXPECTED) + len(REFUSED) == len(OfferStatus) * len(ACTIONS)


def test_status_given_as_plain_string_is_accepted():
    assert next_status("draft", "publish") == OfferStatus.PUBLISHED


def test_unknown_action_is_refused():
    with pytest.raises(TransitionRefused):
        next_status(OfferStatus.PUBLISHED, "delete")


@pytest.mark.parametrize("action", ACTIONS)
def test_closed_is_final(action):
    with pytest.raises(TransitionRefused):
        next_status(OfferStatus.CLOSED, action)


@pytest.mark.parametrize(("status", "actions"), [
    (S.DRAFT, ["publish", "close"]),
    (S.PUBLISHED, ["pause", "close"]),
    (S.PAUSED, ["publish", "close"]),
    (S.FILLED, ["close"]),
    (S.CLOSED, []),
])
def test_allowed_actions_lists_only_employer_actions(status, actions):
    assert allowed_actions(status) == actions


@pytest.mark.parametrize("status", list(OfferStatus))
def test_fill_is_never_offered_to_the_employer(status):
    assert "fill" not in allowed_actions(status)


@pytest.mark.parametrize("status", list(OfferStatus))
def test_every_listed_action_is_allowed(status):
    for action in allowed_actions(status):
        next_status(status, action)
