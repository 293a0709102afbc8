"""Fairness monitoring (issue 17): pass-through rates, Wilson intervals, the four-fifths flag, suppression of counts
below 10 (the proof that no hidden count can be derived, across the groupings and the other publications, is in
tests/integration/test_published_tables.py), the M49 regions, gender groups and the period filter."""

import random
from datetime import date

import pytest

from domain.fairness import (
    FUNNEL,
    Cell,
    Column,
    K,
    Person,
    age_band,
    fairness_tables,
    flag,
    gender_group,
    month_after,
    parse_month,
    reached_counts,
    wilson,
)
from domain.reference import origin_sub_region, sub_region_name


def people(group: str, counts: list[int], dimension: str = "education") -> list[Person]:
    """``counts[i]`` people of ``group`` went exactly as far as FUNNEL[i]."""
    return [Person({dimension: group}, step) for step, n in enumerate(counts) for _ in range(n)]


def test_pass_through_rates_count_who_reached_the_step_before():
    pool = people("bachelor", [10, 10, 5, 0, 0, 15])  # 40 matched; 30 had a request; 20 accepted; 15 ... hired
    counts = reached_counts(pool, ["education"])
    assert [counts[("education", "bachelor", step)] for step in range(6)] == [40, 30, 20, 15, 15, 15]
    [table], _total = fairness_tables(pool, ["education"])
    cell = table.columns[1].cells[0]
    assert (cell.entered, cell.passed, cell.rate) == (30, 20, 20 / 30)
    assert table.columns[4].cells[0].rate == 1.0


@pytest.mark.parametrize(("passed", "entered", "low", "high"), [
    (8, 10, 0.4902, 0.9433), (0, 20, 0.0, 0.1611), (50, 100, 0.4038, 0.5962), (20, 20, 0.8389, 1.0)])
def test_wilson_intervals_match_published_values(passed, entered, low, high):
    interval = wilson(passed, entered)
    assert interval.low == pytest.approx(low, abs=1e-4) and interval.high == pytest.approx(high, abs=1e-4)


def column(*cells: tuple[str, int, int]) -> Column:
    made = [Cell(g, n, x) for g, n, x in cells]
    return Column("interest", made, sum(c.entered for c in made), sum(c.passed for c in made))


@pytest.mark.parametrize(("country", "code", "nl", "fr"), [
    ("SY", "145", "West-Azië", "Asie de l’Ouest"), ("ER", "014", "Oost-Afrika", "Afrique orientale"),
    ("af", "034", "Zuid-Azië", "Asie du Sud"), ("UA", "151", "Oost-Europa", "Europe de l’Est")])
def test_region_of_origin_is_the_m49_sub_region_named_in_the_page_language(country, code, nl, fr):
    assert origin_sub_region(country) == code
    assert sub_region_name(code, "nl") == nl and sub_region_name(code, "fr") == fr


def test_an_unknown_country_has_no_region():
    assert origin_sub_region("") == "" and origin_sub_region("XX") == ""


def test_gender_is_a_group_only_where_stated():
    assert gender_group("woman") == "woman" and gender_group(None) == "not_stated"
    assert gender_group("prefer_not_to_say") == "not_stated" and gender_group("robot") == "not_stated"


def test_months_for_the_period_filter():
    assert parse_month("2026-03") == date(2026, 3, 1) and parse_month("2026-13") is None
    assert parse_month("march") is None and month_after(date(2026, 12, 1)) == date(2027, 1, 1)


def test_a_group_is_flagged_below_four_fifths_of_the_best_with_separate_intervals():
    c = column(("a", 100, 80), ("b", 100, 40), ("c", 100, 70))
    flag(c)
    assert [cell.flagged for cell in c.cells] == [False, True, False]  # 0.7 >= 0.8 * 0.8: not flagged


def test_no_flag_when_the_intervals_overlap_even_below_four_fifths():
    c = column(("a", 12, 9), ("b", 12, 5))  # 0.42 < 0.8 * 0.75, but with 12 people the intervals overlap
    flag(c)
    assert not any(cell.flagged for cell in c.cells)


def test_counts_below_ten_are_hidden_with_a_neighbour_so_the_total_does_not_give_them_away():
    pool = people("a", [20, 20, 0, 0, 0, 0]) + people("b", [4, 0, 0, 0, 0, 0]) + people("c", [15, 0, 0, 0, 0, 0])
    [table], total = fairness_tables(pool, ["education"])
    matched = {c.group: c.entered for c in table.columns[0].cells}
    assert total == 59 and matched["b"] is None  # 4 people: hidden
    assert list(matched.values()).count(None) >= 2  # and one more, else 59 - 40 - 15 gives it back
    assert table.columns[0].cells[1].rate is None and table.columns[0].cells[1].interval is None


def test_a_rate_is_shown_only_where_both_its_counts_are():
    pool = people("a", [10, 5, 0, 0, 0, 0]) + people("b", [30, 20, 0, 0, 0, 0])  # a: 15 matched, 5 had a request
    [table], _total = fairness_tables(pool, ["education"])
    a = table.columns[0].cells[0]
    assert a.entered == 15 and a.passed is None and a.rate is None  # "hidden of 15": 5 is fewer than 10


def test_every_shown_count_is_zero_or_at_least_ten():
    rng = random.Random(17)
    for _ in range(40):
        pool = [Person({"education": rng.choice("abc"), "age": rng.choice("xy")}, rng.randint(0, 5))
                for _ in range(rng.randint(5, 70))]
        tables, total = fairness_tables(pool, ["education", "age"])
        assert total is None or total == 0 or total >= K
        for table in tables:
            for column in table.columns:
                for value in [column.total_entered, column.total_passed,
                              *(v for c in column.cells for v in (c.entered, c.passed))]:
                    assert value is None or value == 0 or value >= K


def test_the_groupings_share_the_totals():
    pool = people("a", [12, 12, 0, 0, 0, 0]) + people("b", [12, 0, 0, 0, 0, 0])
    tables, total = fairness_tables(pool, ["education", "age"])
    assert total == 36
    assert tables[0].columns[0].total_entered == tables[1].columns[0].total_entered == 36


def test_a_table_per_dimension_over_the_whole_funnel():
    pool = people("bachelor", [5, 10, 10, 10, 5, 20]) + people("primary", [20, 15, 5, 5, 2, 3])
    [table], _total = fairness_tables(pool, ["education"])
    assert [col.step for col in table.columns] == list(FUNNEL[1:])
    interest = table.columns[0]
    assert [(c.group, c.entered, c.passed) for c in interest.cells] == [("bachelor", 60, 55), ("primary", 50, 30)]
    assert interest.cells[1].flagged  # 0.6 < 0.8 * 0.917, intervals apart


@pytest.mark.parametrize(("born", "band"), [(date(2000, 6, 2), "26–35"), (date(2000, 6, 3), "18–25"),
                                            (date(1970, 1, 1), "46+"), (None, "unknown")])
def test_age_bands(born, band):
    assert age_band(born, date(2026, 6, 2)) == band
