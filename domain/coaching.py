"""The coaching log: what the coach and the candidate did together, and when. Pure: no I/O."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.validation import N_, Violation, required


class LogKind(StrEnum):
    INTAKE = "intake"
    INDIVIDUAL_SESSION = "individual_session"
    GROUP_SESSION = "group_session"
    FOLLOW_UP = "follow_up"


LOG_KIND_LABELS = {
    LogKind.INTAKE: N_("Intake"),
    LogKind.INDIVIDUAL_SESSION: N_("Individual session"),
    LogKind.GROUP_SESSION: N_("Group session"),
    LogKind.FOLLOW_UP: N_("Follow-up"),
}

LOG_NOTE_MAX = 4000


@dataclass
class LogEntryInput:
    happened_on: date | None = None
    kind: LogKind | None = None
    note: str = ""


def validate_log_entry(entry: LogEntryInput, *, today: date) -> list[Violation]:
    broken = []
    if entry.happened_on is None:
        broken.append(required("happened_on"))
    elif entry.happened_on > today:
        broken.append(Violation("happened_on", N_("Log sessions that took place: the date cannot be in the future.")))
    if entry.kind is None:
        broken.append(required("kind"))
    if len(entry.note) > LOG_NOTE_MAX:
        broken.append(Violation("note", N_("Keep the note to {max} characters at most."), {"max": LOG_NOTE_MAX}))
    return broken
