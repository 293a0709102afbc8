"""Skills the traineeship teaches ("learned here", issue 13): reduced weight, "will learn here", learning plan."""

import pytest

from domain.matching import (
    ESSENTIAL_WEIGHT,
    OPTIONAL_WEIGHT,
    TAUGHT_FACTOR,
    Requirements,
    explain,
    skill_score,
    skill_weight,
)

A, B, C, D = "skill/a", "skill/b", "skill/c", "skill/d"


def test_a_taught_essential_skill_weighs_less_than_an_untaught_optional_one():
    r = Requirements((A, B), (C,), {}, frozenset({B}))
    assert skill_weight(r, A, 1.0, True) == ESSENTIAL_WEIGHT
    assert skill_weight(r, B, 1.0, True) == ESSENTIAL_WEIGHT * TAUGHT_FACTOR
    assert skill_weight(r, B, 1.0, True) < skill_weight(r, C, 1.0, False) == OPTIONAL_WEIGHT


def test_lacking_a_taught_skill_costs_less_than_lacking_an_untaught_one():
    taught = Requirements((A, B), (), {}, frozenset({B}))
    untaught = Requirements((A, B), (), {})
    assert skill_score(taught, {A}, {}) == pytest.approx(2 / 2.5)
    assert skill_score(untaught, {A}, {}) == pytest.approx(0.5)


@pytest.mark.parametrize("rarity", [{A: 1.0, B: 1.0}, {A: 1.0, B: 3.0}, {A: 2.0, B: 7.9}])
def test_covered_untaught_essential_skills_dominate_taught_ones(rarity):
    """Whoever holds the untaught essential skill ranks above whoever holds only the taught one, also when
    the taught one is rarer, up to 1 / TAUGHT_FACTOR = 4 times as rare (by IDF weight)."""
    r = Requirements((A, B), (), {}, frozenset({B}))
    assert skill_score(r, {A}, rarity) > skill_score(r, {B}, rarity)


def test_a_missing_taught_skill_is_on_the_learning_plan_not_missing():
    r = Requirements((A, B), (C, D), {}, frozenset({B, D}))
    e = explain(r, {A, D}, {}, {}, None)
    assert e.essential_missing == ()
    assert e.optional_missing == (C,)
    assert e.learning_plan == (B,)  # D is taught but held: nothing to learn
    assert e.essential_covered == (A,)


def test_without_taught_skills_the_score_is_unchanged():
    r = Requirements((A, B), (C,), {})
    e = explain(r, {A, C}, {}, {A: 2.0, B: 1.0, C: 1.0}, 3.0)
    assert e.score == round((2 * 2.0 + 1.0) / (2 * 2.0 + 2 * 1.0 + 1.0), 4)
    assert e.learning_plan == ()
    assert e.essential_missing == (B,)
