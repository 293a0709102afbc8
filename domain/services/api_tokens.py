"""API tokens: created for a user, stored hashed, expiring (a year by default), revocable, rate-limited per minute."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from domain.accounts import API_TOKEN_DAY_CHOICES, API_TOKEN_DEFAULT_DAYS, Actor
from domain.services.accounts import actor_by_id
from domain.tables import ApiRateWindow, ApiToken, User, utcnow
from domain.validation import N_, NotFound, RuleBroken, Violation

TOKEN_PREFIX = "opst_"
REQUESTS_PER_MINUTE = 600


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class TokenView:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    expired: bool


def token_days(choice: str | int | None) -> int:
    """The validity chosen on the form: one of ``API_TOKEN_DAY_CHOICES`` days, else the default (a year)."""
    try:
        days = int(choice or API_TOKEN_DEFAULT_DAYS)
    except ValueError:
        days = 0
    if days not in API_TOKEN_DAY_CHOICES:
        raise RuleBroken([Violation("days", N_("Choose how long the token works."))])
    return days


def create_token(session: Session, actor: Actor, name: str = "", days: int = API_TOKEN_DEFAULT_DAYS) -> str:
    """A new token for ``actor``, working ``days`` days; the secret is returned once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    session.add(ApiToken(user_id=actor.id, name=name.strip()[:80], token_hash=_hash(secret), prefix=secret[:10],
                         created_at=now, expires_at=now + timedelta(days=days)))
    return secret


def create_token_for_email(session: Session, email: str, name: str = "") -> str:
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    actor = actor_by_id(session, user.id) if user else None
    if actor is None:
        raise RuleBroken([Violation("email", N_("No active user has this e-mail address."))])
    return create_token(session, actor, name)


def tokens_of(session: Session, actor: Actor) -> list[TokenView]:
    rows = session.exec(select(ApiToken).where(ApiToken.user_id == actor.id, ApiToken.revoked_at == None)  # noqa: E711
                        .order_by(col(ApiToken.created_at).desc())).all()
    now = utcnow()
    return [TokenView(r.id, r.name, r.prefix, r.created_at, r.last_used_at, r.expires_at,
                      r.expires_at is not None and r.expires_at <= now) for r in rows]


def revoke_token(session: Session, actor: Actor, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != actor.id or row.revoked_at is not None:
        raise NotFound()
    row.revoked_at = utcnow()
    session.add(row)


@dataclass(frozen=True)
class TokenUse:
    actor: Actor
    retry_after: int | None  # seconds to wait when over the limit


def use_token(session: Session, secret: str, *, limit: int = REQUESTS_PER_MINUTE) -> TokenUse | None:
    """The actor behind a live token, counting this request against its per-minute limit."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == _hash(secret))).first()
    now = utcnow()
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    actor = actor_by_id(session, row.user_id)
    if actor is None:
        return None
    window = now.replace(second=0, microsecond=0)
    counter = _counter(session, row.id, window)
    counter.count += 1
    row.last_used_at = now
    session.add_all([counter, row])
    if counter.count > limit:
        return TokenUse(actor, retry_after=60 - now.second)
    return TokenUse(actor, retry_after=None)


def _counter(session: Session, token_id: int, window: datetime) -> ApiRateWindow:
    counter = session.get(ApiRateWindow, (token_id, window), with_for_update=True)
    if counter is not None:
        return counter
    try:
        with session.begin_nested():  # two processes may open the same window at once
            counter = ApiRateWindow(token_id=token_id, window_start=window, count=0)
            session.add(counter)
        return counter
    except IntegrityError:
        return session.get(ApiRateWindow, (token_id, window), with_for_update=True, populate_existing=True)
