"""Placements (SPEC §5): planned → active → completed | ended early; who may move them.

The expected table is written out here, not imported. Planned → ended early is our addition: a
placement that never starts can be called off, with a reason, instead of staying planned for ever.
"""

import pytest

from domain.placement import PlacementState, next_placement_state, placement_actions
from domain.transitions import Party, TransitionRefused

P = PlacementState
ACTIONS = ("start", "complete", "end_early")

EXPECTED = {
    (P.PLANNED, "start", Party.EMPLOYER): P.ACTIVE,
    (P.PLANNED, "end_early", Party.EMPLOYER): P.ENDED_EARLY,
    (P.PLANNED, "end_early", Party.COACH): P.ENDED_EARLY,
    (P.ACTIVE, "complete", Party.EMPLOYER): P.COMPLETED,
    (P.ACTIVE, "end_early", Party.EMPLOYER): P.ENDED_EARLY,
    (P.ACTIVE, "end_early", Party.COACH): P.ENDED_EARLY,
}
ALL = [(state, action, party) for state in PlacementState for action in ACTIONS for party in Party]
REFUSED = [triple for triple in ALL if triple not in EXPECTED]


@pytest.mark.parametrize(("state", "action", "party"), list(EXPECTED))
def test_allowed_transition_gives_the_new_state(state, action, party):
    assert next_placement_state(state, action, party) == EXPECTED[(state, action, party)]


@pytest.mark.parametrize(("state", "action", "party"), REFUSED)
def test_every_other_transition_is_refused(state, action, party):
    with pytest.raises(TransitionRefused) as refused:
        next_placement_state(state, action, party)
    assert (refused.value.state, refused.value.action, refused.value.party) == (state, action, party)


def test_every_triple_is_either_allowed_or_refused():
    assert len(EXPECTED) + len(REFUSED) == len(PlacementState) * len(ACTIONS) * len(Party) == 60


@pytest.mark.parametrize("state", [P.COMPLETED, P.ENDED_EARLY])
def test_finished_placements_are_final(state):
    for action in ACTIONS:
        for party in Party:
            with pytest.raises(TransitionRefused):
                next_placement_state(state, action, party)


@pytest.mark.parametrize(("state", "party", "actions"), [
    (P.PLANNED, Party.EMPLOYER, ["start", "end_early"]),
    (P.PLANNED, Party.COACH, ["end_early"]),
    (P.ACTIVE, Party.EMPLOYER, ["complete", "end_early"]),
    (P.ACTIVE, Party.COACH, ["end_early"]),
    (P.ACTIVE, Party.MENTOR, []),
    (P.COMPLETED, Party.EMPLOYER, []),
])
def test_actions_offered(state, party, actions):
    assert placement_actions(state, party) == actions
