"""The coaching log of a candidate: sessions, intake, follow-up (coach side only)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from domain.accounts import Actor
from domain.coaching import LogEntryInput, LogKind, validate_log_entry
from domain.services.candidates import _own_candidate
from domain.tables import CoachingLogEntry, User, utcnow
from domain.validation import RuleBroken


@dataclass(frozen=True)
class LogEntryView:
    id: int
    happened_on: date
    kind: LogKind
    note: str
    author: str
    created_at: datetime


def coaching_log(session: Session, actor: Actor, candidate_id: int) -> list[LogEntryView]:
    """Newest first."""
    candidate = _own_candidate(session, actor, candidate_id)
    rows = session.exec(select(CoachingLogEntry, User.name).join(User, isouter=True,
                                                                 onclause=User.id == CoachingLogEntry.author_id)
                        .where(CoachingLogEntry.candidate_id == candidate.id)
                        .order_by(col(CoachingLogEntry.happened_on).desc(), col(CoachingLogEntry.id).desc())).all()
    return [LogEntryView(e.id, e.happened_on, LogKind(e.kind), e.note, name or "", e.created_at) for e, name in rows]


def add_log_entry(session: Session, actor: Actor, candidate_id: int, entry: LogEntryInput) -> int:
    candidate = _own_candidate(session, actor, candidate_id)
    broken = validate_log_entry(entry, today=utcnow().date())
    if broken:
        raise RuleBroken(broken)
    row = CoachingLogEntry(candidate_id=candidate.id, author_id=actor.id, happened_on=entry.happened_on,
                           kind=entry.kind, note=entry.note.strip())
    session.add(row)
    session.flush()
    return row.id
