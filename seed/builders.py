"""Builders for organisations, users and offers, with keyword overrides.

The demo data and the tests use the same builders, so the demo is always something the
tests have exercised. Every builder goes through the domain services, never around them.
"""

import itertools
from datetime import timedelta

from sqlmodel import Session

from domain.accounts import Actor, Role
from domain.offers import EducationLevel, LanguageRequirement, OfferInput, OfferType, SkillRequirement
from domain.organisations import OrganisationProfileInput
from domain.services.accounts import create_user
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
