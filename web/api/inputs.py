"""JSON bodies to domain inputs. Type errors become field messages like every broken rule."""

from datetime import date

from domain.candidates import (
    DiplomaRecognition,
    Experience,
    IdentityInput,
    LanguageLevel,
    ProfileInput,
    ProgrammePath,
)
from domain.offers import (
    DurationUnit,
    EducationLevel,
    LanguageRequirement,
    OfferInput,
    OfferType,
    SkillRequirement,
)
from domain.validation import RuleBroken, Violation
from web.api.base import ApiError

# Domain field name -> API field name, where they differ.
OFFER_FIELDS = {"duration_value": "duration", "occupation_uri": "occupation", "type": "type"}


class Reader:
    """Typed access to a JSON object, collecting a violation per wrong value."""

    def __init__(self, body: dict, prefix: str = ""):
        self.body, self.prefix = body, prefix
        self.violations: list[Violation] = []

    def _bad(self, name: str, message: str) -> None:
        self.violations.append(Violation(self.prefix + name, message))

    def text(self, name: str, default: str = "") -> str:
        value = self.body.get(name, default)
        if value is None:
            return default
        if not isinstance(value, str):
            self._bad(name, "Must be a string.")
            return default
        return value

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.body.get(name, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self._bad(name, "Must be a whole number.")
            return default
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.body.get(name, default)
        if not isinstance(value, bool):
            self._bad(name, "Must be true or false.")
            return default
        return value

    def day(self, name: str) -> date | None:
        value = self.body.get(name)
        if value is None:
            return None
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            pass
        self._bad(name, "Must be a date as YYYY-MM-DD.")
        return None

    def choice(self, name: str, enum, default=None):
        value = self.body.get(name, default)
        if value is None:
            return default
        try:
            return enum(value)
        except ValueError:
            self._bad(name, "Must be one of: " + ", ".join(member.value for member in enum) + ".")
            return default

    def items(self, name: str) -> list:
        value = self.body.get(name, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self._bad(name, "Must be a list of objects.")
            return []
        return value

    def strings(self, name: str) -> list[str]:
        value = self.body.get(name, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self._bad(name, "Must be a list of strings.")
            return []
        return value

    def finish(self) -> None:
        if self.violations:
            raise RuleBroken(self.violations)


def _duration(r: Reader) -> tuple[int | None, DurationUnit | None]:
    raw = r.body.get("duration")
    if raw is None:
        return None, None
    if not isinstance(raw, dict):
        r._bad("duration", 'Must be an object like {"value": 8, "unit": "weeks"}.')
        return None, None
    inner = Reader(raw, "duration.")
    value, unit = inner.integer("value"), inner.choice("unit", DurationUnit)
    r.violations += inner.violations
    return value, unit


def offer_input(body: dict) -> OfferInput:
    r = Reader(body)
    value, unit = _duration(r)
    skills = []
    for item in r.items("skills"):
        uri, essential, taught = item.get("uri"), item.get("essential", True), item.get("taught", False)
        if not isinstance(uri, str) or not isinstance(essential, bool) or not isinstance(taught, bool):
            r._bad("skills", 'Each skill is {"uri": "...", "essential": true|false, "taught": true|false}.')
            continue
        skills.append(SkillRequirement(uri, essential, taught))
    languages = []
    for item in r.items("languages"):
        code, level = item.get("code"), item.get("min_level")
        if not isinstance(code, str) or not isinstance(level, str):
            r._bad("languages", 'Each language is {"code": "nl", "min_level": "B1"}.')
            continue
        languages.append(LanguageRequirement(code, level))
    followup = r.body.get("followup_contract_months", 0)
    offer = OfferInput(
        title=r.text("title"), description=r.text("description"), type=r.choice("type", OfferType),
        duration_value=value, duration_unit=unit, occupation_uri=r.text("occupation") or None,
        skills=skills, languages=languages,
        education_min=r.choice("education_min", EducationLevel, EducationLevel.NONE),
        field_of_study=r.text("field_of_study"), postcode=r.text("postcode"),
        remote_days=r.integer("remote_days", 0), days_per_week=r.integer("days_per_week", 5),
        hours_per_week=r.integer("hours_per_week", 38), start_from=r.day("start_from"),
        start_until=r.day("start_until"), places=r.integer("places", 1), sector=r.text("sector"),
        accessibility_notes=r.text("accessibility_notes"), monthly_pay_eur=r.integer("monthly_pay_eur"),
        # "followup_contract_months": null means open-ended (the contract of the API).
        followup_contract_months=None if followup is None else r.integer("followup_contract_months"),
        followup_open_ended="followup_contract_months" in r.body and followup is None,
    )
    r.finish()
    return offer


def candidate_inputs(body: dict) -> tuple[IdentityInput, ProfileInput]:
    identity_raw, profile_raw = body.get("identity"), body.get("profile")
    if not isinstance(identity_raw, dict) or not isinstance(profile_raw, dict):
        raise ApiError(422, "invalid", 'Send {"identity": {...}, "profile": {...}}.',
                       {"identity": "Required object.", "profile": "Required object."})
    i, p = Reader(identity_raw, "identity."), Reader(profile_raw, "profile.")
    identity = IdentityInput(
        given_name=i.text("given_name"), family_name=i.text("family_name"), email=i.text("email"),
        phone=i.text("phone"), date_of_birth=i.day("date_of_birth"), nationality=i.text("nationality").upper(),
        country_of_origin=i.text("country_of_origin").upper(), arrival_date=i.day("arrival_date"),
        address=i.text("address"),
    )
    skills = []
    for item in p.items("skills"):
        if not isinstance(item.get("uri"), str):
            p._bad("skills", 'Each skill is {"uri": "..."}.')
            continue
        skills.append(item["uri"])
    languages = []
    for item in p.items("languages"):
        if not isinstance(item.get("code"), str) or not isinstance(item.get("level"), str):
            p._bad("languages", 'Each language is {"code": "nl", "level": "B2"}.')
            continue
        languages.append(LanguageLevel(item["code"], item["level"]))
    experience = []
    for item in p.items("experience"):
        years = item.get("years")
        if not isinstance(item.get("occupation"), str) or isinstance(years, bool) or not isinstance(years, int):
            p._bad("experience", 'Each experience is {"occupation": "<ESCO URI>", "years": 3}.')
            continue
        experience.append(Experience(item["occupation"], years))
    types = []
    for value in p.strings("accepted_offer_types") if "accepted_offer_types" in profile_raw else list(OfferType):
        try:
            types.append(OfferType(value))
        except ValueError:
            p._bad("accepted_offer_types", "Each type is one of: " + ", ".join(t.value for t in OfferType) + ".")
    profile = ProfileInput(
        skills=skills, experience=experience,
        education_level=p.choice("education_level", EducationLevel, EducationLevel.NONE),
        education_field=p.text("education_field"),
        diploma_recognition=p.choice("diploma_recognition", DiplomaRecognition, DiplomaRecognition.NOT_REQUESTED),
        languages=languages, postcode=p.text("postcode"), max_commute_km=p.integer("max_commute_km", 25),
        available_from=p.day("available_from"), days_per_week=p.integer("days_per_week", 5),
        accepted_offer_types=types, programme=p.text("programme"), path=p.choice("path", ProgrammePath),
        sector_preferences=p.strings("sector_preferences"), summary=p.text("summary"),
    )
    violations = i.violations + p.violations
    if violations:
        raise RuleBroken(violations)
    return identity, profile


IDENTITY_FIELDS = ("given_name", "family_name", "email", "phone", "date_of_birth", "nationality",
                   "country_of_origin", "arrival_date", "address")


def candidate_field_name(domain_field: str) -> str:
    """Domain violations name bare fields; the API nests them under identity. or profile."""
    if "." in domain_field:
        return domain_field
    return ("identity." if domain_field in IDENTITY_FIELDS else "profile.") + domain_field
