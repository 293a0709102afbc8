"""Server-side sessions: start one at sign-in, check it on every request, end one or all of a user's."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from domain.accounts import Actor
from domain.services.accounts import actor_by_id
from domain.sessions import (
    ABSOLUTE_LIFETIME,
    DEFAULT_IDLE,
    LAST_SEEN_GRANULARITY,
    device_label,
    new_session_token,
    session_expired,
    token_hash,
)
from domain.tables import AuditEntry, UserSession, utcnow


@dataclass(frozen=True)
class SessionView:
    id: int
    device: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


def start_session(session: Session, user_id: int, user_agent: str = "") -> str:
    """A new session for ``user_id``; returns the secret for the cookie (only its hash is stored)."""
    token = new_session_token()
    session.add(UserSession(user_id=user_id, token_hash=token_hash(token), device=device_label(user_agent)))
    session.add(AuditEntry(actor_id=user_id, action="session.start", subject=f"user:{user_id}"))
    return token


def _live(session: Session, token: str) -> UserSession | None:
    if not token:
        return None
    return session.exec(select(UserSession).where(UserSession.token_hash == token_hash(token),
                                                  UserSession.ended_at == None)).first()  # noqa: E711


def session_actor(session: Session, token: str, idle: timedelta = DEFAULT_IDLE,
                  now: datetime | None = None) -> Actor | None:
    """The signed-in actor for this cookie secret, or None when it is unknown, ended or expired.

    An expired session is ended on the spot; a valid one has its last-seen time moved on.
    """
    now = now or utcnow()
    row = _live(session, token)
    if row is None:
        return None
    reason = session_expired(row.created_at, row.last_seen_at, now, idle, ABSOLUTE_LIFETIME)
    if reason:
        _end(session, row, f"expired_{reason}", now)
        return None
    actor = actor_by_id(session, row.user_id)
    if actor is None:
        _end(session, row, "user_inactive", now)
        return None
    if now - row.last_seen_at >= LAST_SEEN_GRANULARITY:
        row.last_seen_at = now
        session.add(row)
    return actor


def _end(session: Session, row: UserSession, reason: str, now: datetime) -> None:
    row.ended_at, row.end_reason = now, reason
    session.add(row)
    session.add(AuditEntry(actor_id=row.user_id, action="session.end", subject=f"user:{row.user_id}",
                           detail={"reason": reason}))


def end_session(session: Session, token: str, reason: str = "logout") -> None:
    """End the session this cookie secret belongs to (logout). Unknown or ended: nothing happens."""
    row = _live(session, token)
    if row is not None:
        _end(session, row, reason, utcnow())


def end_sessions(session: Session, user_id: int, reason: str, keep_token: str | None = None) -> int:
    """End every live session of ``user_id`` (password or role change, deactivation, erasure), except
    the one whose secret is ``keep_token`` when given. Returns how many were ended."""
    now = utcnow()
    query = update(UserSession).where(col(UserSession.user_id) == user_id, col(UserSession.ended_at).is_(None))
    if keep_token:
        query = query.where(col(UserSession.token_hash) != token_hash(keep_token))
    ended = session.exec(query.values(ended_at=now, end_reason=reason)).rowcount
    if ended:
        session.add(AuditEntry(actor_id=user_id, action="session.end", subject=f"user:{user_id}",
                               detail={"reason": reason, "count": ended}))
    return ended


def end_other_sessions(session: Session, actor: Actor, current_token: str) -> int:
    return end_sessions(session, actor.id, "ended_by_user", keep_token=current_token)


def end_own_session(session: Session, actor: Actor, session_id: int) -> None:
    """The account page's "end" button for one session: only one's own."""
    row = session.get(UserSession, session_id)
    if row is not None and row.user_id == actor.id and row.ended_at is None:
        _end(session, row, "ended_by_user", utcnow())


def my_sessions(session: Session, actor: Actor, current_token: str, idle: timedelta = DEFAULT_IDLE) -> list[SessionView]:
    now = utcnow()
    current = token_hash(current_token) if current_token else ""
    rows = session.exec(select(UserSession).where(UserSession.user_id == actor.id, UserSession.ended_at == None)  # noqa: E711
                        .order_by(col(UserSession.last_seen_at).desc())).all()
    return [SessionView(r.id, r.device, r.created_at, r.last_seen_at, r.token_hash == current) for r in rows
            if session_expired(r.created_at, r.last_seen_at, now, idle, ABSOLUTE_LIFETIME) is None]
