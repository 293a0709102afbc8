"""The audit log: writing the entries other services do not write themselves, and the admin's read-only view."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from domain.accounts import Actor, Role, normalised_email
from domain.audit import AUDIT_KINDS, PAGE_SIZE, kind_of
from domain.tables import AuditEntry, Candidate, User
from domain.validation import NotAllowed


def record(session: Session, actor: Actor | None, action: str, subject: str, **detail) -> None:
    """One audit entry. ``detail`` holds ids, references and labels only: never a name, address or phone."""
    session.add(AuditEntry(actor_id=actor.id if actor else None, action=action, subject=subject, detail=detail))


def record_identity_view(session: Session, actor: Actor, candidate_id: int) -> None:
    record(session, actor, "identity.view", f"candidate:{candidate_id}")


def record_export(session: Session, actor: Actor, what: str, rows: int) -> None:
    record(session, actor, f"export.{what}", f"organisation:{actor.organisation_id}" if actor.organisation_id
           else f"user:{actor.id}", rows=rows)


@dataclass(frozen=True)
class AuditFilter:
    user: str = ""  # an e-mail address or a user id
    candidate: str = ""  # a candidate reference, e.g. K-7Q2M
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str  # the staff member's e-mail address (read from the users table when shown, not stored)
    action: str
    kind: str
    subject: str
    detail: dict


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    pages: int
    unknown_user: bool
    unknown_candidate: bool


def _user_id(session: Session, text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return session.exec(select(User.id).where(User.email == normalised_email(text))).first()


def audit_page(session: Session, actor: Actor, wanted: AuditFilter) -> AuditPage:
    if actor.role != Role.ADMIN:
        raise NotAllowed()
    query = select(AuditEntry)
    unknown_user = unknown_candidate = False
    if wanted.user.strip():
        user_id = _user_id(session, wanted.user)
        unknown_user = user_id is None
        query = query.where(or_(col(AuditEntry.actor_id) == user_id, col(AuditEntry.subject) == f"user:{user_id}"))
    if wanted.candidate.strip():
        candidate_id = session.exec(select(Candidate.id).where(Candidate.ref == wanted.candidate.strip().upper())).first()
        unknown_candidate = candidate_id is None
        query = query.where(col(AuditEntry.subject) == f"candidate:{candidate_id}")
    if wanted.kind in AUDIT_KINDS:
        conditions = [col(AuditEntry.action).startswith(p) if p.endswith(".") else col(AuditEntry.action) == p
                      for p in AUDIT_KINDS[wanted.kind][1]]
        query = query.where(or_(*conditions))
    if wanted.date_from:
        query = query.where(col(AuditEntry.at) >= datetime.combine(wanted.date_from, time(), tzinfo=UTC))
    if wanted.date_to:
        query = query.where(col(AuditEntry.at) < datetime.combine(wanted.date_to + timedelta(days=1), time(), tzinfo=UTC))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, wanted.page), pages)
    entries = session.exec(query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
                           .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    emails = dict(session.exec(select(User.id, User.email).where(
        col(User.id).in_({e.actor_id for e in entries if e.actor_id is not None}))).all())
    refs = _candidate_refs(session, entries)
    rows = [AuditRow(e.at, emails.get(e.actor_id, "") if e.actor_id else "", e.action, kind_of(e.action),
                     refs.get(e.subject, e.subject), e.detail or {}) for e in entries]
    return AuditPage(rows, total, page, pages, unknown_user, unknown_candidate)


def _candidate_refs(session: Session, entries: list[AuditEntry]) -> dict[str, str]:
    ids = {int(e.subject.split(":", 1)[1]) for e in entries
           if e.subject.startswith("candidate:") and e.subject.split(":", 1)[1].isdigit()}
    if not ids:
        return {}
    return {f"candidate:{cid}": f"candidate {ref}" for cid, ref in
            session.exec(select(Candidate.id, Candidate.ref).where(col(Candidate.id).in_(ids))).all()}

