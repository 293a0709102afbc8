"""The candidate's own login: created when an employer first shows interest, opened with a password or a
signed, expiring, single-use link sent by e-mail."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain.accounts import Actor, Role, hash_password, new_token, password_violations
from domain.anonymise import ProfileFacts
from domain.links import LOGIN_LINK_VALIDITY, Links, path
from domain.services.accounts import actor_by_id
from domain.services.candidates import profile_facts
from domain.services.notifications import queue_mail
from domain.services.sessions import end_sessions
from domain.tables import Candidate, CandidateIdentity, SignedLinkUse, User, utcnow
from domain.validation import NotFound, RuleBroken


def candidate_of(session: Session, actor: Actor) -> Candidate:
    """The candidate whose login ``actor`` is; NotFound for anyone else."""
    if actor.role != Role.CANDIDATE:
        raise NotFound()
    candidate = session.exec(select(Candidate).where(Candidate.user_id == actor.id,
                                                     Candidate.erased_at == None)).first()  # noqa: E711
    if candidate is None:
        raise NotFound()
    return candidate


def ensure_candidate_account(session: Session, candidate: Candidate) -> int | None:
    """The candidate's login, created on first need from their e-mail address; None when they have no
    address, or it belongs to someone else's account (the coach then helps them another way)."""
    if candidate.user_id is not None:
        return candidate.user_id
    identity = session.get(CandidateIdentity, candidate.id)
    email = identity.email.strip().lower() if identity else ""
    if not email:
        return None
    existing = session.exec(select(User).where(User.email == email)).first()
    if existing is not None:
        linked = session.exec(select(Candidate.id).where(Candidate.user_id == existing.id)).first()
        if existing.role != Role.CANDIDATE or linked is not None:
            return None
        user = existing
    else:
        # No usable password until the candidate chooses one; until then the e-mailed link opens the portal.
        user = User(email=email, name=identity.given_name, password_hash=hash_password(new_token()),
                    role=Role.CANDIDATE)
        session.add(user)
        session.flush()
    candidate.user_id = user.id
    session.add(candidate)
    session.flush()
    return user.id


def send_login_link(session: Session, email: str, links: Links) -> None:
    """E-mail a login link when ``email`` is a candidate's login. Says nothing either way (no enumeration)."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.is_active or user.role != Role.CANDIDATE:
        return
    queue_mail(session, user.email, "login_link", link=links.login_link(user.id, path("portal")),
               hours=int(LOGIN_LINK_VALIDITY.total_seconds() // 3600))


def use_login_link(session: Session, token: str, links: Links) -> tuple[Actor, str] | None:
    """The candidate a valid, unused login link belongs to, and where it leads; the link is then used up."""
    data = links.read_login_token(token)
    if data is None:
        return None
    actor = actor_by_id(session, data.user_id)
    if actor is None or actor.role != Role.CANDIDATE:
        return None
    try:
        with session.begin_nested():
            session.add(SignedLinkUse(jti=data.jti, used_at=utcnow()))
    except IntegrityError:
        return None  # used already, in this process or another
    return actor, data.next or path("portal")


def set_candidate_password(session: Session, actor: Actor, password: str, keep_session: str | None = None) -> None:
    """A new password ends every other session of this login (a thief's copy of the cookie included)."""
    candidate_of(session, actor)
    broken = password_violations(password)
    if broken:
        raise RuleBroken(broken)
    user = session.get(User, actor.id)
    user.password_hash = hash_password(password)
    session.add(user)
    end_sessions(session, user.id, "password_changed", keep_token=keep_session)


def own_profile_facts(session: Session, actor: Actor) -> ProfileFacts:
    """The signed-in candidate's own anonymised profile facts, to match offers for them."""
    candidate = candidate_of(session, actor)
    return profile_facts(session, [candidate.id])[candidate.id]
