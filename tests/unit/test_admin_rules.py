"""An administrator's rule form, as data, and which role fits which organisation. Pure rules."""

import pytest

from domain.accounts import Role
from domain.admin import parse_rule, role_change_violations, roles_for, rule_value_text
from domain.eligibility import EU_MEMBER_STATES, rule_problem


@pytest.mark.parametrize("field, op, value, rule", [
    ("education_level", "in", "bachelor, master", {"field": "education_level", "op": "in", "value": ["bachelor", "master"]}),
    ("nationality", "not_in", "sy, af", {"field": "nationality", "op": "not_in", "value": ["SY", "AF"]}),
    ("arrival_date", "within_years", "5", {"field": "arrival_date", "op": "within_years", "value": 5}),
    ("date_of_birth", "at_least_years", "18", {"field": "date_of_birth", "op": "at_least_years", "value": 18}),
])
def test_a_well_formed_rule_becomes_data_the_screening_can_evaluate(field, op, value, rule):
    parsed, broken = parse_rule(field, op, value)
    assert (parsed, broken) == (rule, []) and rule_problem(parsed) is None
    assert parse_rule(field, op, rule_value_text(parsed))[0] == parsed  # the form shows what it reads back


def test_the_eu_list_keeps_its_name():
    parsed, _ = parse_rule("nationality", "not_in", ", ".join(EU_MEMBER_STATES))
    assert parsed["label"] == "eu"


@pytest.mark.parametrize("field, op, value, where", [
    ("religion", "in", "x", "field"),
    ("nationality", "within_years", "5", "op"),
    ("arrival_date", "in", "5", "op"),
    ("arrival_date", "within_years", "five", "value"),
    ("arrival_date", "within_years", "101", "value"),
    ("nationality", "in", "Syria", "value"),
    ("education_level", "in", "phd", "value"),
    ("education_level", "in", " , ", "value"),
    ("nationality", "sometimes", "SY", "op"),
])
def test_a_broken_rule_says_which_part_is_wrong(field, op, value, where):
    parsed, broken = parse_rule(field, op, value)
    assert parsed == {} and [v.field for v in broken] == [where]


def test_roles_fit_the_organisation_and_a_candidate_keeps_theirs():
    assert roles_for("employer") == [Role.EMPLOYER, Role.ADMIN]
    assert roles_for(None) == [Role.ADMIN]
    assert role_change_violations("coach", "employer", "coaching_service")[0].field == "role"
    assert role_change_violations("coach", "admin", "coaching_service") == []
    assert role_change_violations("candidate", "admin", None)[0].field == "role"
