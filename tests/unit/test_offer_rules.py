"""validate_offer: every limit of SPEC §2 at, just inside and just outside its boundary."""

from dataclasses import replace
from datetime import date

import pytest

from domain.offers import (
    DurationUnit,
    LanguageRequirement,
    OfferInput,
    OfferType,
    SkillRequirement,
    validate_offer,
)

SKILL_A = "http://data.europa.eu/esco/skill/d429b19a-132f-44d3-971b-bb0ccd94f979"  # nursing science
SKILL_B = "http://data.europa.eu/esco/skill/d87653a0-87b0-4c03-a44a-bf0a217431a2"  # knead food products

GTK = OfferType.GETTING_TO_KNOW
BIO = OfferType.PAID_TRAINEESHIP
IBO = OfferType.WORK_BASED_TRAINING

REQUIRED = "This field is required."


def valid_offer(offer_type: OfferType = BIO, **overrides) -> OfferInput:
    """An offer of the given type that breaks no rule; overrides change one thing."""
    per_type = {
        GTK: dict(duration_value=5, duration_unit=DurationUnit.DAYS),
        BIO: dict(duration_value=12, duration_unit=DurationUnit.WEEKS, monthly_pay_eur=1800),
        IBO: dict(duration_value=12, duration_unit=DurationUnit.WEEKS, followup_contract_months=12),
    }[offer_type]
    offer = OfferInput(
        title="Care assistant traineeship",
        description="Learn to assist nurses on a geriatric ward.",
        type=offer_type,
        skills=[SkillRequirement(SKILL_A, True), SkillRequirement(SKILL_B, False)],
        languages=[LanguageRequirement("nl", "B1"), LanguageRequirement("en", "A2")],
        postcode="9000",
        remote_days=0,
        days_per_week=4,
        hours_per_week=30,
        start_from=date(2025, 3, 1),
        start_until=date(2025, 4, 1),
        places=2,
        sector="Q",
        **per_type,
    )
    return replace(offer, **overrides)


def problems(offer: OfferInput, *, postcode_known: bool = True, **kwargs) -> dict[str, list[str]]:
    """The user-facing messages per field, with their params filled in."""
    found: dict[str, list[str]] = {}
    for violation in validate_offer(offer, postcode_known=postcode_known, **kwargs):
        found.setdefault(violation.field, []).append(violation.message.format(**violation.params))
    return found


# --- a valid offer of each type ------------------------------------------------------------


@pytest.mark.parametrize("offer_type", list(OfferType))
def test_valid_offer_of_each_type_has_no_violations(offer_type):
    assert problems(valid_offer(offer_type)) == {}


def test_minimal_offer_needs_only_required_fields():
    offer = valid_offer(BIO, description="", skills=[], languages=[], start_from=None, start_until=None)
    assert problems(offer) == {}


def test_empty_offer_reports_every_required_field():
    found = problems(OfferInput(places=None))
    for name in ("title", "type", "postcode", "days_per_week", "hours_per_week", "places", "sector"):
        assert found[name] == [REQUIRED], name


# --- duration per type ---------------------------------------------------------------------


@pytest.mark.parametrize(("days", "ok"), [(0, False), (1, True), (30, True), (31, False)])
def test_getting_to_know_lasts_1_to_30_days(days, ok):
    expected = {} if ok else {"duration_value": ["A getting-to-know traineeship lasts 1 to 30 days."]}
    assert problems(valid_offer(GTK, duration_value=days)) == expected


@pytest.mark.parametrize(("weeks", "ok"), [(3, False), (4, True), (26, True), (27, False)])
def test_paid_traineeship_lasts_4_to_26_weeks(weeks, ok):
    expected = {} if ok else {"duration_value": ["A paid traineeship lasts 4 to 26 weeks."]}
    assert problems(valid_offer(BIO, duration_value=weeks)) == expected


@pytest.mark.parametrize(("weeks", "ok"), [(0, False), (1, True), (26, True), (27, False)])
def test_work_based_training_lasts_1_to_26_weeks_by_default(weeks, ok):
    expected = {} if ok else {"duration_value": ["A work-based training lasts 1 to 26 weeks."]}
    assert problems(valid_offer(IBO, duration_value=weeks)) == expected


@pytest.mark.parametrize(("weeks", "ok"), [(0, False), (1, True), (27, True), (52, True), (53, False)])
def test_work_based_training_maximum_is_configurable(weeks, ok):
    expected = {} if ok else {"duration_value": ["A work-based training lasts 1 to 52 weeks."]}
    assert problems(valid_offer(IBO, duration_value=weeks), ibo_max_weeks=52) == expected


def test_ibo_max_weeks_does_not_change_other_types():
    assert problems(valid_offer(BIO, duration_value=27), ibo_max_weeks=52) == {
        "duration_value": ["A paid traineeship lasts 4 to 26 weeks."]
    }


@pytest.mark.parametrize("offer_type", list(OfferType))
def test_duration_is_required(offer_type):
    assert problems(valid_offer(offer_type, duration_value=None)) == {"duration_value": [REQUIRED]}


@pytest.mark.parametrize(("value", "unit", "ok"), [
    (28, DurationUnit.DAYS, True),
    (27, DurationUnit.DAYS, False),
    (182, DurationUnit.DAYS, True),
    (183, DurationUnit.DAYS, False),
])
def test_paid_traineeship_duration_given_in_days_is_compared_in_days(value, unit, ok):
    found = problems(valid_offer(BIO, duration_value=value, duration_unit=unit))
    assert ("duration_value" not in found) is ok


def test_missing_unit_falls_back_to_the_type_unit():
    assert problems(valid_offer(GTK, duration_value=30, duration_unit=None)) == {}
    assert problems(valid_offer(BIO, duration_value=26, duration_unit=None)) == {}


# --- pay -----------------------------------------------------------------------------------


def test_paid_traineeship_requires_a_monthly_amount():
    assert problems(valid_offer(BIO, monthly_pay_eur=None)) == {
        "monthly_pay_eur": ["A paid traineeship needs a gross monthly amount."]
    }


@pytest.mark.parametrize(("amount", "ok"), [(-1, False), (0, False), (1, True)])
def test_paid_traineeship_pay_must_be_more_than_zero(amount, ok):
    expected = {} if ok else {"monthly_pay_eur": ["The gross monthly amount must be more than 0 euro."]}
    assert problems(valid_offer(BIO, monthly_pay_eur=amount)) == expected


@pytest.mark.parametrize("offer_type", [GTK, IBO])
def test_other_types_do_not_require_pay(offer_type):
    assert problems(valid_offer(offer_type, monthly_pay_eur=None)) == {}


# --- follow-up contract (IBO) --------------------------------------------------------------

FOLLOWUP_TOO_SHORT = "The contract after a work-based training lasts at least 6 months, or is open-ended."


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (24, True)])
def test_followup_contract_lasts_at_least_6_months(months, ok):
    expected = {} if ok else {"followup_contract_months": [FOLLOWUP_TOO_SHORT]}
    assert problems(valid_offer(IBO, followup_contract_months=months)) == expected


def test_open_ended_followup_contract_needs_no_months():
    assert problems(valid_offer(IBO, followup_contract_months=None, followup_open_ended=True)) == {}


def test_work_based_training_requires_a_followup_contract():
    assert problems(valid_offer(IBO, followup_contract_months=None)) == {
        "followup_contract_months": [
            "A work-based training commits you to hire afterwards: give the contract length or choose open-ended."
        ]
    }


@pytest.mark.parametrize("offer_type", [GTK, BIO])
def test_other_types_need_no_followup_contract(offer_type):
    assert problems(valid_offer(offer_type, followup_contract_months=None)) == {}


# --- places --------------------------------------------------------------------------------


@pytest.mark.parametrize(("places", "ok"), [(0, False), (1, True), (50, True), (51, False)])
def test_places_are_1_to_50(places, ok):
    expected = {} if ok else {"places": ["Offer between 1 and 50 places."]}
    assert problems(valid_offer(places=places)) == expected


def test_places_are_required():
    assert problems(valid_offer(places=None)) == {"places": [REQUIRED]}


# --- schedule ------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "ok"), [(0, False), (1, True), (5, True), (6, False)])
def test_days_per_week_are_1_to_5(days, ok):
    expected = {} if ok else {"days_per_week": ["Choose 1 to 5 days a week."]}
    assert problems(valid_offer(days_per_week=days, hours_per_week=8)) == expected


@pytest.mark.parametrize(("hours", "ok"), [(0, False), (1, True), (38, True), (39, False)])
def test_hours_per_week_are_1_to_38(hours, ok):
    expected = {} if ok else {"hours_per_week": ["Choose 1 to 38 hours a week."]}
    assert problems(valid_offer(days_per_week=5, hours_per_week=hours)) == expected


@pytest.mark.parametrize(("days", "hours", "ok"), [(1, 10, True), (1, 11, False), (3, 30, True), (3, 31, False)])
def test_hours_per_week_are_at_most_10_a_day(days, hours, ok):
    expected = {} if ok else {
        "hours_per_week": ["That is more than 10 hours a day: lower the hours or add days."]
    }
    assert problems(valid_offer(days_per_week=days, hours_per_week=hours)) == expected


def test_one_day_a_week_internship_over_six_months_is_expressible():
    offer = valid_offer(IBO, duration_value=26, days_per_week=1, hours_per_week=8)
    assert problems(offer) == {}


@pytest.mark.parametrize("name", ["days_per_week", "hours_per_week"])
def test_schedule_fields_are_required(name):
    assert problems(valid_offer(**{name: None})) == {name: [REQUIRED]}


@pytest.mark.parametrize(("days", "remote", "ok"), [(3, 2, True), (3, 3, False), (3, 4, False), (1, 0, True),
                                                    (1, 1, False)])
def test_remote_days_stay_below_days_per_week(days, remote, ok):
    expected = {} if ok else {"remote_days": ["Keep at least one day a week at the workplace, with the mentor."]}
    assert problems(valid_offer(days_per_week=days, hours_per_week=8, remote_days=remote)) == expected


def test_remote_days_cannot_be_negative():
    assert problems(valid_offer(remote_days=-1)) == {"remote_days": ["Remote days cannot be negative."]}


# --- start window --------------------------------------------------------------------------


@pytest.mark.parametrize(("start_from", "start_until", "ok"), [
    (date(2025, 3, 1), date(2025, 2, 28), False),
    (date(2025, 3, 1), date(2025, 3, 1), True),
    (date(2025, 3, 1), date(2025, 3, 2), True),
    (date(2025, 3, 1), None, True),
    (None, date(2025, 3, 1), True),
])
def test_start_window_must_not_end_before_it_begins(start_from, start_until, ok):
    expected = {} if ok else {"start_until": ["The start window ends before it begins."]}
    assert problems(valid_offer(start_from=start_from, start_until=start_until)) == expected


# --- sector --------------------------------------------------------------------------------


@pytest.mark.parametrize("sector", ["A", "Q", "U"])
def test_sector_is_a_nace_section_letter(sector):
    assert problems(valid_offer(sector=sector)) == {}


@pytest.mark.parametrize("sector", ["Z", "q", "QA", "86", "Health"])
def test_sector_outside_the_nace_sections_is_refused(sector):
    assert problems(valid_offer(sector=sector)) == {"sector": ["Choose a sector from the list."]}


def test_sector_is_required():
    assert problems(valid_offer(sector="")) == {"sector": [REQUIRED]}


# --- skills and languages ------------------------------------------------------------------


def test_skill_listed_twice_is_refused():
    skills = [SkillRequirement(SKILL_A, True), SkillRequirement(SKILL_A, False)]
    assert problems(valid_offer(skills=skills)) == {"skills": ["Each skill can be listed only once."]}


def test_unknown_skill_uri_is_refused():
    assert problems(valid_offer(), skill_uris_known=False) == {
        "skills": ["One of the skills is not in the ESCO list; pick skills from the list."]
    }


def test_language_listed_twice_is_refused():
    languages = [LanguageRequirement("nl", "B1"), LanguageRequirement("nl", "B2")]
    assert problems(valid_offer(languages=languages)) == {"languages": ["Each language can be listed only once."]}


@pytest.mark.parametrize("level", ["A1", "C2"])
def test_cefr_levels_a1_to_c2_are_accepted(level):
    assert problems(valid_offer(languages=[LanguageRequirement("fr", level)])) == {}


@pytest.mark.parametrize("level", ["A0", "C3", "D1", "", "native"])
def test_bad_cefr_level_is_refused(level):
    assert problems(valid_offer(languages=[LanguageRequirement("fr", level)])) == {
        "languages": ["Choose a language and a level from A1 to C2."]
    }


@pytest.mark.parametrize("language", ["nl", "fr", "en", "de"])
def test_dutch_french_english_and_german_can_be_required(language):
    assert problems(valid_offer(languages=[LanguageRequirement(language, "B1")])) == {}


def test_unknown_language_is_refused():
    assert problems(valid_offer(languages=[LanguageRequirement("xx", "B1")])) == {
        "languages": ["Choose a language and a level from A1 to C2."]
    }


# --- postcode ------------------------------------------------------------------------------


def test_unknown_postcode_is_refused_with_the_postcode_in_the_message():
    assert problems(valid_offer(postcode="9999"), postcode_known=False) == {
        "postcode": ["9999 is not a Belgian postcode we know."]
    }


@pytest.mark.parametrize("postcode", ["", "   "])
def test_postcode_is_required(postcode):
    assert problems(valid_offer(postcode=postcode), postcode_known=False) == {"postcode": [REQUIRED]}


# --- title and description -----------------------------------------------------------------


@pytest.mark.parametrize("title", ["", "   "])
def test_title_is_required(title):
    assert problems(valid_offer(title=title)) == {"title": [REQUIRED]}


@pytest.mark.parametrize(("length", "ok"), [(1, True), (120, True), (121, False)])
def test_title_is_at_most_120_characters(length, ok):
    expected = {} if ok else {"title": ["Keep the title to 120 characters at most."]}
    assert problems(valid_offer(title="t" * length)) == expected


@pytest.mark.parametrize(("length", "ok"), [(5000, True), (5001, False)])
def test_description_is_at_most_5000_characters(length, ok):
    expected = {} if ok else {"description": ["Keep the description to 5000 characters at most."]}
    assert problems(valid_offer(description="d" * length)) == expected


def test_type_is_required():
    assert problems(valid_offer(type=None)) == {"type": [REQUIRED]}


def test_every_broken_rule_is_reported_at_once():
    offer = valid_offer(BIO, duration_value=27, monthly_pay_eur=0, places=51, sector="Z")
    assert set(problems(offer)) == {"duration_value", "monthly_pay_eur", "places", "sector"}
