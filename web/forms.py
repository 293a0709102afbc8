"""Turning submitted form fields into domain inputs, and domain inputs back into form values.

Parse errors (a letter where a number belongs) become Violations like any broken rule, so the
form shows them beside the field and keeps what was typed.
"""

from datetime import date

from starlette.datastructures import FormData

from domain.candidates import (
    DiplomaRecognition,
    Experience,
    IdentityInput,
    LanguageLevel,
    ProfileInput,
    ProgrammePath,
)
from domain.coaching import LogEntryInput, LogKind
from domain.offers import (
    LANGUAGES,
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


def _suggested(form: FormData, chosen: set[str]) -> list[tuple[str, str]]:
    """Ticked boxes of the occupation-first checklist ("URI|1" essential, "URI|0" optional), skipping
    skills already chosen and repeats, in the order given."""
    seen, out = set(chosen), []
    for value in form.getlist("suggested_skill"):
        if not isinstance(value, str) or "|" not in value:
            continue
        uri, flag = value.rsplit("|", 1)
        if uri and uri not in seen:
            seen.add(uri)
            out.append((uri, flag))
    return out


def parse_offer(form: FormData) -> tuple[OfferInput, list[Violation]]:
    p = Parser(form)
    offer_type = p.choice("type", OfferType)
    uris = form.getlist("skill")
    essential = form.getlist("skill_essential")
    taught = set(form.getlist("skill_taught"))  # "learned here": one checkbox per chosen skill, valued by URI
    skills = [SkillRequirement(uri, (essential[i] if i < len(essential) else "1") == "1", uri in taught)
              for i, uri in enumerate(uris) if isinstance(uri, str) and uri]
    skills += [SkillRequirement(uri, flag == "1") for uri, flag in _suggested(form, {s.uri for s in skills})]
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



# --- candidates (coach side) ---------------------------------------------------------------------

CANDIDATE_LIST_FIELDS = ("accepted_offer_types", "sector_preferences")


def parse_identity(form: FormData) -> tuple[IdentityInput, list[Violation]]:
    p = Parser(form)
    identity = IdentityInput(
        given_name=p.text("given_name"), family_name=p.text("family_name"), email=p.text("email"),
        phone=p.text("phone"), date_of_birth=p.day("date_of_birth"), nationality=p.text("nationality").upper(),
        country_of_origin=p.text("country_of_origin").upper(), arrival_date=p.day("arrival_date"),
        address=p.text("address"), correspondence_language=p.text("correspondence_language").lower(),
    )
    return identity, p.violations


def parse_candidate_profile(form: FormData, *, programme: str = "", path: ProgrammePath | None = None
                            ) -> tuple[ProfileInput, list[Violation]]:
    """The profile form. Programme and path come from the screening, not from the form."""
    p = Parser(form)
    uris = [u for u in form.getlist("experience_uri") if isinstance(u, str) and u]
    years = form.getlist("experience_years")
    experience = []
    for i, uri in enumerate(uris):
        raw = years[i].strip() if i < len(years) and isinstance(years[i], str) else ""
        try:
            experience.append(Experience(uri, int(raw or "0")))
        except ValueError:
            p.violations.append(Violation("experience", N_("Enter the years of experience as a whole number.")))
            experience.append(Experience(uri, 0))
    types = []
    for value in form.getlist("accepted_offer_types"):
        try:
            types.append(OfferType(value))
        except ValueError:
            p.violations.append(Violation("accepted_offer_types", N_("Choose an option from the list.")))
    profile = ProfileInput(
        skills=list(dict.fromkeys([u for u in form.getlist("skill") if isinstance(u, str) and u]
                                  + [uri for uri, _ in _suggested(form, set())])),
        experience=experience,
        education_level=p.choice("education_level", EducationLevel, EducationLevel.NONE),
        education_field=p.text("education_field"),
        diploma_recognition=p.choice("diploma_recognition", DiplomaRecognition, DiplomaRecognition.NOT_REQUESTED),
        languages=[LanguageLevel(code, p.text(f"language_{code}")) for code in LANGUAGES if p.text(f"language_{code}")],
        postcode=p.text("postcode"),
        max_commute_km=p.integer("max_commute_km", 25),
        available_from=p.day("available_from"),
        days_per_week=p.integer("days_per_week", 5),
        accepted_offer_types=types,
        programme=programme, path=path,
        sector_preferences=[s for s in form.getlist("sector_preferences") if isinstance(s, str) and s],
        summary=p.text("summary"),
    )
    return profile, p.violations


def candidate_values(form: FormData | None = None, identity: IdentityInput | None = None,
                     profile: ProfileInput | None = None) -> dict:
    """What the candidate form's fields show: exactly what was typed, or the saved candidate."""
    if form is not None:
        values = {key: value for key, value in form.items() if isinstance(value, str)}
        for name in CANDIDATE_LIST_FIELDS:
            values[name] = [v for v in form.getlist(name) if isinstance(v, str)]
        return values
    values: dict = {}
    if identity is not None:
        values.update({name: "" if value is None else str(value) for name, value in identity.__dict__.items()})
    profile = profile or ProfileInput()
    values.update({
        "education_level": str(profile.education_level), "education_field": profile.education_field,
        "diploma_recognition": str(profile.diploma_recognition), "postcode": profile.postcode,
        "max_commute_km": str(profile.max_commute_km), "days_per_week": str(profile.days_per_week),
        "available_from": profile.available_from.isoformat() if profile.available_from else "",
        "accepted_offer_types": [str(t) for t in profile.accepted_offer_types],
        "sector_preferences": list(profile.sector_preferences), "summary": profile.summary,
    })
    for language in profile.languages:
        values[f"language_{language.language}"] = language.level
    return values


def parse_log_entry(form: FormData) -> tuple[LogEntryInput, list[Violation]]:
    p = Parser(form)
    return LogEntryInput(happened_on=p.day("happened_on"), kind=p.choice("kind", LogKind),
                         note=p.text("note")), p.violations


# --- placements: mentor, check-in, outcome ---------------------------------------------------------

def parse_mentor(form: FormData):
    from domain.placement import MentorInput

    p = Parser(form)
    return MentorInput(
        name=p.text("name"), role=p.text("role"), email=p.text("email"),
        languages=[v for v in form.getlist("languages") if isinstance(v, str) and v],
        training_completed=p.flag("training_completed"), training_completed_on=p.day("training_completed_on"),
    ), p.violations


def parse_check_in(form: FormData):
    from domain.placement import CheckInInput, Rating

    p = Parser(form)
    return CheckInInput(on=p.day("on"), rating=p.choice("rating", Rating), note=p.text("note")), p.violations


def parse_outcome(form: FormData):
    from domain.placement import ContractType, Outcome, OutcomeInput

    p = Parser(form)
    return OutcomeInput(outcome=p.choice("outcome", Outcome), contract_type=p.choice("contract_type", ContractType),
                        contract_months=p.integer("contract_months")), p.violations
