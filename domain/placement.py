"""Placements, workplace mentors, check-ins and outcomes (SPEC §5). Pure rules: no I/O.

    planned ─> active ─┬─> completed (outcome: hired / further training / no hire)
                       └─> ended early (reason required)

A placement that never starts can be called off too (planned ─> ended early, with a reason):
otherwise it would stay planned for ever.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain.accounts import email_violations
from domain.offers import LANGUAGES, MIN_FOLLOWUP_CONTRACT_MONTHS, OfferType
from domain.transitions import Party, Transitions, allowed_actions, next_state
from domain.validation import N_, Violation, required


class PlacementState(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"


P = PlacementState
EMPLOYER_OR_COACH = frozenset({Party.EMPLOYER, Party.COACH})
PLACEMENT_TRANSITIONS: Transitions = {
    (P.PLANNED, "start"): (P.ACTIVE, frozenset({Party.EMPLOYER})),  # only with a nominated mentor
    (P.PLANNED, "end_early"): (P.ENDED_EARLY, EMPLOYER_OR_COACH),
    (P.ACTIVE, "complete"): (P.COMPLETED, frozenset({Party.EMPLOYER})),
    (P.ACTIVE, "end_early"): (P.ENDED_EARLY, EMPLOYER_OR_COACH),
}
PLACEMENT_ACTIONS = ("start", "complete", "end_early")
OPEN_PLACEMENT_STATES = frozenset({P.PLANNED, P.ACTIVE})

PLACEMENT_STATE_LABELS = {
    P.PLANNED: N_("Planned"),
    P.ACTIVE: N_("Under way"),
    P.COMPLETED: N_("Completed"),
    P.ENDED_EARLY: N_("Ended early"),
}


def next_placement_state(state: str, action: str, party: str) -> PlacementState:
    return next_state(PLACEMENT_TRANSITIONS, PlacementState, state, action, party)


def placement_actions(state: str, party: str) -> list[str]:
    return allowed_actions(PLACEMENT_TRANSITIONS, PlacementState, state, party)


def start_violations(has_mentor: bool) -> list[Violation]:
    if not has_mentor:
        return [Violation("mentor", N_("Nominate a workplace mentor before the placement starts."), code="required")]
    return []


# --- the workplace mentor --------------------------------------------------------------------------

NAME_MAX = 120


@dataclass
class MentorInput:
    name: str = ""
    role: str = ""
    email: str = ""
    languages: list[str] = field(default_factory=list)
    training_completed: bool = False
    training_completed_on: date | None = None


def validate_mentor(mentor: MentorInput, *, today: date) -> list[Violation]:
    broken = []
    if not mentor.name.strip():
        broken.append(required("name"))
    elif len(mentor.name) > NAME_MAX:
        broken.append(Violation("name", N_("Keep it to {max} characters at most."), {"max": NAME_MAX}))
    if not mentor.role.strip():
        broken.append(required("role"))
    elif len(mentor.role) > NAME_MAX:
        broken.append(Violation("role", N_("Keep it to {max} characters at most."), {"max": NAME_MAX}))
    if not mentor.email.strip():
        broken.append(required("email"))
    else:
        broken += email_violations(mentor.email)
    if not mentor.languages:
        broken.append(Violation("languages", N_("Choose at least one language the mentor speaks."), code="required"))
    elif any(code not in LANGUAGES for code in mentor.languages):
        broken.append(Violation("languages", N_("Choose languages from the list.")))
    if mentor.training_completed:
        if mentor.training_completed_on is None:
            broken.append(Violation("training_completed_on", N_("When did the mentor complete the training?"),
                                    code="required"))
        elif mentor.training_completed_on > today:
            broken.append(Violation("training_completed_on", N_("The training date cannot be in the future.")))
    return broken


# --- check-ins ----------------------------------------------------------------------------------------

class Rating(StrEnum):
    GOOD = "good"
    ATTENTION = "attention"
    CONCERN = "concern"


RATING_LABELS = {
    Rating.GOOD: N_("Going well"),
    Rating.ATTENTION: N_("Needs attention"),
    Rating.CONCERN: N_("Concern"),
}
CHECK_IN_NOTE_MAX = 2000
CHECK_IN_INTERVAL_DAYS = 14  # no check-in for this long flags an active placement to the coach


@dataclass
class CheckInInput:
    on: date | None = None
    rating: Rating | None = None
    note: str = ""


def validate_check_in(check_in: CheckInInput, *, today: date, placement_created: date) -> list[Violation]:
    broken = []
    if check_in.on is None:
        broken.append(required("on"))
    elif check_in.on > today:
        broken.append(Violation("on", N_("A check-in cannot be in the future.")))
    elif check_in.on < placement_created:
        broken.append(Violation("on", N_("This date is before the placement was agreed.")))
    if check_in.rating is None:
        broken.append(Violation("rating", N_("Choose how it is going."), code="required"))
    if len(check_in.note) > CHECK_IN_NOTE_MAX:
        broken.append(Violation("note", N_("Keep the note to {max} characters at most."), {"max": CHECK_IN_NOTE_MAX}))
    elif check_in.rating == Rating.CONCERN and not check_in.note.strip():
        broken.append(Violation("note", N_("Say briefly what the concern is, so the coach can act on it."),
                                code="required"))
    return broken


class Flag(StrEnum):
    NO_CHECK_IN = "no_check_in"
    CONCERN = "concern"


FLAG_LABELS = {
    Flag.NO_CHECK_IN: N_("No check-in for {days} days"),
    Flag.CONCERN: N_("Latest check-in: concern"),
}


def follow_up_flags(state: str, started_on: date | None, last_check_in_on: date | None,
                    last_rating: str | None, today: date) -> list[Flag]:
    """Early warning for the coach: an active placement without a check-in for 14 days, or a concern."""
    flags = []
    if state == P.ACTIVE:
        since = max(d for d in (started_on, last_check_in_on) if d) if (started_on or last_check_in_on) else None
        if since is not None and (today - since).days >= CHECK_IN_INTERVAL_DAYS:
            flags.append(Flag.NO_CHECK_IN)
    if state in OPEN_PLACEMENT_STATES and last_rating == Rating.CONCERN:
        flags.append(Flag.CONCERN)
    return flags


# --- the outcome ------------------------------------------------------------------------------------

class Outcome(StrEnum):
    HIRED = "hired"
    FURTHER_TRAINING = "further_training"
    NO_HIRE = "no_hire"


class ContractType(StrEnum):
    OPEN_ENDED = "open_ended"
    FIXED_TERM = "fixed_term"
    TEMPORARY_AGENCY = "temporary_agency"


OUTCOME_LABELS = {
    Outcome.HIRED: N_("Hired"),
    Outcome.FURTHER_TRAINING: N_("Further training"),
    Outcome.NO_HIRE: N_("Not hired"),
}
CONTRACT_LABELS = {
    ContractType.OPEN_ENDED: N_("Open-ended employment contract"),
    ContractType.FIXED_TERM: N_("Fixed-term employment contract"),
    ContractType.TEMPORARY_AGENCY: N_("Temporary agency work"),
}
MAX_CONTRACT_MONTHS = 120
END_REASON_MAX = 1000


@dataclass
class OutcomeInput:
    outcome: Outcome | None = None
    contract_type: ContractType | None = None
    contract_months: int | None = None


def validate_outcome(result: OutcomeInput, offer_type: str) -> list[Violation]:
    """Every broken rule of completing a placement. A work-based training (IBO) is completed only with
    the follow-up employment contract: at least 6 months, or open-ended (SPEC §2 and §5)."""
    broken = []
    ibo = offer_type == OfferType.WORK_BASED_TRAINING
    if result.outcome is None:
        return [Violation("outcome", N_("Choose the outcome."), code="required")]
    if ibo and result.outcome != Outcome.HIRED:
        return [Violation("outcome", N_(
            "A work-based training is completed only with the employment contract that follows it "
            "(at least {min} months, or open-ended). If that is not going to happen, end the placement early "
            "and say why."), {"min": MIN_FOLLOWUP_CONTRACT_MONTHS})]
    if result.outcome != Outcome.HIRED:
        return []
    if result.contract_type is None:
        return [Violation("contract_type", N_("Choose the type of contract."), code="required")]
    if ibo and result.contract_type == ContractType.TEMPORARY_AGENCY:
        broken.append(Violation("contract_type", N_(
            "After a work-based training the employer hires the trainee itself: choose an employment contract.")))
    if result.contract_type != ContractType.OPEN_ENDED:
        if result.contract_months is None:
            broken.append(Violation("contract_months", N_("How many months does the contract run?"), code="required"))
        elif not 1 <= result.contract_months <= MAX_CONTRACT_MONTHS:
            broken.append(Violation("contract_months", N_("Enter 1 to {max} months."), {"max": MAX_CONTRACT_MONTHS}))
        elif ibo and result.contract_months < MIN_FOLLOWUP_CONTRACT_MONTHS:
            broken.append(Violation("contract_months", N_(
                "The contract after a work-based training lasts at least {min} months, or is open-ended."),
                {"min": MIN_FOLLOWUP_CONTRACT_MONTHS}))
    return broken


# Why a placement ends early: a fixed list, so the reasons can be counted (the sector network's
# dashboard) without ever showing what someone typed. Details go in the note, which only the
# placement's own parties read.
END_REASON_LABELS = {
    "found_work": N_("Found a job or another training"),
    "mismatch": N_("The work did not match what was expected"),
    "language": N_("Language difficulties"),
    "travel_schedule": N_("Travel or working hours"),
    "personal": N_("Personal or family circumstances"),
    "workplace": N_("Circumstances at the workplace"),
    "other": N_("Other reason"),
}


def validate_end_reason(reason: str, note: str = "") -> list[Violation]:
    if not reason.strip():
        return [Violation("end_reason", N_("Say why the placement ends early."), code="required")]
    if reason not in END_REASON_LABELS:
        return [Violation("end_reason", N_("Choose a reason from the list."))]
    if len(note) > END_REASON_MAX:
        return [Violation("end_note", N_("Keep the note to {max} characters at most."), {"max": END_REASON_MAX})]
    return []
