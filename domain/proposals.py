"""Shortlists and proposals: a coach proposes anonymised candidates to an employer's offer. Pure: no I/O.

The interest and consent flow (SPEC §5) comes later; what exists now is the proposal and the
employer's or candidate's "no", which must make the coach think twice before proposing again.
"""

from enum import StrEnum

from domain.validation import N_, Violation


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    DECLINED_BY_EMPLOYER = "declined_by_employer"
    DECLINED_BY_CANDIDATE = "declined_by_candidate"


PROPOSAL_STATUS_LABELS = {
    ProposalStatus.PROPOSED: N_("Proposed"),
    ProposalStatus.DECLINED_BY_EMPLOYER: N_("Turned down by the employer"),
    ProposalStatus.DECLINED_BY_CANDIDATE: N_("Declined by the candidate"),
}

# A "no" for this offer from either side: proposing again needs the coach's explicit confirmation.
REFUSED = frozenset({ProposalStatus.DECLINED_BY_EMPLOYER, ProposalStatus.DECLINED_BY_CANDIDATE})

PROPOSAL_NOTE_MAX = 1000
MAX_SHORTLIST = 20


def validate_proposal(note: str, candidates: int) -> list[Violation]:
    broken = []
    if candidates == 0:
        broken.append(Violation("shortlist", N_("Pin at least one candidate before sending a proposal.")))
    if len(note) > PROPOSAL_NOTE_MAX:
        broken.append(Violation("note", N_("Keep the note to {max} characters at most."), {"max": PROPOSAL_NOTE_MAX}))
    return broken


def needs_confirmation(refused: set[int], confirmed: bool) -> list[Violation]:
    """Proposing a candidate who said or heard "no" to this offer needs the coach to confirm."""
    if refused and not confirmed:
        return [Violation("confirm", N_("This offer was declined before. Confirm that you want to propose again."))]
    return []


def moved(order: list[int], item: int, direction: str) -> list[int]:
    """``order`` with ``item`` moved one place "up" or "down" (unchanged at either end)."""
    if item not in order or direction not in ("up", "down"):
        return list(order)
    result = list(order)
    i = result.index(item)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(result):
        result[i], result[j] = result[j], result[i]
    return result
