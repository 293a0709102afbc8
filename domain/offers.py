"""Traineeship offers: the three types, their limits, and the offer life cycle (SPEC §2).

Pure rules: no I/O. ``validate_offer`` returns every broken rule at once, each tied to
the form field it concerns.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain.validation import N_, Violation, required


class OfferType(StrEnum):
    GETTING_TO_KNOW = "getting_to_know"
    PAID_TRAINEESHIP = "paid_traineeship"
    WORK_BASED_TRAINING = "work_based_training"


class DurationUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"


UNIT_DAYS = {DurationUnit.DAYS: 1, DurationUnit.WEEKS: 7}


class OfferStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    PAUSED = "paused"
    FILLED = "filled"
    CLOSED = "closed"


class EducationLevel(StrEnum):
    NONE = "none"
    SECONDARY = "secondary"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


OFFER_STATUS_LABELS = {
    OfferStatus.DRAFT: N_("Draft"),
    OfferStatus.PUBLISHED: N_("Published"),
    OfferStatus.PAUSED: N_("Paused"),
    OfferStatus.FILLED: N_("Filled"),
    OfferStatus.CLOSED: N_("Closed"),
}

EDUCATION_RANK = {level: rank for rank, level in enumerate(EducationLevel)}

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
CEFR_RANK = {level: rank for rank, level in enumerate(CEFR_LEVELS, start=1)}

LANGUAGES = ("nl", "fr", "en", "de", "ar", "tr", "es", "uk", "ru", "fa", "ti", "so")

# NACE Rev. 2 sections.
NACE_SECTIONS = {
    "A": N_("Agriculture, forestry and fishing"),
    "B": N_("Mining and quarrying"),
    "C": N_("Manufacturing"),
    "D": N_("Electricity, gas, steam and air conditioning supply"),
    "E": N_("Water supply, sewerage, waste management"),
    "F": N_("Construction"),
    "G": N_("Wholesale and retail trade"),
    "H": N_("Transportation and storage"),
    "I": N_("Accommodation and food service activities"),
    "J": N_("Information and communication"),
    "K": N_("Financial and insurance activities"),
    "L": N_("Real estate activities"),
    "M": N_("Professional, scientific and technical activities"),
    "N": N_("Administrative and support service activities"),
    "O": N_("Public administration and defence"),
    "P": N_("Education"),
    "Q": N_("Human health and social work activities"),
    "R": N_("Arts, entertainment and recreation"),
    "S": N_("Other service activities"),
    "T": N_("Activities of households as employers"),
    "U": N_("Activities of extraterritorial organisations"),
}

MIN_FOLLOWUP_CONTRACT_MONTHS = 6
MAX_PLACES = 50
MAX_DAYS_PER_WEEK = 5
MAX_HOURS_PER_WEEK = 38
MAX_HOURS_PER_DAY = 10
TITLE_MAX = 120
DESCRIPTION_MAX = 5000


@dataclass(frozen=True)
class TypeRules:
    label: str
    unit: DurationUnit
    min_duration: int
    max_duration: int
    duration_message: str
    requires_pay: bool = False
    requires_followup_contract: bool = False


def type_rules(offer_type: OfferType, *, ibo_max_weeks: int = 26) -> TypeRules:
    """The limits of one offer type; the IBO maximum is configurable (SPEC §2)."""
    return {
        OfferType.GETTING_TO_KNOW: TypeRules(
            N_("Getting-to-know traineeship"), DurationUnit.DAYS, 1, 30,
            N_("A getting-to-know traineeship lasts 1 to 30 days."),
        ),
        OfferType.PAID_TRAINEESHIP: TypeRules(
            N_("Paid traineeship (BIO)"), DurationUnit.WEEKS, 4, 26,
            N_("A paid traineeship lasts 4 to 26 weeks."),
            requires_pay=True,
        ),
        OfferType.WORK_BASED_TRAINING: TypeRules(
            N_("Work-based training (IBO)"), DurationUnit.WEEKS, 1, ibo_max_weeks,
            N_("A work-based training lasts 1 to {max} weeks."),
            requires_followup_contract=True,
        ),
    }[offer_type]


OFFER_TYPE_LABELS = {t: type_rules(t).label for t in OfferType}


# (status, action) -> new status. Closing is final; "fill" is done by the system.
OFFER_TRANSITIONS: dict[tuple[OfferStatus, str], OfferStatus] = {
    (OfferStatus.DRAFT, "publish"): OfferStatus.PUBLISHED,
    (OfferStatus.PUBLISHED, "pause"): OfferStatus.PAUSED,
    (OfferStatus.PAUSED, "publish"): OfferStatus.PUBLISHED,
    (OfferStatus.PUBLISHED, "fill"): OfferStatus.FILLED,
    (OfferStatus.DRAFT, "close"): OfferStatus.CLOSED,
    (OfferStatus.PUBLISHED, "close"): OfferStatus.CLOSED,
    (OfferStatus.PAUSED, "close"): OfferStatus.CLOSED,
    (OfferStatus.FILLED, "close"): OfferStatus.CLOSED,
}
EMPLOYER_ACTIONS = ("publish", "pause", "close")
EDITABLE_STATUSES = frozenset({OfferStatus.DRAFT, OfferStatus.PUBLISHED, OfferStatus.PAUSED})


class TransitionRefused(Exception):
    def __init__(self, status: OfferStatus, action: str):
        super().__init__(f"cannot {action} an offer that is {status}")
        self.status = status
        self.action = action


def next_status(status: OfferStatus, action: str) -> OfferStatus:
    try:
        return OFFER_TRANSITIONS[(OfferStatus(status), action)]
    except (KeyError, ValueError):
        raise TransitionRefused(status, action) from None


def allowed_actions(status: OfferStatus) -> list[str]:
    return [action for action in EMPLOYER_ACTIONS if (OfferStatus(status), action) in OFFER_TRANSITIONS]


@dataclass(frozen=True)
class SkillRequirement:
    uri: str
    essential: bool
    taught: bool = False  # "learned here": the traineeship teaches it


@dataclass(frozen=True)
class LanguageRequirement:
    language: str
    min_level: str


@dataclass
class OfferInput:
    """What an employer asks for; ``None`` means "not given"."""

    title: str = ""
    description: str = ""
    type: OfferType | None = None
    duration_value: int | None = None
    duration_unit: DurationUnit | None = None
    occupation_uri: str | None = None
    skills: list[SkillRequirement] = field(default_factory=list)
    languages: list[LanguageRequirement] = field(default_factory=list)
    education_min: EducationLevel = EducationLevel.NONE
    field_of_study: str = ""
    postcode: str = ""
    remote_days: int = 0
    days_per_week: int | None = None
    hours_per_week: int | None = None
    start_from: date | None = None
    start_until: date | None = None
    places: int | None = 1
    sector: str = ""
    accessibility_notes: str = ""
    monthly_pay_eur: int | None = None
    followup_contract_months: int | None = None
    followup_open_ended: bool = False


def duration_in_days(value: int, unit: DurationUnit) -> int:
    return value * UNIT_DAYS[DurationUnit(unit)]


def validate_offer(
    offer: OfferInput, *, postcode_known: bool, skill_uris_known: bool = True, ibo_max_weeks: int = 26,
) -> list[Violation]:
    """Every rule of SPEC §2 an offer breaks; an empty list means it may be saved."""
    broken: list[Violation] = []
    add = broken.append

    if not offer.title.strip():
        add(required("title"))
    elif len(offer.title) > TITLE_MAX:
        add(Violation("title", N_("Keep the title to {max} characters at most."), {"max": TITLE_MAX}))
    if len(offer.description) > DESCRIPTION_MAX:
        add(Violation("description", N_("Keep the description to {max} characters at most."), {"max": DESCRIPTION_MAX}))

    if offer.type is None:
        add(required("type"))
    else:
        rules = type_rules(offer.type, ibo_max_weeks=ibo_max_weeks)
        broken += _duration_violations(offer, rules)
        broken += _pay_violations(offer, rules)
        broken += _followup_violations(offer, rules)

    if not offer.postcode.strip():
        add(required("postcode"))
    elif not postcode_known:
        add(Violation("postcode", N_("{postcode} is not a Belgian postcode we know."), {"postcode": offer.postcode}))

    broken += _schedule_violations(offer)

    if offer.places is None:
        add(required("places"))
    elif not 1 <= offer.places <= MAX_PLACES:
        add(Violation("places", N_("Offer between 1 and {max} places."), {"max": MAX_PLACES}))

    if offer.start_from and offer.start_until and offer.start_until < offer.start_from:
        add(Violation("start_until", N_("The start window ends before it begins.")))

    if offer.sector and offer.sector not in NACE_SECTIONS:
        add(Violation("sector", N_("Choose a sector from the list.")))
    if not offer.sector:
        add(required("sector"))

    if not skill_uris_known:
        add(Violation("skills", N_("One of the skills is not in the ESCO list; pick skills from the list.")))
    uris = [s.uri for s in offer.skills]
    if len(uris) != len(set(uris)):
        add(Violation("skills", N_("Each skill can be listed only once.")))

    seen_languages: set[str] = set()
    for requirement in offer.languages:
        if requirement.language not in LANGUAGES or requirement.min_level not in CEFR_LEVELS:
            add(Violation("languages", N_("Choose a language and a level from A1 to C2.")))
        elif requirement.language in seen_languages:
            add(Violation("languages", N_("Each language can be listed only once.")))
        seen_languages.add(requirement.language)

    return broken


def _duration_violations(offer: OfferInput, rules: TypeRules) -> list[Violation]:
    if offer.duration_value is None:
        return [required("duration_value")]
    unit = offer.duration_unit or rules.unit
    days = duration_in_days(offer.duration_value, unit)
    low = duration_in_days(rules.min_duration, rules.unit)
    high = duration_in_days(rules.max_duration, rules.unit)
    if not low <= days <= high:
        return [Violation("duration_value", rules.duration_message, {"max": rules.max_duration})]
    return []


def _pay_violations(offer: OfferInput, rules: TypeRules) -> list[Violation]:
    if not rules.requires_pay:
        return []
    if offer.monthly_pay_eur is None:
        return [Violation("monthly_pay_eur", N_("A paid traineeship needs a gross monthly amount."), code="required")]
    if offer.monthly_pay_eur <= 0:
        return [Violation("monthly_pay_eur", N_("The gross monthly amount must be more than 0 euro."))]
    return []


def _followup_violations(offer: OfferInput, rules: TypeRules) -> list[Violation]:
    if not rules.requires_followup_contract or offer.followup_open_ended:
        return []
    if offer.followup_contract_months is None:
        return [Violation(
            "followup_contract_months",
            N_("A work-based training commits you to hire afterwards: give the contract length or choose open-ended."),
            code="required",
        )]
    if offer.followup_contract_months < MIN_FOLLOWUP_CONTRACT_MONTHS:
        return [Violation(
            "followup_contract_months",
            N_("The contract after a work-based training lasts at least {min} months, or is open-ended."),
            {"min": MIN_FOLLOWUP_CONTRACT_MONTHS},
        )]
    return []


def _schedule_violations(offer: OfferInput) -> list[Violation]:
    broken = []
    days, hours = offer.days_per_week, offer.hours_per_week
    if days is None:
        broken.append(required("days_per_week"))
    elif not 1 <= days <= MAX_DAYS_PER_WEEK:
        broken.append(Violation("days_per_week", N_("Choose 1 to {max} days a week."), {"max": MAX_DAYS_PER_WEEK}))
    if hours is None:
        broken.append(required("hours_per_week"))
    elif not 1 <= hours <= MAX_HOURS_PER_WEEK:
        broken.append(Violation("hours_per_week", N_("Choose 1 to {max} hours a week."), {"max": MAX_HOURS_PER_WEEK}))
    elif days and 1 <= days <= MAX_DAYS_PER_WEEK and hours > days * MAX_HOURS_PER_DAY:
        broken.append(Violation(
            "hours_per_week",
            N_("That is more than {max} hours a day: lower the hours or add days."),
            {"hours": hours, "days": days, "max": MAX_HOURS_PER_DAY},
        ))
    if offer.remote_days < 0:
        broken.append(Violation("remote_days", N_("Remote days cannot be negative.")))
    elif days and offer.remote_days >= days and 1 <= days <= MAX_DAYS_PER_WEEK:
        broken.append(Violation(
            "remote_days", N_("Keep at least one day a week at the workplace, with the mentor."),
        ))
    return broken
