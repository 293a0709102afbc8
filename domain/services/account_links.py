"""E-mailed, single-use account links: "forgot your password?" and a candidate's login link.

Both follow one set of rules: a random secret in the link and only its hash in the database, one hour
of validity, used once, and at most a few requests per hour per address and per client (IP address).
A request gets the same answer, with the same work done, whether or not the address has an account:
the mail goes into the outbox (sent after the request), so nothing in the answer or its timing tells
an attacker which addresses exist.
"""

import hashlib
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from domain.accounts import (
    ACCOUNT_LINK_VALIDITY,
    LINK_REQUEST_WINDOW,
    Actor,
    Role,
    hash_password,
    link_requests_allowed,
    new_token,
    normalised_email,
    password_violations,
)
from domain.links import Links, path, safe_next
from domain.services.accounts import actor_by_id
from domain.services.notifications import queue_mail
from domain.services.sessions import end_sessions
from domain.tables import AccountLink, AuditEntry, LoginAttempt, User, utcnow
from domain.validation import RuleBroken

PASSWORD_RESET = "password_reset"
LOGIN = "login"
LINK_HOURS = int(ACCOUNT_LINK_VALIDITY.total_seconds() // 3600)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(session: Session, user_id: int, purpose: str, next_path: str = "") -> str:
    """A new single-use link secret for ``user_id``; only its hash is kept."""
    token = new_token()
    now = utcnow()
    session.add(AccountLink(purpose=purpose, user_id=user_id, token_hash=_hash(token),
                            next=safe_next(next_path) or "", created_at=now, expires_at=now + ACCOUNT_LINK_VALIDITY))
    return token


def login_link_url(session: Session, links: Links, user_id: int, next_path: str = "") -> str:
    return links.url("login_link", token=issue_link(session, user_id, LOGIN, next_path))


def _requests(session: Session, key: str) -> int:
    return session.exec(select(func.count()).select_from(LoginAttempt)
                        .where(LoginAttempt.key == key, LoginAttempt.at >= utcnow() - LINK_REQUEST_WINDOW)).one()


def _request_allowed(session: Session, purpose: str, email: str, client: str) -> bool:
    """Counts this request (for the address and for the client) and says whether it may send a link."""
    address_key, client_key = f"{purpose}:{email}", f"{purpose}-ip:{client or 'unknown'}"
    allowed = link_requests_allowed(_requests(session, address_key), _requests(session, client_key))
    session.add_all([LoginAttempt(key=address_key), LoginAttempt(key=client_key)])
    return allowed


def _user(session: Session, email: str) -> User | None:
    user = session.exec(select(User).where(User.email == email)).first()
    return user if user is not None and user.is_active else None


def request_password_reset(session: Session, email: str, client: str, links: Links) -> None:
    """E-mail a reset link when ``email`` has an active account and the limits allow. Says nothing either way."""
    email = normalised_email(email)
    allowed = _request_allowed(session, PASSWORD_RESET, email, client)
    user = _user(session, email)
    if user is None or not allowed:
        return
    token = issue_link(session, user.id, PASSWORD_RESET)
    queue_mail(session, user.email, "password_reset", link=links.url("password_reset", token=token), hours=LINK_HOURS)
    session.add(AuditEntry(actor_id=None, action="password.reset_request", subject=f"user:{user.id}"))


def send_login_link(session: Session, email: str, links: Links, client: str = "") -> None:
    """E-mail a login link when ``email`` is a candidate's login and the limits allow. Says nothing either way."""
    email = normalised_email(email)
    allowed = _request_allowed(session, LOGIN, email, client)
    user = _user(session, email)
    if user is None or user.role != Role.CANDIDATE or not allowed:
        return
    queue_mail(session, user.email, "login_link", link=login_link_url(session, links, user.id, path("portal")),
               hours=LINK_HOURS)


@dataclass(frozen=True)
class OpenLink:
    user_id: int
    next: str


def open_link(session: Session, token: str, purpose: str) -> OpenLink | None:
    """The unused, unexpired link of ``purpose`` with this secret, without using it up (to show its form)."""
    row = session.exec(select(AccountLink).where(AccountLink.token_hash == _hash(token),
                                                 AccountLink.purpose == purpose)).first()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return OpenLink(row.user_id, row.next)


def _use(session: Session, token: str, purpose: str) -> OpenLink | None:
    """Uses the link up atomically (a conditional UPDATE: two requests racing with one link, one wins)."""
    now = utcnow()
    used = session.exec(update(AccountLink)
                        .where(col(AccountLink.token_hash) == _hash(token), col(AccountLink.purpose) == purpose,
                               col(AccountLink.used_at).is_(None), col(AccountLink.expires_at) > now)
                        .values(used_at=now)).rowcount
    if used != 1:
        return None
    row = session.exec(select(AccountLink).where(AccountLink.token_hash == _hash(token))).one()
    return OpenLink(row.user_id, row.next)


def use_login_link(session: Session, token: str) -> tuple[Actor, str] | None:
    """The candidate a valid, unused login link belongs to, and where it leads; the link is then used up."""
    link = open_link(session, token, LOGIN)
    actor = actor_by_id(session, link.user_id) if link else None
    if actor is None or actor.role != Role.CANDIDATE or _use(session, token, LOGIN) is None:
        return None
    return actor, link.next or path("portal")


class LinkInvalid(Exception):
    """The link is unknown, used already or expired."""


def reset_password(session: Session, token: str, password: str) -> Actor:
    """Sets a new password through a reset link, uses the link up and ends every session of that user."""
    link = open_link(session, token, PASSWORD_RESET)
    if link is None:
        raise LinkInvalid()
    broken = password_violations(password)
    if broken:
        raise RuleBroken(broken)
    if _use(session, token, PASSWORD_RESET) is None:
        raise LinkInvalid()
    user = session.get(User, link.user_id)
    if user is None or not user.is_active:
        raise LinkInvalid()
    user.password_hash = hash_password(password)
    session.add(user)
    end_sessions(session, user.id, "password_reset")
    session.add(AuditEntry(actor_id=user.id, action="password.reset", subject=f"user:{user.id}"))
    return actor_by_id(session, user.id)

