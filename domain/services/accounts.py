"""Sign-up, sign-in with rate limiting, invitations and users."""

import hashlib
from dataclasses import dataclass

from sqlmodel import Session, func, select

from domain.accounts import (
    LOGIN_WINDOW,
    ROLE_ORGANISATION_KIND,
    Actor,
    OrganisationKind,
    Role,
    email_violations,
    hash_password,
    invitation_expiry,
    login_blocked,
    new_token,
    password_matches,
    password_violations,
)
from domain.language import known_language
from domain.tables import AuditEntry, Invitation, LoginAttempt, Organisation, User, utcnow
from domain.validation import N_, NotAllowed, NotFound, RuleBroken, Violation, required


class LoginThrottled(Exception):
    """Too many failed attempts for this address; try again later."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _actor(session: Session, user: User) -> Actor:
    org_name = ""
    if user.organisation_id is not None:
        org_name = session.get(Organisation, user.organisation_id).name
    return Actor(user.id, user.email, user.name, Role(user.role), user.organisation_id, org_name, user.language)


def actor_by_id(session: Session, user_id: int) -> Actor | None:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    return _actor(session, user)


def _email_taken(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(User.email == email)).first() is not None


def _new_user_violations(session: Session, email: str, name: str, password: str) -> list[Violation]:
    broken = email_violations(email) + password_violations(password)
    if not name.strip():
        broken.append(required("name"))
    if not broken and _email_taken(session, email):
        broken.append(Violation("email", N_("An account with this e-mail address exists already. Log in instead.")))
    return broken


def sign_up_employer(session: Session, *, organisation_name: str, name: str, email: str, password: str,
                     language: str = "") -> Actor:
    email = email.strip().lower()
    broken = _new_user_violations(session, email, name, password)
    if not organisation_name.strip():
        broken.append(required("organisation_name"))
    if broken:
        raise RuleBroken(broken)
    organisation = Organisation(kind=OrganisationKind.EMPLOYER, name=organisation_name.strip())
    session.add(organisation)
    session.flush()
    user = User(email=email, name=name.strip(), password_hash=hash_password(password),
                role=Role.EMPLOYER, organisation_id=organisation.id, language=known_language(language) or "")
    session.add(user)
    session.flush()
    return _actor(session, user)


@dataclass(frozen=True)
class InvitationView:
    organisation_name: str
    email: str


def _open_invitation(session: Session, token: str) -> Invitation | None:
    invitation = session.exec(select(Invitation).where(Invitation.token_hash == _token_hash(token))).first()
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation


def invitation_for(session: Session, token: str) -> InvitationView | None:
    invitation = _open_invitation(session, token)
    if invitation is None:
        return None
    return InvitationView(session.get(Organisation, invitation.organisation_id).name, invitation.email)


def invite_colleague(session: Session, actor: Actor, email: str) -> str:
    """Returns the secret token for the invitation link; only its hash is stored."""
    if actor.organisation_id is None or actor.role not in ROLE_ORGANISATION_KIND:
        raise NotAllowed()
    email = email.strip().lower()
    broken = email_violations(email)
    if not broken and _email_taken(session, email):
        broken.append(Violation("email", N_("This person has an account already.")))
    if broken:
        raise RuleBroken(broken)
    return new_invitation(session, actor.organisation_id, email, actor.id)


def new_invitation(session: Session, organisation_id: int, email: str, invited_by: int) -> str:
    """An invitation to join an organisation; returns the secret token of its link (only its hash is kept)."""
    token = new_token()
    session.add(Invitation(organisation_id=organisation_id, email=email, token_hash=_token_hash(token),
                           invited_by=invited_by, expires_at=invitation_expiry(utcnow())))
    return token


def accept_invitation(session: Session, token: str, *, name: str, password: str, language: str = "") -> Actor:
    invitation = _open_invitation(session, token)
    if invitation is None:
        raise RuleBroken([Violation("invitation", N_("This invitation has expired or was used already."))])
    broken = _new_user_violations(session, invitation.email, name, password)
    if broken:
        raise RuleBroken(broken)
    organisation = session.get(Organisation, invitation.organisation_id)
    role = next(r for r, kind in ROLE_ORGANISATION_KIND.items() if kind == organisation.kind)
    user = User(email=invitation.email, name=name.strip(), password_hash=hash_password(password),
                role=role, organisation_id=organisation.id, language=known_language(language) or "")
    invitation.used_at = utcnow()
    session.add_all([user, invitation])
    session.flush()
    return _actor(session, user)


def authenticate(session: Session, email: str, password: str) -> Actor | None:
    """The actor for these credentials, or None. Raises LoginThrottled after too many failures.

    Attempts are counted in the database so the limit holds across several app processes.
    """
    key = email.strip().lower()
    since = utcnow() - LOGIN_WINDOW
    failures = session.exec(
        select(func.count()).select_from(LoginAttempt)
        .where(LoginAttempt.key == key, LoginAttempt.at >= since, LoginAttempt.succeeded == False)  # noqa: E712
    ).one()
    if login_blocked(failures):
        raise LoginThrottled()
    user = session.exec(select(User).where(User.email == key)).first()
    ok = user is not None and user.is_active and password_matches(user.password_hash, password)
    session.add(LoginAttempt(key=key, succeeded=ok))
    if not ok:  # the audit log keeps who was tried (when the address is a user), never the address itself
        session.add(AuditEntry(actor_id=user.id if user else None, action="login.fail",
                               subject=f"user:{user.id}" if user else "user:unknown"))
    return _actor(session, user) if ok else None


def create_user(session: Session, *, email: str, role: Role, organisation_name: str | None,
                password: str, name: str = "") -> Actor:
    """Administrative creation (command line): finds or creates the organisation by name."""
    email = email.strip().lower()
    broken = _new_user_violations(session, email, name or email, password)
    if broken:
        raise RuleBroken(broken)
    organisation_id = None
    kind = ROLE_ORGANISATION_KIND.get(role)
    if kind is not None:
        if not organisation_name:
            raise RuleBroken([required("org")])
        organisation = session.exec(
            select(Organisation).where(Organisation.name == organisation_name, Organisation.kind == kind)
        ).first()
        if organisation is None:
            organisation = Organisation(kind=kind, name=organisation_name)
            session.add(organisation)
            session.flush()
        organisation_id = organisation.id
    user = User(email=email, name=name or email.split("@")[0], password_hash=hash_password(password),
                role=role, organisation_id=organisation_id)
    session.add(user)
    session.flush()
    return _actor(session, user)


def choose_language(session: Session, actor: Actor, language: str, *, only_if_unset: bool = False) -> Actor:
    """The user's language for pages, e-mails and notifications; ``only_if_unset`` at first login."""
    if known_language(language) is None:
        raise RuleBroken([Violation("language", N_("Choose Dutch, French or English."))])
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound()
    if not (only_if_unset and user.language):
        user.language = language
        session.add(user)
        session.flush()
    return _actor(session, user)
