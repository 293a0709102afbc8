"""State machines as data: ``{(state, action): (new_state, parties)}``, shared by interest requests and placements.

Pure: no I/O. A refused transition is ``NotAllowed`` (the web shows 403, the API 409).
"""

from enum import StrEnum

from domain.validation import NotAllowed


class Party(StrEnum):
    """Who acts on an interest request or a placement."""

    EMPLOYER = "employer"
    CANDIDATE = "candidate"
    COACH = "coach"
    MENTOR = "mentor"
    SYSTEM = "system"  # expiry


Transitions = dict[tuple[StrEnum, str], tuple[StrEnum, frozenset[Party]]]


class TransitionRefused(NotAllowed):
    def __init__(self, state: str, action: str, party: str, why: str):
        super().__init__(f"{party} cannot {action} in state {state} ({why})")
        self.state, self.action, self.party, self.why = state, action, party, why


def next_state(table: Transitions, states: type[StrEnum], state: str, action: str, party: str) -> StrEnum:
    """The state after ``party`` does ``action`` in ``state``; ``TransitionRefused`` when the table has no such move."""
    try:
        new_state, parties = table[(states(state), action)]
    except (KeyError, ValueError):
        raise TransitionRefused(state, action, party, "state") from None
    if party not in parties:
        raise TransitionRefused(state, action, party, "party")
    return new_state


def allowed_actions(table: Transitions, states: type[StrEnum], state: str, party: str) -> list[str]:
    """The actions ``party`` may take in ``state``, in the table's order."""
    return [action for (from_state, action), (_, parties) in table.items()
            if from_state == states(state) and party in parties]
