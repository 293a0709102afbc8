"""Candidates: identity and anonymised profile, kept apart (SPEC §3). Pure rules, no I/O."""

import secrets
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email

from domain.offers import CEFR_LEVELS, LANGUAGES, NACE_SECTIONS, EducationLevel, OfferType
from domain.validation import N_, Violation, required


class DiplomaRecognition(StrEnum):
    OBTAINED = "obtained"
    PENDING = "pending"
    NOT_REQUESTED = "not_requested"


class ProgrammePath(StrEnum):
    LEARNING = "learning"
    CAREER = "career"


# No 0/O, 1/I/L: a reference is read aloud and typed by people.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 4
MAX_COMMUTE_KM = 100
SUMMARY_MAX = 2000


def new_reference(length: int = REFERENCE_LENGTH) -> str:
    """A random pseudonymous reference like ``K-7Q2M``: not derived from the id or the name.

    Four characters give 923,521 references; callers ask for a longer one when short ones collide
    (a pool near that size), so references never run out."""
    return "K-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))


@dataclass
class IdentityInput:
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    phone: str = ""
    date_of_birth: date | None = None
    nationality: str = ""  # ISO 3166-1 alpha-2
    country_of_origin: str = ""
    arrival_date: date | None = None
    address: str = ""
    # nl | fr | en: every e-mail to the candidate until they choose their own language at first login;
    # "" when registering: the coach's language (nl or fr), else nl (``correspondence_default``).
    correspondence_language: str = ""


CORRESPONDENCE_LANGUAGES = ("nl", "fr", "en")


def correspondence_default(coach_language: str) -> str:
    """The coaching context's language for a new candidate's e-mails: the coach's if Dutch or French, else Dutch."""
    return coach_language if coach_language in ("nl", "fr") else "nl"


@dataclass(frozen=True)
class Experience:
    occupation_uri: str
    years: int


@dataclass(frozen=True)
class LanguageLevel:
    language: str
    level: str


@dataclass
class ProfileInput:
    skills: list[str] = field(default_factory=list)
    experience: list[Experience] = field(default_factory=list)
    education_level: EducationLevel = EducationLevel.NONE
    education_field: str = ""
    diploma_recognition: DiplomaRecognition = DiplomaRecognition.NOT_REQUESTED
    languages: list[LanguageLevel] = field(default_factory=list)
    postcode: str = ""
    max_commute_km: int = 25
    available_from: date | None = None
    days_per_week: int = 5
    accepted_offer_types: list[OfferType] = field(default_factory=lambda: list(OfferType))
    programme: str = ""
    path: ProgrammePath | None = None
    sector_preferences: list[str] = field(default_factory=list)
    summary: str = ""


MIN_AGE, MAX_AGE = 15, 80
DEFAULT_PHONE_REGION = "BE"


def _age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def normalised_email(value: str) -> str | None:
    """The address in normal form, or None when its syntax is wrong (no DNS lookups)."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def normalised_phone(value: str) -> str | None:
    """The number in E.164 (+32...), Belgian when written without a country prefix; None when impossible."""
    try:
        number = phonenumbers.parse(value.strip(), DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_country_code(value: str) -> bool:
    """An official ISO 3166-1 alpha-2 code (pycountry), e.g. SY; "XX" is not one."""
    return len(value) == 2 and value.isalpha() and pycountry.countries.get(alpha_2=value.upper()) is not None


def validate_identity(identity: IdentityInput, *, today: date) -> list[Violation]:
    """What is wrong with the identity; the values that are right are put in normal form on ``identity``
    (e-mail normalised, phone in E.164, country codes in capitals), so they are stored one way."""
    broken = []
    if not identity.given_name.strip():
        broken.append(required("given_name"))
    if identity.correspondence_language and identity.correspondence_language not in CORRESPONDENCE_LANGUAGES:
        broken.append(Violation("correspondence_language", N_("Choose nl (Dutch), fr (French) or en (English).")))
    if not identity.family_name.strip():
        broken.append(required("family_name"))
    if identity.email.strip():
        email = normalised_email(identity.email)
        if email is None:
            broken.append(Violation("email", N_("Enter an e-mail address like name@example.be.")))
        else:
            identity.email = email
    if identity.phone.strip():
        phone = normalised_phone(identity.phone)
        if phone is None:
            broken.append(Violation("phone", N_("Enter a phone number like 0470 12 34 56 or +32 470 12 34 56.")))
        else:
            identity.phone = phone
    if identity.date_of_birth:
        if identity.date_of_birth >= today:
            broken.append(Violation("date_of_birth", N_("The date of birth must be in the past.")))
        elif not MIN_AGE <= _age_on(identity.date_of_birth, today) <= MAX_AGE:
            broken.append(Violation("date_of_birth", N_("Check the date of birth: the candidate would be younger than 15 or older than 80.")))
    if identity.arrival_date and identity.arrival_date > today:
        broken.append(Violation("arrival_date", N_("The arrival date cannot be in the future.")))
    for name in ("nationality", "country_of_origin"):
        value = getattr(identity, name).strip()
        if value and not is_country_code(value):
            broken.append(Violation(name, N_("Use the two-letter country code, e.g. SY.")))
        elif value:
            setattr(identity, name, value.upper())
    return broken


def validate_profile(profile: ProfileInput, *, postcode_known: bool, known_skills: set[str]) -> list[Violation]:
    broken = []
    if not profile.postcode.strip():
        broken.append(required("postcode"))
    elif not postcode_known:
        broken.append(Violation("postcode", N_("{postcode} is not a Belgian postcode we know."),
                                {"postcode": profile.postcode}))
    if not 0 <= profile.max_commute_km <= MAX_COMMUTE_KM:
        broken.append(Violation("max_commute_km", N_("Choose a commute between 0 and {max} km."),
                                {"max": MAX_COMMUTE_KM}))
    if not 1 <= profile.days_per_week <= 5:
        broken.append(Violation("days_per_week", N_("Choose 1 to 5 days a week.")))
    if not profile.accepted_offer_types:
        broken.append(Violation("accepted_offer_types", N_("Choose at least one type of traineeship.")))
    if set(profile.skills) - known_skills:
        broken.append(Violation("skills", N_("One of the skills is not in the ESCO list; pick skills from the list.")))
    if len(profile.skills) != len(set(profile.skills)):
        broken.append(Violation("skills", N_("Each skill can be listed only once.")))
    seen = set()
    for language in profile.languages:
        if language.language not in LANGUAGES or language.level not in CEFR_LEVELS:
            broken.append(Violation("languages", N_("Choose a language and a level from A1 to C2.")))
        elif language.language in seen:
            broken.append(Violation("languages", N_("Each language can be listed only once.")))
        seen.add(language.language)
    if any(e.years < 0 or e.years > 60 for e in profile.experience):
        broken.append(Violation("experience", N_("Years of experience must be between 0 and 60.")))
    if any(s not in NACE_SECTIONS for s in profile.sector_preferences):
        broken.append(Violation("sector_preferences", N_("Choose sectors from the list.")))
    if len(profile.summary) > SUMMARY_MAX:
        broken.append(Violation("summary", N_("Keep the summary to {max} characters at most."), {"max": SUMMARY_MAX}))
    return broken


# --- the candidate's own changes (self-service on /me) -------------------------------------------------

# What a candidate may change on their own profile; identity, education and programme stay with the coach.
SELF_SERVICE_FIELDS = ("available_from", "days_per_week", "max_commute_km", "accepted_offer_types",
                       "sector_preferences", "languages", "skills")
MESSAGE_TO_COACH_MAX = 2000


def with_own_changes(saved: ProfileInput, typed: ProfileInput) -> ProfileInput:
    """The saved profile with only the fields a candidate may change taken from what they typed."""
    return replace(saved, **{name: getattr(typed, name) for name in SELF_SERVICE_FIELDS})


def _comparable(name: str, value) -> object:
    if name == "available_from":
        return value.isoformat() if value else ""
    if name == "languages":
        return sorted(f"{lang.language}:{lang.level}" for lang in value)
    if name in ("accepted_offer_types", "sector_preferences", "skills"):
        return sorted(str(v) for v in value)
    return value


def profile_changes(before: ProfileInput, after: ProfileInput) -> dict[str, list]:
    """{field: [before, after]} for the self-service fields that differ, as plain JSON values."""
    changes = {}
    for name in SELF_SERVICE_FIELDS:
        old, new = _comparable(name, getattr(before, name)), _comparable(name, getattr(after, name))
        if old != new:
            changes[name] = [old, new]
    return changes


def message_violations(message: str) -> list[Violation]:
    if not message.strip():
        return [Violation("message", N_("Write what your coach should change."))]
    if len(message) > MESSAGE_TO_COACH_MAX:
        return [Violation("message", N_("Keep the message to {max} characters at most."), {"max": MESSAGE_TO_COACH_MAX})]
    return []
