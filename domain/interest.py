"""Interest requests and consent (SPEC §5): states, who may move them, decline reasons, what is disclosed.

Pure rules: no I/O.

    requested ─┬─> accepted ──> placement created
               ├─> declined
               ├─> withdrawn (by employer)
               └─> expired (after N days)
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum

from domain.transitions import Party, Transitions, allowed_actions, next_state
from domain.validation import N_, Violation, required


class InterestState(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


S = InterestState
INTEREST_TRANSITIONS: Transitions = {
    (S.REQUESTED, "accept"): (S.ACCEPTED, frozenset({Party.CANDIDATE})),
    (S.REQUESTED, "decline"): (S.DECLINED, frozenset({Party.CANDIDATE})),
    (S.REQUESTED, "withdraw"): (S.WITHDRAWN, frozenset({Party.EMPLOYER})),
    (S.REQUESTED, "expire"): (S.EXPIRED, frozenset({Party.SYSTEM})),
}
INTEREST_ACTIONS = ("accept", "decline", "withdraw", "expire")
OPEN_STATES = frozenset({S.REQUESTED, S.ACCEPTED})  # a second request for the same offer and candidate waits

INTEREST_STATE_LABELS = {
    S.REQUESTED: N_("Waiting for the candidate"),
    S.ACCEPTED: N_("Accepted"),
    S.DECLINED: N_("Declined"),
    S.WITHDRAWN: N_("Withdrawn"),
    S.EXPIRED: N_("Expired"),
}


def next_interest_state(state: str, action: str, party: str) -> InterestState:
    return next_state(INTEREST_TRANSITIONS, InterestState, state, action, party)


def interest_actions(state: str, party: str) -> list[str]:
    return allowed_actions(INTEREST_TRANSITIONS, InterestState, state, party)


def expires_at(sent_at: datetime, expiry_days: int) -> datetime:
    return sent_at + timedelta(days=expiry_days)


def effective_state(state: str, expires: datetime, now: datetime) -> InterestState:
    """Expiry applied lazily: a request still marked requested after its expiry reads as expired."""
    if state == S.REQUESTED and now >= expires:
        return S.EXPIRED
    return InterestState(state)


DECLINE_REASONS = {
    "timing": N_("The timing does not suit me"),
    "distance": N_("The workplace is too far away"),
    "schedule": N_("The days or hours do not suit me"),
    "work": N_("This work does not suit me"),
    "other_offer": N_("I have found another job or traineeship"),
    "personal": N_("Personal reasons"),
    "other": N_("Another reason"),
}
MESSAGE_MAX = 1000
NOTE_MAX = 1000


def validate_message(message: str) -> list[Violation]:
    if len(message) > MESSAGE_MAX:
        return [Violation("message", N_("Keep the message to {max} characters at most."), {"max": MESSAGE_MAX})]
    return []


def validate_decline(reason: str, note: str) -> list[Violation]:
    broken = []
    if not reason:
        broken.append(Violation("reason", N_("Choose a reason from the list."), code="required"))
    elif reason not in DECLINE_REASONS:
        broken.append(Violation("reason", N_("Choose a reason from the list.")))
    if len(note) > NOTE_MAX:
        broken.append(Violation("note", N_("Keep the note to {max} characters at most."), {"max": NOTE_MAX}))
    return broken


def validate_feedback(text: str) -> list[Violation]:
    if not text.strip():
        return [required("feedback")]
    if len(text) > NOTE_MAX:
        return [Violation("feedback", N_("Keep the feedback to {max} characters at most."), {"max": NOTE_MAX})]
    return []


def validate_consent(confirmed: bool) -> list[Violation]:
    if not confirmed:
        return [Violation("consent", N_("Tick the box to confirm that you agree to share these details."),
                          code="required")]
    return []


# --- what accepting discloses, and the consent text -----------------------------------------------

DISCLOSABLE = ("name", "email", "phone")  # in this order; never date of birth, nationality, origin or address
FIELD_LABELS = {"name": N_("your name"), "email": N_("your e-mail address"), "phone": N_("your phone number")}
MY_FIELD_LABELS = {"name": N_("my name"), "email": N_("my e-mail address"), "phone": N_("my phone number")}
NEVER_DISCLOSED = N_("my date of birth, nationality, country of origin, date of arrival or address")


def disclosed_fields(email: str, phone: str) -> list[str]:
    """What this employer will see once the candidate accepts: the name, and the contact details they have."""
    return [f for f, present in (("name", True), ("email", bool(email.strip())), ("phone", bool(phone.strip())))
            if present]


def listing(items: list[str], gettext: Callable[[str], str] = lambda s: s) -> str:
    """"a, b and c" in the language of ``gettext``."""
    if len(items) <= 1:
        return "".join(items)
    return gettext("%(list)s and %(last)s") % {"list": ", ".join(items[:-1]), "last": items[-1]}


def consent_text(employer: str, offer_title: str, fields: list[str],
                 gettext: Callable[[str], str] = lambda s: s) -> str:
    """The words the candidate agrees to, exactly as stored with the consent."""
    shared = listing([gettext(MY_FIELD_LABELS[f]) for f in fields], gettext)
    return gettext(N_(
        "I accept the offer “{offer}” and agree that {employer} sees {shared}, so that they can contact me about it. "
        "Only {employer} sees them, not other employers. They do not see {never}. "
        "Opstap records each time {employer} sees these details, and I can read that record on my page.",
    )).format(offer=offer_title, employer=employer, shared=shared, never=gettext(NEVER_DISCLOSED))


DISCLOSURE_ACTION = "identity.disclosed"
