"""The candidate's own login: created when an employer first shows interest, opened with a password or a
single-use link sent by e-mail (domain/services/account_links.py)."""

from sqlmodel import Session, select

from domain.accounts import Actor, Role, hash_password, new_token, password_violations
from domain.anonymise import ProfileFacts
from domain.services.candidates import profile_facts
from domain.services.sessions import end_sessions
from domain.tables import Candidate, CandidateIdentity, User
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
    address, or it belongs to someone else's account (the coach then helps them another way).

    Call it before writing rows that refer to the candidate: it locks the candidate's row first, so two
    simultaneous first requests create one account one after the other instead of deadlocking on PostgreSQL
    (a row that refers to the candidate holds a key-share lock that setting the unique ``user_id`` must wait for)."""
    if candidate.user_id is not None:
        return candidate.user_id
    session.refresh(candidate, with_for_update=True)
    if candidate.user_id is not None:  # created by another request while this one waited
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
