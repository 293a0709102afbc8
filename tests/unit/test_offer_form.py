"""parse_offer: submitted form fields into an OfferInput, unreadable values into Violations."""

from datetime import date

from starlette.datastructures import FormData

from domain.offers import DurationUnit, LanguageRequirement, OfferType, SkillRequirement
from web.forms import parse_offer

SKILL_A = "http://data.europa.eu/esco/skill/d429b19a-132f-44d3-971b-bb0ccd94f979"  # nursing science
SKILL_B = "http://data.europa.eu/esco/skill/d87653a0-87b0-4c03-a44a-bf0a217431a2"  # knead food products
SKILL_C = "http://data.europa.eu/esco/skill/50db2b5e-edda-496d-8a6e-aff91dc243d9"  # prepare bakery products


def form(**fields) -> FormData:
    return FormData(list(fields.items()))


def full_form(**overrides) -> list[tuple[str, str]]:
    fields = {
        "title": "Care assistant", "type": "paid_traineeship", "duration_value": "12", "postcode": "9000",
        "days_per_week": "4", "hours_per_week": "30", "places": "2", "sector": "Q", "monthly_pay_eur": "1800",
    }
    fields.update(overrides)
    return list(fields.items())


def test_complete_form_parses_without_violations():
    offer, violations = parse_offer(FormData(full_form()))
    assert violations == []
    assert offer.title == "Care assistant"
    assert offer.type is OfferType.PAID_TRAINEESHIP
    assert (offer.duration_value, offer.days_per_week, offer.hours_per_week, offer.places) == (12, 4, 30, 2)
    assert offer.monthly_pay_eur == 1800


def test_letters_in_a_number_field_give_a_violation_on_that_field():
    _offer, violations = parse_offer(FormData(full_form(places="two")))
    assert [(v.field, v.message) for v in violations] == [("places", "Enter a whole number.")]


def test_letters_in_a_number_field_keep_the_other_fields():
    offer, _violations = parse_offer(FormData(full_form(hours_per_week="30h")))
    assert offer.hours_per_week is None
    assert offer.title == "Care assistant"
    assert (offer.duration_value, offer.days_per_week, offer.places) == (12, 4, 2)


def test_each_unreadable_number_gets_its_own_violation():
    _offer, violations = parse_offer(FormData(full_form(duration_value="abc", places="x", monthly_pay_eur="€")))
    assert {v.field for v in violations} == {"duration_value", "places", "monthly_pay_eur"}


def test_unreadable_remote_days_fall_back_to_zero():
    offer, violations = parse_offer(FormData(full_form(remote_days="one")))
    assert offer.remote_days == 0
    assert [v.field for v in violations] == ["remote_days"]


def test_empty_number_fields_are_not_given():
    offer, violations = parse_offer(form(title="x", places="", hours_per_week=""))
    assert violations == []
    assert offer.places is None and offer.hours_per_week is None
    assert offer.remote_days == 0


def test_numbers_are_trimmed():
    offer, violations = parse_offer(FormData(full_form(places=" 3 ")))
    assert violations == []
    assert offer.places == 3


def test_dates_parse():
    offer, violations = parse_offer(form(start_from="2025-03-01", start_until="2025-04-15"))
    assert violations == []
    assert offer.start_from == date(2025, 3, 1)
    assert offer.start_until == date(2025, 4, 15)


def test_unreadable_date_gives_a_violation_on_that_field():
    offer, violations = parse_offer(form(start_from="01/03/2025", start_until="2025-04-15"))
    assert [(v.field, v.message) for v in violations] == [("start_from", "Enter a date as YYYY-MM-DD.")]
    assert offer.start_from is None
    assert offer.start_until == date(2025, 4, 15)


def test_skills_pair_with_their_importance_in_order():
    data = FormData([
        ("skill", SKILL_A), ("skill_essential", "0"),
        ("skill", SKILL_B), ("skill_essential", "1"),
        ("skill", SKILL_C), ("skill_essential", "0"),
    ])
    offer, _violations = parse_offer(data)
    assert offer.skills == [
        SkillRequirement(SKILL_A, False), SkillRequirement(SKILL_B, True), SkillRequirement(SKILL_C, False),
    ]


def test_skill_without_importance_counts_as_essential():
    offer, _violations = parse_offer(FormData([("skill", SKILL_A), ("skill", SKILL_B), ("skill_essential", "0")]))
    assert offer.skills == [SkillRequirement(SKILL_A, False), SkillRequirement(SKILL_B, True)]


def test_language_levels_become_requirements():
    offer, _violations = parse_offer(form(language_nl="B2", language_fr="", language_en="A2"))
    assert offer.languages == [LanguageRequirement("nl", "B2"), LanguageRequirement("en", "A2")]


def test_type_sets_the_duration_unit():
    assert parse_offer(form(type="getting_to_know"))[0].duration_unit is DurationUnit.DAYS
    assert parse_offer(form(type="work_based_training"))[0].duration_unit is DurationUnit.WEEKS


def test_unknown_type_gives_a_violation_on_type():
    offer, violations = parse_offer(form(type="apprenticeship", title="x"))
    assert [(v.field, v.message) for v in violations] == [("type", "Choose an option from the list.")]
    assert offer.type is None
    assert offer.title == "x"


def test_open_ended_flag_is_read():
    assert parse_offer(form(followup_open_ended="1"))[0].followup_open_ended is True
    assert parse_offer(form())[0].followup_open_ended is False
