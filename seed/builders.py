"""Builders for organisations, users and offers, with keyword overrides.

The demo data and the tests use the same builders, so the demo is always something the
tests have exercised. Every builder goes through the domain services, never around them.
"""

import itertools
from datetime import date, timedelta

from sqlmodel import Session

from domain.accounts import Actor, Role
from domain.candidates import DiplomaRecognition, IdentityInput, LanguageLevel, ProfileInput
from domain.offers import EducationLevel, LanguageRequirement, OfferInput, OfferType, SkillRequirement
from domain.organisations import OrganisationProfileInput
from domain.services.accounts import create_user
from domain.services.candidates import CandidateCreated, register_candidate
from domain.services.offers import change_status, create_offer
from domain.services.organisations import own_organisation, update_profile
from domain.tables import utcnow

_counter = itertools.count(1)
DEFAULT_PASSWORD = "opstap-demo-2026"


def unique(prefix: str) -> str:
    return f"{prefix}{next(_counter)}"


def make_user(session: Session, *, role: Role = Role.EMPLOYER, email: str | None = None,
              organisation: str | None = None, password: str = DEFAULT_PASSWORD, name: str = "") -> Actor:
    suffix = unique("")
    email = email or f"{role.value}{suffix}@example.be"
    if organisation is None and role in (Role.EMPLOYER, Role.COACH, Role.NETWORK):
        organisation = f"Organisation {suffix}"
    return create_user(session, email=email, role=role, organisation_name=organisation,
                       password=password, name=name or f"{role.value.title()} {suffix}")


def make_employer(session: Session, *, organisation: str | None = None, sector: str = "Q",
                  postcode: str = "9000", statement: str = "", languages=("nl",), **user) -> Actor:
    actor = make_user(session, role=Role.EMPLOYER, organisation=organisation, **user)
    profile = own_organisation(session, actor).as_input()
    update_profile(session, actor, OrganisationProfileInput(
        name=profile.name, sector=sector, postcode=postcode, size="50-249",
        workplace_languages=list(languages), engagement_statement=statement, in_directory=True))
    return actor


def offer_input(**overrides) -> OfferInput:
    """A valid paid traineeship unless overridden."""
    today = utcnow().date()
    values = dict(
        title="Trainee nurse", description="Learn the ward's routines with a mentor.",
        type=OfferType.PAID_TRAINEESHIP, duration_value=12, monthly_pay_eur=1800, postcode="9000",
        days_per_week=4, hours_per_week=30, places=1, sector="Q", education_min=EducationLevel.BACHELOR,
        languages=[LanguageRequirement("nl", "B1")], start_from=today + timedelta(days=14),
        start_until=today + timedelta(days=90),
    )
    values.update(overrides)
    if "skills" in values:
        values["skills"] = [s if isinstance(s, SkillRequirement) else SkillRequirement(*s) for s in values["skills"]]
    return OfferInput(**values)


def make_offer(session: Session, actor: Actor, *, publish: bool = False, **overrides) -> int:
    offer_id = create_offer(session, actor, offer_input(**overrides))
    if publish:
        change_status(session, actor, offer_id, "publish")
    return offer_id


def identity_input(**overrides) -> IdentityInput:
    suffix = unique("")
    values = dict(given_name="Amal", family_name=f"Haddad{suffix}", email=f"amal{suffix}@example.org",
                  phone="+32 470 12 34 56", date_of_birth=date(1991, 4, 2), nationality="SY",
                  country_of_origin="SY", arrival_date=utcnow().date() - timedelta(days=700),
                  address=f"Kortrijksesteenweg {suffix}, 9000 Gent")
    values.update(overrides)
    return IdentityInput(**values)


def profile_input(**overrides) -> ProfileInput:
    values = dict(skills=[], education_level=EducationLevel.BACHELOR, education_field="Nursing",
                  diploma_recognition=DiplomaRecognition.PENDING, languages=[LanguageLevel("nl", "B1")],
                  postcode="9000", max_commute_km=30, available_from=utcnow().date(), days_per_week=5,
                  accepted_offer_types=list(OfferType), summary="")
    values.update(overrides)
    values["languages"] = [x if isinstance(x, LanguageLevel) else LanguageLevel(*x) for x in values["languages"]]
    return ProfileInput(**values)


def make_candidate(session: Session, coach: Actor, *, identity: dict | None = None, **profile) -> CandidateCreated:
    return register_candidate(session, coach, identity_input(**(identity or {})), profile_input(**profile))


# --- interest, consent, placements (SPEC §5) -----------------------------------------------------------

BUILDER_LINKS_SECRET = "builder-links-secret-" + "z" * 24


def builder_links():
    """Signed links for builders and tests (the app signs with its own secret)."""
    from domain.links import Links

    return Links(BUILDER_LINKS_SECRET, "http://opstap.test")


def make_interest(session: Session, employer: Actor, offer_id: int, candidate_ref: str, *, message: str = "",
                  links=None, expiry_days: int = 14, proposed_id: int | None = None):
    from domain.services.interest import send_interest

    return send_interest(session, employer, offer_id, candidate_ref, message, links=links or builder_links(),
                         expiry_days=expiry_days, proposed_id=proposed_id)


def candidate_login(session: Session, candidate_id: int) -> Actor:
    """The candidate's own login (created when needed), as an Actor."""
    from domain.services.accounts import actor_by_id
    from domain.services.portal import ensure_candidate_account
    from domain.tables import Candidate

    user_id = ensure_candidate_account(session, session.get(Candidate, candidate_id))
    return actor_by_id(session, user_id)


def accept(session: Session, candidate: Actor, request_id: int, links=None):
    from domain.services.interest import accept_interest

    return accept_interest(session, candidate, request_id, confirmed=True, links=links or builder_links())


def mentor_input(**overrides):
    from domain.placement import MentorInput

    values = dict(name="Ilse Maes", role="Head nurse", email=f"mentor{unique('')}@example.be", languages=["nl"],
                  training_completed=True, training_completed_on=utcnow().date() - timedelta(days=30))
    values.update(overrides)
    return MentorInput(**values)


# --- coach workspace: screening and coaching log -----------------------------------------------------

def screen(session: Session, coach: Actor, candidate_id: int, programme: str = "level_at_work", path: str = "career"):
    """Screen a candidate for a programme (by key), as their coach would."""
    from domain.services.screening import programmes, screen_candidate

    programme_id = next(p.id for p in programmes(session) if p.key == programme)
    return screen_candidate(session, coach, candidate_id, programme_id, path)


def make_log_entry(session: Session, coach: Actor, candidate_id: int, *, kind: str = "intake", days_ago: int = 0,
                   note: str = "") -> int:
    from domain.coaching import LogEntryInput, LogKind
    from domain.services.coaching import add_log_entry

    return add_log_entry(session, coach, candidate_id,
                         LogEntryInput(utcnow().date() - timedelta(days=days_ago), LogKind(kind), note))
