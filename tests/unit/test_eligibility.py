"""Programme eligibility rules (domain/eligibility.py), at their boundaries.

Level@work as seeded: non-EU citizen; bachelor, master or doctorate (a doctorate presupposes a
master's diploma, so it qualifies; secondary school does not); at most 5 years in Belgium, where
"at most 5 years" includes the 5th anniversary of the arrival and fails the day after.
"""

from datetime import date

import pytest

from domain.eligibility import EU_MEMBER_STATES, add_months, add_years, elapsed, evaluate, rule_problem

LEVEL_AT_WORK = [
    {"field": "nationality", "op": "not_in", "value": list(EU_MEMBER_STATES), "label": "eu"},
    {"field": "education_level", "op": "in", "value": ["bachelor", "master", "doctorate"]},
    {"field": "arrival_date", "op": "within_years", "value": 5},
]
TODAY = date(2026, 3, 15)


def facts(**overrides) -> dict:
    values = {"nationality": "SY", "education_level": "master", "arrival_date": date(2023, 1, 10)}
    values.update(overrides)
    return values


def outcome(field: str, **overrides):
    result = evaluate(LEVEL_AT_WORK, facts(**overrides), TODAY)
    return result, next(o for o in result.outcomes if o.field == field)


def test_a_typical_candidate_is_eligible():
    result = evaluate(LEVEL_AT_WORK, facts(), TODAY)
    assert result.eligible
    assert [o.passed for o in result.outcomes] == [True, True, True]


# --- years in Belgium ----------------------------------------------------------------------------

def test_exactly_five_years_is_still_eligible():
    result, rule = outcome("arrival_date", arrival_date=date(2021, 3, 15))
    assert result.eligible and rule.passed
    assert (rule.params["elapsed_years"], rule.params["elapsed_months"], rule.params["elapsed_days"]) == (5, 0, 0)
    assert rule.params["limit_years"] == 5


def test_one_day_more_than_five_years_is_not():
    result, rule = outcome("arrival_date", arrival_date=date(2021, 3, 14))
    assert not result.eligible and not rule.passed
    # The day is what explains the refusal: "5 years and 1 day ago (limit 5 years)".
    assert (rule.params["elapsed_years"], rule.params["elapsed_months"], rule.params["elapsed_days"]) == (5, 0, 1)


def test_one_day_less_than_five_years_is_eligible():
    _, rule = outcome("arrival_date", arrival_date=date(2021, 3, 16))
    assert rule.passed
    assert (rule.params["elapsed_years"], rule.params["elapsed_months"]) == (4, 11)


def test_six_years_and_two_months_reads_as_such():
    _, rule = outcome("arrival_date", arrival_date=date(2020, 1, 10))
    assert not rule.passed
    assert (rule.params["elapsed_years"], rule.params["elapsed_months"], rule.params["elapsed_days"]) == (6, 2, 0)
    assert rule.message == "{field} {elapsed} ago (limit {limit})."


def test_arrival_on_29_february():
    # 2020-02-29 + 5 years is 2025-02-28: that day is still within the limit, the next is not.
    assert evaluate(LEVEL_AT_WORK, facts(arrival_date=date(2020, 2, 29)), date(2025, 2, 28)).eligible
    assert not evaluate(LEVEL_AT_WORK, facts(arrival_date=date(2020, 2, 29)), date(2025, 3, 1)).eligible


def test_arrival_today_or_in_the_future_counts_as_no_time():
    _, rule = outcome("arrival_date", arrival_date=TODAY)
    assert rule.passed and rule.params["elapsed_years"] == rule.params["elapsed_months"] == 0


def test_a_missing_arrival_date_fails_and_says_so():
    result, rule = outcome("arrival_date", arrival_date=None)
    assert not result.eligible and not rule.passed
    assert rule.message == "{field}: not recorded. Record it and screen again."


# --- nationality ---------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["SY", "AF", "UA", "ER", "TR", "MA", "CH", "NO", "GB"])
def test_non_eu_citizens_pass(code):
    _, rule = outcome("nationality", nationality=code)
    assert rule.passed and rule.message == "{field}: {actual} is not {label}."


@pytest.mark.parametrize("code", ["BE", "NL", "FR", "DE", "PL", "RO", "GR", "HR"])
def test_eu_citizens_fail(code):
    result, rule = outcome("nationality", nationality=code)
    assert not result.eligible and not rule.passed
    assert rule.message == "{field}: {actual} is {label}." and rule.params["label"] == "an EU member state"


def test_the_eu_has_27_member_states():
    assert len(set(EU_MEMBER_STATES)) == 27 and "GB" not in EU_MEMBER_STATES


def test_a_missing_nationality_fails():
    assert not outcome("nationality", nationality="")[1].passed


# --- education -----------------------------------------------------------------------------------

@pytest.mark.parametrize("level,passes", [("none", False), ("secondary", False), ("bachelor", True),
                                          ("master", True), ("doctorate", True)])
def test_education_levels(level, passes):
    result, rule = outcome("education_level", education_level=level)
    assert rule.passed is passes and result.eligible is passes
    assert rule.params["allowed"] == ["bachelor", "master", "doctorate"]


# --- the machinery -------------------------------------------------------------------------------

def test_every_rule_is_reported_even_when_the_first_fails():
    result = evaluate(LEVEL_AT_WORK, facts(nationality="BE", education_level="secondary",
                                           arrival_date=date(2010, 1, 1)), TODAY)
    assert [o.passed for o in result.outcomes] == [False, False, False]


@pytest.mark.parametrize("rule", [
    {"field": "nationality", "op": "between", "value": [1, 2]},
    {"field": "shoe_size", "op": "in", "value": ["42"]},
    {"field": "arrival_date", "op": "within_years", "value": "five"},
    {"field": "nationality", "op": "within_years", "value": 5},
    "not a rule",
])
def test_a_malformed_rule_fails_visibly_rather_than_passing(rule):
    assert rule_problem(rule)
    result = evaluate([rule], facts(), TODAY)
    assert not result.eligible and result.outcomes[0].op == "invalid"


def test_no_rules_means_nobody_is_eligible():
    assert not evaluate([], facts(), TODAY).eligible


def test_at_least_years_for_a_minimum_age():
    rule = [{"field": "date_of_birth", "op": "at_least_years", "value": 18}]
    assert evaluate(rule, {"date_of_birth": date(2008, 3, 15)}, TODAY).eligible
    assert not evaluate(rule, {"date_of_birth": date(2008, 3, 16)}, TODAY).eligible


def test_outcomes_are_plain_data_for_the_record():
    import json

    result = evaluate(LEVEL_AT_WORK, facts(), TODAY)
    assert json.loads(json.dumps([o.as_dict() for o in result.outcomes]))[2]["params"]["limit_years"] == 5


@pytest.mark.parametrize("since,today,expected", [
    (date(2020, 1, 31), date(2020, 2, 29), (0, 1, 0)),  # a month from the 31st ends on the month's last day
    (date(2020, 1, 31), date(2020, 3, 1), (0, 1, 1)),
    (date(2019, 12, 15), date(2026, 3, 15), (6, 3, 0)),
    (date(2026, 3, 16), date(2026, 3, 15), (0, 0, 0)),
])
def test_elapsed(since, today, expected):
    assert elapsed(since, today) == expected


def test_calendar_helpers_clamp_to_the_month():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
