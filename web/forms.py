"""Turning submitted form fields into domain inputs, and domain inputs back into form values.

Parse errors (a letter where a number belongs) become Violations like any broken rule, so the
form shows them beside the field and keeps what was typed.
"""

from datetime import date

from starlette.datastructures import FormData

from domain.offers import (
    LANGUAGES,
    DurationUnit,
    EducationLevel,
    LanguageRequirement,
    OfferInput,
    OfferType,
    SkillRequirement,
    type_rules,
)
from domain.organisations import OrganisationProfileInput
from domain.validation import N_, Violation

OFFER_LANGUAGES = ("nl", "fr", "en", "de")


class Parser:
    """Reads typed values from a form, collecting a Violation for each unreadable one."""

    def __init__(self, form: FormData):
        self.form = form
        self.violations: list[Violation] = []

    def text(self, name: str) -> str:
        value = self.form.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    def integer(self, name: str, default: int | None = None) -> int | None:
        raw = self.text(name)
        if not raw:
            return default
        try:
            return int(raw)
        except ValueError:
            self.violations.append(Violation(name, N_("Enter a whole number.")))
            return default

    def day(self, name: str) -> date | None:
        raw = self.text(name)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.violations.append(Violation(name, N_("Enter a date as YYYY-MM-DD.")))
            return None

    def choice(self, name: str, enum, default=None):
        raw = self.text(name)
        try:
            return enum(raw) if raw else default
        except ValueError:
            self.violations.append(Violation(name, N_("Choose an option from the list.")))
            return default

    def flag(self, name: str) -> bool:
        return self.text(name) in ("1", "on", "true", "yes")


def parse_offer(form: FormData) -> tuple[OfferInput, list[Violation]]:
    p = Parser(form)
    offer_type = p.choice("type", OfferType)
    uris = form.getlist("skill")
    essential = form.getlist("skill_essential")
    skills = [SkillRequirement(uri, (essential[i] if i < len(essential) else "1") == "1")
              for i, uri in enumerate(uris) if isinstance(uri, str) and uri]
    languages = []
    for code in LANGUAGES:
        level = p.text(f"language_{code}")
        if level:
            languages.append(LanguageRequirement(code, level))
    offer = OfferInput(
        title=p.text("title"),
        description=p.text("description"),
        type=offer_type,
        duration_value=p.integer("duration_value"),
        duration_unit=type_rules(offer_type).unit if offer_type else None,
        occupation_uri=p.text("occupation_uri") or None,
        skills=skills,
        languages=languages,
        education_min=p.choice("education_min", EducationLevel, EducationLevel.NONE),
        field_of_study=p.text("field_of_study"),
        postcode=p.text("postcode"),
        remote_days=p.integer("remote_days", 0),
        days_per_week=p.integer("days_per_week"),
        hours_per_week=p.integer("hours_per_week"),
        start_from=p.day("start_from"),
        start_until=p.day("start_until"),
        places=p.integer("places"),
        sector=p.text("sector"),
        accessibility_notes=p.text("accessibility_notes"),
        monthly_pay_eur=p.integer("monthly_pay_eur"),
        followup_contract_months=p.integer("followup_contract_months"),
        followup_open_ended=p.flag("followup_open_ended"),
    )
    return offer, p.violations


def offer_values(form: FormData | None = None, offer: OfferInput | None = None) -> dict:
    """What the form's fields show: exactly what was typed, or the saved offer."""
    if form is not None:
        return {key: value for key, value in form.items() if isinstance(value, str)}
    offer = offer or OfferInput(days_per_week=None, hours_per_week=None)
    values = {
        "title": offer.title, "description": offer.description, "type": offer.type or "",
        "duration_value": offer.duration_value, "occupation_uri": offer.occupation_uri or "",
        "education_min": offer.education_min, "field_of_study": offer.field_of_study,
        "postcode": offer.postcode, "remote_days": offer.remote_days, "days_per_week": offer.days_per_week,
        "hours_per_week": offer.hours_per_week, "start_from": offer.start_from, "start_until": offer.start_until,
        "places": offer.places, "sector": offer.sector, "accessibility_notes": offer.accessibility_notes,
        "monthly_pay_eur": offer.monthly_pay_eur, "followup_contract_months": offer.followup_contract_months,
        "followup_open_ended": "1" if offer.followup_open_ended else "",
    }
    values = {key: "" if value is None else str(value) for key, value in values.items()}
    for requirement in offer.languages:
        values[f"language_{requirement.language}"] = requirement.min_level
    return values


def parse_profile(form: FormData) -> OrganisationProfileInput:
    p = Parser(form)
    return OrganisationProfileInput(
        name=p.text("name"), sector=p.text("sector"), postcode=p.text("postcode"), size=p.text("size"),
        workplace_languages=[v for v in form.getlist("workplace_languages") if isinstance(v, str) and v],
        engagement_statement=p.text("engagement_statement"), in_directory=p.flag("in_directory"),
    )


__all__ = ["DurationUnit", "OFFER_LANGUAGES", "parse_offer", "offer_values", "parse_profile"]
