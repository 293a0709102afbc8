"""Fairness monitoring (issue 17): pass-through rates, Wilson intervals, the four-fifths flag, and suppression with a
proof that no suppressed cell can be derived from what a column shows."""

import random
from datetime import date
from itertools import product

import pytest

from domain.fairness import (
    FUNNEL,
    Cell,
    Column,
    K,
    Person,
    age_band,
    cells_for,
    fairness_table,
    flag,
    suppress,
    wilson,
)


def people(group: str, counts: list[int], dimension: str = "education") -> list[Person]:
    """``counts[i]`` people of ``group`` went exactly as far as FUNNEL[i]."""
    return [Person({dimension: group}, step) for step, n in enumerate(counts) for _ in range(n)]


def test_pass_through_rates_count_who_reached_the_step_before():
    pool = people("bachelor", [10, 10, 5, 0, 0, 5])  # 30 matched; 20 had a request; 10 accepted; 5 ... hired
    [cell] = cells_for(pool, "education", 1)
    assert (cell.entered, cell.passed) == (30, 20)
    [cell] = cells_for(pool, "education", 2)
    assert (cell.entered, cell.passed, cell.rate) == (20, 10, 0.5)
    [cell] = cells_for(pool, "education", 5)
    assert (cell.entered, cell.passed) == (5, 5)


@pytest.mark.parametrize(("passed", "entered", "low", "high"), [
    (8, 10, 0.4902, 0.9433), (0, 20, 0.0, 0.1611), (50, 100, 0.4038, 0.5962), (20, 20, 0.8389, 1.0)])
def test_wilson_intervals_match_published_values(passed, entered, low, high):
    interval = wilson(passed, entered)
    assert interval.low == pytest.approx(low, abs=1e-4) and interval.high == pytest.approx(high, abs=1e-4)


def column(*cells: tuple[str, int, int]) -> Column:
    made = [Cell(g, n, x) for g, n, x in cells]
    return Column("interest", made, sum(c.entered for c in made), sum(c.passed for c in made))


def test_a_group_is_flagged_below_four_fifths_of_the_best_with_separate_intervals():
    c = column(("a", 100, 80), ("b", 100, 40), ("c", 100, 70))
    flag(c)
    assert [cell.flagged for cell in c.cells] == [False, True, False]  # 0.7 >= 0.8 * 0.8: not flagged


def test_no_flag_when_the_intervals_overlap_even_below_four_fifths():
    c = column(("a", 12, 9), ("b", 12, 5))  # 0.42 < 0.8 * 0.75, but with 12 people the intervals overlap
    flag(c)
    assert not any(cell.flagged for cell in c.cells)


def test_a_small_cell_is_suppressed_with_the_next_smallest_so_the_total_does_not_give_it_away():
    c = column(("a", 40, 30), ("b", 4, 1), ("c", 15, 10), ("d", 25, 12))
    suppress(c)
    assert [cell.suppressed for cell in c.cells] == [False, True, True, False]
    assert not c.total_suppressed
    assert c.cells[1].rate is None and c.cells[1].interval is None


def test_with_nothing_else_to_hide_the_total_is_hidden():
    c = column(("a", 4, 1), ("b", 0, 0))
    suppress(c)
    assert c.cells[0].suppressed and c.total_suppressed


def test_hidden_cells_that_all_failed_hide_the_total_too():
    c = column(("a", 40, 30), ("b", 4, 0), ("c", 11, 0))
    suppress(c)
    assert c.cells[1].suppressed and c.cells[2].suppressed and c.total_suppressed


def _possible_values(c: Column, k: int) -> list[set[tuple[int, int]]]:
    """Every (entered, passed) each suppressed cell could have, given what the column shows: the shown cells, the
    total (when shown), and that a primary-suppressed cell has 1..k-1 people."""
    hidden = [cell for cell in c.cells if cell.suppressed]
    shown_entered = sum(cell.entered for cell in c.cells if not cell.suppressed)
    shown_passed = sum(cell.passed for cell in c.cells if not cell.suppressed)
    limit = c.total_entered if not c.total_suppressed else c.total_entered + k
    ranges = [range(1, limit + 1) for _ in hidden]
    possible = [set() for _ in hidden]
    for entered in product(*ranges):
        if not c.total_suppressed and sum(entered) != c.total_entered - shown_entered:
            continue
        for passed in product(*[range(n + 1) for n in entered]):
            if not c.total_suppressed and sum(passed) != c.total_passed - shown_passed:
                continue
            for i, pair in enumerate(zip(entered, passed, strict=True)):
                possible[i].add(pair)
    return possible


def test_no_suppressed_cell_can_be_derived_from_the_column():
    """A proof by exhaustion over random columns: each suppressed cell keeps at least two possible rates."""
    rng = random.Random(17)
    checked = 0
    for _ in range(300):
        groups = rng.randint(2, 4)
        cells = []
        for g in range(groups):
            entered = rng.choice([0, rng.randint(1, K - 1), rng.randint(K, 16)])
            cells.append((f"g{g}", entered, rng.randint(0, entered)))
        c = column(*cells)
        suppress(c)
        hidden = [cell for cell in c.cells if cell.suppressed]
        if not hidden:
            continue
        assert len(hidden) >= 2 or c.total_suppressed
        if c.total_suppressed or sum(cell.entered for cell in hidden) > 24:
            continue  # nothing to derive from, or too large to enumerate quickly
        for cell, values in zip(hidden, _possible_values(c, K), strict=True):
            rates = {x / n for n, x in values}
            assert (cell.entered, cell.passed) in values and len(rates) >= 2, (cells, cell)
            checked += 1
    assert checked > 50


def test_a_table_per_dimension_over_the_whole_funnel():
    pool = people("bachelor", [5, 10, 10, 10, 5, 20]) + people("primary", [20, 15, 5, 5, 2, 3])
    table = fairness_table(pool, "education")
    assert [col.step for col in table.columns] == list(FUNNEL[1:])
    interest = table.columns[0]
    assert [(c.group, c.entered, c.passed) for c in interest.cells] == [("bachelor", 60, 55), ("primary", 50, 30)]
    assert interest.cells[1].flagged  # 0.6 < 0.8 * 0.917, intervals apart


@pytest.mark.parametrize(("born", "band"), [(date(2000, 6, 2), "26–35"), (date(2000, 6, 3), "18–25"),
                                            (date(1970, 1, 1), "46+"), (None, "unknown")])
def test_age_bands(born, band):
    assert age_band(born, date(2026, 6, 2)) == band
