"""Administration from the browser (SPEC §1, admin): organisations, users, programmes and their rules.

Every change is written to the audit log in the same transaction. Services that deactivate a user or change
their role return the ids of the users whose sessions must end (the web layer ends them)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from domain.accounts import (
    Actor,
    OrganisationKind,
    Role,
    email_violations,
    invitation_expiry,
)
from domain.admin import organisation_name_violations, parse_rule, role_change_violations
from domain.eligibility import evaluate
from domain.links import Links
from domain.offers import OfferStatus
from domain.services.accounts import invite_colleague, new_invitation
from domain.services.notifications import queue_mail
from domain.services.outbox import enqueue
from domain.tables import (
    AuditEntry,
    Candidate,
    CandidateIdentity,
    Offer,
    Organisation,
    Programme,
    ProgrammeVersion,
    User,
    utcnow,
)
from domain.validation import N_, NotAllowed, NotFound, RuleBroken, Violation


def _admin(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise NotAllowed()


def _audit(session: Session, actor: Actor, action: str, subject: str, **detail) -> None:
    session.add(AuditEntry(actor_id=actor.id, action=action, subject=subject, detail=detail))


# --- organisations -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OrganisationRow:
    id: int
    kind: str
    name: str
    active: bool
    users: int


def organisation_rows(session: Session, actor: Actor) -> list[OrganisationRow]:
    _admin(actor)
    counts = dict(session.exec(select(User.organisation_id, func.count()).where(User.is_active == True)  # noqa: E712
                               .group_by(User.organisation_id)).all())
    rows = session.exec(select(Organisation).order_by(Organisation.kind, func.lower(Organisation.name))).all()
    return [OrganisationRow(o.id, o.kind, o.name, o.active, counts.get(o.id, 0)) for o in rows]


def create_organisation(session: Session, actor: Actor, kind: str, name: str) -> int:
    _admin(actor)
    broken = organisation_name_violations(name)
    if kind not in {k.value for k in OrganisationKind}:
        broken.append(Violation("kind", N_("Choose the kind of organisation.")))
    if broken:
        raise RuleBroken(broken)
    organisation = Organisation(kind=kind, name=name.strip())
    session.add(organisation)
    session.flush()
    if kind == OrganisationKind.EMPLOYER:
        enqueue(session, "employers", organisation.id)
    _audit(session, actor, "admin.organisation.create", f"organisation:{organisation.id}", kind=kind,
           name=organisation.name)
    return organisation.id


def _organisation(session: Session, organisation_id: int) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound()
    return organisation


def rename_organisation(session: Session, actor: Actor, organisation_id: int, name: str) -> None:
    _admin(actor)
    organisation = _organisation(session, organisation_id)
    broken = organisation_name_violations(name)
    if broken:
        raise RuleBroken(broken)
    before = organisation.name
    organisation.name = name.strip()
    session.add(organisation)
    if organisation.kind == OrganisationKind.EMPLOYER:
        enqueue(session, "employers", organisation.id)
        for offer_id in session.exec(select(Offer.id).where(Offer.organisation_id == organisation.id)).all():
            enqueue(session, "offers", offer_id)
    _audit(session, actor, "admin.organisation.rename", f"organisation:{organisation.id}", before=before,
           after=organisation.name)


def set_organisation_active(session: Session, actor: Actor, organisation_id: int, active: bool) -> list[int]:
    """Deactivating an organisation deactivates its users, pauses its published offers and takes it out of the
    directory; returns the users whose sessions must end. Reactivating it lets the admin reactivate users."""
    _admin(actor)
    organisation = _organisation(session, organisation_id)
    if organisation.active == active:
        return []
    organisation.active = active
    session.add(organisation)
    ended: list[int] = []
    if not active:
        ended = list(session.exec(select(User.id).where(User.organisation_id == organisation.id,
                                                        User.is_active == True)).all())  # noqa: E712
        session.execute(update(User).where(col(User.id).in_(ended)).values(is_active=False))
        published = session.exec(select(Offer).where(Offer.organisation_id == organisation.id,
                                                     Offer.status == OfferStatus.PUBLISHED)).all()
        for offer in published:
            offer.status, offer.updated_at = OfferStatus.PAUSED, utcnow()
            session.add(offer)
            enqueue(session, "offers", offer.id)
        if organisation.kind == OrganisationKind.EMPLOYER:
            organisation.in_directory = False
            enqueue(session, "employers", organisation.id)
    _audit(session, actor, "admin.organisation.activate" if active else "admin.organisation.deactivate",
           f"organisation:{organisation.id}", users_deactivated=ended)
    return ended


# --- users --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    name: str
    role: str
    organisation: str
    organisation_kind: str | None
    active: bool
    created_at: datetime


def user_rows(session: Session, actor: Actor) -> list[UserRow]:
    """Every login but the candidates' (theirs belong to their profile and their coach)."""
    _admin(actor)
    rows = session.exec(select(User, Organisation).join(Organisation, col(Organisation.id) == User.organisation_id,
                                                        isouter=True)
                        .where(User.role != Role.CANDIDATE).order_by(User.role, User.email)).all()
    return [UserRow(u.id, u.email, u.name, u.role, o.name if o else "", o.kind if o else None, u.is_active,
                    u.created_at) for u, o in rows]


def invite_user(session: Session, actor: Actor, email: str, organisation_id: int | None, links: Links) -> None:
    """An invitation by e-mail to join an organisation; the role follows from the organisation's kind."""
    _admin(actor)
    email = email.strip().lower()
    broken = email_violations(email)
    organisation = session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None or not organisation.active:
        broken.append(Violation("organisation_id", N_("Choose an active organisation.")))
    if not broken and session.exec(select(User.id).where(User.email == email)).first() is not None:
        broken.append(Violation("email", N_("This person has an account already.")))
    if broken:
        raise RuleBroken(broken)
    _send_invitation(session, actor, organisation, email, links)
    _audit(session, actor, "admin.user.invite", f"organisation:{organisation.id}")  # no address: no identity values


def _send_invitation(session: Session, actor: Actor, organisation: Organisation, email: str, links: Links,
                     token: str | None = None) -> str:
    token = token or new_invitation(session, organisation.id, email, actor.id)
    queue_mail(session, email, "invitation", language=actor.language or None, inviter=actor.name,
               organisation=organisation.name, link=links.url("invitation", token=token),
               expires=invitation_expiry(utcnow()).date().isoformat())
    return token


def invite_colleague_by_mail(session: Session, actor: Actor, email: str, links: Links) -> str:
    """A member invites a colleague to their own organisation: the link goes out by e-mail (through the mail
    outbox) and is returned too, for the page to show."""
    token = invite_colleague(session, actor, email)
    return _send_invitation(session, actor, session.get(Organisation, actor.organisation_id), email.strip().lower(),
                            links, token)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def change_role(session: Session, actor: Actor, user_id: int, role: str) -> list[int]:
    """Returns the user whose sessions must end (their rights changed), or nothing when nothing changed."""
    _admin(actor)
    user = _user(session, user_id)
    if user.id == actor.id:
        raise RuleBroken([Violation("role", N_("You cannot change your own role."))])
    if role == user.role:
        return []
    kind = session.get(Organisation, user.organisation_id).kind if user.organisation_id else None
    broken = role_change_violations(user.role, role, kind)
    if broken:
        raise RuleBroken(broken)
    before, user.role = user.role, role
    session.add(user)
    _audit(session, actor, "admin.user.role", f"user:{user.id}", before=before, after=role)
    return [user.id]


def set_user_active(session: Session, actor: Actor, user_id: int, active: bool) -> list[int]:
    """Returns the user whose sessions must end when deactivated."""
    _admin(actor)
    user = _user(session, user_id)
    if user.id == actor.id:
        raise RuleBroken([Violation("active", N_("You cannot deactivate yourself."))])
    if user.is_active == active:
        return []
    if active and user.organisation_id and not session.get(Organisation, user.organisation_id).active:
        raise RuleBroken([Violation("active", N_("Reactivate the organisation first."))])
    user.is_active = active
    session.add(user)
    _audit(session, actor, "admin.user.activate" if active else "admin.user.deactivate", f"user:{user.id}")
    return [] if active else [user.id]


# --- programmes and their rules ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProgrammeVersionView:
    version: int
    rules: list[dict]
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True)
class ProgrammeView:
    id: int
    key: str
    name: str
    active: bool
    version: int
    rules: list[dict]
    versions: list[ProgrammeVersionView]


def programme_rows(session: Session, actor: Actor) -> list[ProgrammeView]:
    _admin(actor)
    return [ProgrammeView(p.id, p.key, p.name, p.active, p.version, list(p.rules), [])
            for p in session.exec(select(Programme).order_by(Programme.name)).all()]


def _programme(session: Session, programme_id: int) -> Programme:
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound()
    return programme


def programme_view(session: Session, actor: Actor, programme_id: int) -> ProgrammeView:
    _admin(actor)
    p = _programme(session, programme_id)
    rows = session.exec(select(ProgrammeVersion, User.name)
                        .join(User, col(User.id) == ProgrammeVersion.changed_by, isouter=True)
                        .where(ProgrammeVersion.programme_id == p.id)
                        .order_by(col(ProgrammeVersion.version).desc())).all()
    versions = [ProgrammeVersionView(v.version, list(v.rules), name or "", v.changed_at) for v, name in rows]
    return ProgrammeView(p.id, p.key, p.name, p.active, p.version, list(p.rules), versions)


def rules_with(rules: list[dict], index: int, field: str, op: str, value: str) -> list[dict]:
    """``rules`` with the rule at ``index`` replaced (or added, at the end) from the admin's form."""
    rule, broken = parse_rule(field, op, value)
    if broken:
        raise RuleBroken(broken)
    if not 0 <= index <= len(rules):
        raise NotFound()
    return rules[:index] + [rule] + rules[index + 1:]


def save_rules(session: Session, actor: Actor, programme_id: int, rules: list[dict], *, expected_version: int) -> int:
    """Store ``rules`` as the programme's next version; refuses when someone saved in between."""
    _admin(actor)
    programme = _programme(session, programme_id)
    if programme.version != expected_version:
        raise RuleBroken([Violation("version", N_("Someone changed these rules in the meantime. Look again and redo your change."))])
    if not rules:
        raise RuleBroken([Violation("rules", N_("A programme needs at least one rule."))])
    before = list(programme.rules)
    programme.rules, programme.version = rules, programme.version + 1
    session.add(programme)
    session.add(ProgrammeVersion(programme_id=programme.id, version=programme.version, rules=rules,
                                 changed_by=actor.id))
    _audit(session, actor, "admin.programme.rules", f"programme:{programme.id}", version=programme.version,
           before=before, after=rules)
    session.flush()
    return programme.version


@dataclass(frozen=True)
class RulesPreview:
    candidates: int
    passing: int
    passing_now: int  # under the rules as saved


def preview_rules(session: Session, actor: Actor, programme_id: int, rules: list[dict]) -> RulesPreview:
    """Of the current candidates, how many would pass ``rules`` (and how many pass the saved rules)."""
    _admin(actor)
    programme = _programme(session, programme_id)
    today = utcnow().date()
    rows = session.exec(select(CandidateIdentity.nationality, CandidateIdentity.country_of_origin,
                               CandidateIdentity.arrival_date, CandidateIdentity.date_of_birth,
                               Candidate.education_level, Candidate.diploma_recognition)
                        .join(Candidate, col(Candidate.id) == CandidateIdentity.candidate_id)
                        .where(Candidate.erased_at == None)).all()  # noqa: E711
    passing = passing_now = 0
    for nationality, origin, arrival, born, education, recognition in rows:
        facts = {"nationality": nationality, "country_of_origin": origin, "arrival_date": arrival,
                 "date_of_birth": born, "education_level": education, "diploma_recognition": recognition}
        passing += evaluate(rules, facts, today).eligible
        passing_now += evaluate(programme.rules, facts, today).eligible
    return RulesPreview(len(rows), passing, passing_now)
