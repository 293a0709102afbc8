"""Small numbers stay hidden under subtraction: every suppressed cell of every published table of person
counts can take at least two values given everything else published (solved exactly by enumeration)."""

import itertools
import random

import pytest

from domain.engagement import FUNNEL_STAGES, Figure, Funnel, dashboard_relations, protected_dashboard
from domain.suppression import MIN_GROUP, Relation, suppress


def possible_values(values: dict, hidden: dict, relations: list[Relation]) -> dict:
    """Every value each hidden cell can take, by trying every assignment: a primary cell is 1..4, a
    complementary one 5..(largest total), as a reader who knows the rule would assume."""
    cap = max(values.values()) + MIN_GROUP
    cells = sorted(hidden, key=str)
    domains = [range(1, MIN_GROUP) if hidden[c] == "primary" else range(MIN_GROUP, cap + 1) for c in cells]
    seen = {c: set() for c in cells}
    for combo in itertools.product(*domains):
        guess = {**values, **dict(zip(cells, combo, strict=True))}
        if all(guess[r.total] == sum(guess[p] for p in r.parts) for r in relations):
            for c, v in zip(cells, combo, strict=True):
                seen[c].add(v)
    return seen


def _components(relations: list[Relation]) -> list[list[Relation]]:
    """Relations that share cells, grouped (each stage of the funnel is its own group)."""
    groups: list[tuple[set, list[Relation]]] = []
    for relation in relations:
        cells = {relation.total, *relation.parts}
        touching = [g for g in groups if g[0] & cells]
        merged = (set(cells), [relation])
        for g in touching:
            merged[0].update(g[0])
            merged[1].extend(g[1])
            groups.remove(g)
        groups.append(merged)
    return [g[1] for g in groups]


def assert_protected(values: dict, relations: list[Relation], hidden: dict) -> None:
    for cell, value in values.items():
        if 0 < value < MIN_GROUP:
            assert hidden.get(cell) == "primary", cell
    for group in _components(relations):
        cells = {c for r in group for c in (r.total, *r.parts)}
        local = {c: values[c] for c in cells}
        for cell, possible in possible_values(local, {c: h for c, h in hidden.items() if c in cells}, group).items():
            assert values[cell] in possible, cell
            assert len(possible) >= 2, f"{cell} is determined: {possible}"


def test_the_issue_example_care_6_total_7_hides_care_too():
    values = {"total": 7, "care": 6, "ict": 1}
    relations = [Relation("total", ("care", "ict"))]
    hidden = suppress(values, relations)
    assert hidden == {"ict": "primary", "care": "complementary"}
    assert_protected(values, relations, hidden)


@pytest.mark.parametrize("values", [
    {"total": 2, "a": 1, "b": 1, "c": 0},      # two ones: a + b = 2 would give both away
    {"total": 6, "a": 1, "b": 5},              # a complementary 5 would give a = 1
    {"total": 8, "a": 4, "b": 4, "c": 0},      # two fours
    {"total": 12, "a": 3, "b": 9, "c": 0},
])
def test_single_relations(values):
    relations = [Relation("total", tuple(k for k in values if k != "total"))]
    assert_protected(values, relations, suppress(values, relations))


def _random_dashboard(rng: random.Random):
    stages = len(FUNNEL_STAGES)

    def funnel(key):
        return Funnel(key, tuple(Figure(rng.choice([0, 0, 1, 2, 3, 5, 6])) for _ in range(stages)))

    by_sector = [funnel(f"s{i}") for i in range(rng.randint(1, 2))]
    totals = [sum(f.stages[k].value for f in by_sector) for k in range(stages)]
    first = [rng.randint(0, t) for t in totals]  # the offer types split the same people differently
    by_type = [Funnel("t0", tuple(Figure(v) for v in first)),
               Funnel("t1", tuple(Figure(t - v) for t, v in zip(totals, first, strict=True)))]
    total = Funnel("", tuple(Figure(v) for v in totals))
    reasons = [(f"r{i}", Figure(rng.choice([1, 2, 3, 5, 7]))) for i in range(rng.randint(0, 3))]
    return total, by_sector, by_type, reasons


@pytest.mark.parametrize("seed", range(60))
def test_every_published_dashboard_table_keeps_each_hidden_cell_undetermined(seed):
    total, by_sector, by_type, reasons = _random_dashboard(random.Random(seed))
    values, relations = dashboard_relations(total, by_sector, by_type, reasons)
    shielded = protected_dashboard(total, by_sector, by_type, reasons)
    hidden = {}
    for cell in values:
        figure = _figure(shielded, cell)
        if figure.withheld:
            hidden[cell] = "complementary" if figure.complementary else "primary"
        else:
            assert figure.value == values[cell]  # what is shown is true
    assert_protected(values, relations, hidden)


def _figure(shielded, cell) -> Figure:
    total, by_sector, by_type, reasons, ended = shielded
    if cell[0] == "total":
        return total.figure(cell[1])
    if cell[0] in ("sector", "type"):
        group = by_sector if cell[0] == "sector" else by_type
        return next(f for f in group if f.key == cell[1]).figure(cell[2])
    if cell[0] == "reason":
        return dict(reasons)[cell[1]]
    return ended
