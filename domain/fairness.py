"""Fairness monitoring on safe aggregates (issue 17), pure: pass-through rates per group and funnel step, Wilson
95% intervals, the four-fifths flag, and small-cell suppression with complementary suppression.

A *cell* is one group at one step: ``entered`` people reached the step before, ``passed`` of them reached this one.
The counts behind the cells (people of a group who reached a step) go through ``domain.suppression`` with k = 10:
counts of 1 to 9 are hidden, and as many others as needed so that no hidden count can be worked out from the
totals, the other groups, the other groupings (they share the totals) or the order of the steps. A rate is shown
only where both of its counts are.
"""

from dataclasses import dataclass, field
from datetime import date
from math import sqrt

from domain.suppression import Order, Relation, suppress
from domain.validation import N_

# Each step after the first: of the people who reached the step before, how many reached this one.
FUNNEL = ("matched", "interest", "accepted", "started", "completed", "hired")
FUNNEL_LABELS = {
    "matched": N_("Matched or proposed"), "interest": N_("Interest request"), "accepted": N_("Accepted"),
    "started": N_("Placement started"), "completed": N_("Completed"), "hired": N_("Hired"),
}
K = 10  # the smallest number of people a cell may show
Z95 = 1.959963984540054
FOUR_FIFTHS = 0.8


@dataclass(frozen=True)
class Person:
    """One candidate in the monitored pool: their group per dimension and how far they went (an index of FUNNEL)."""

    groups: dict[str, str]
    reached: int


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(passed: int, entered: int, z: float = Z95) -> Interval:
    """Wilson score interval of a proportion (95% by default)."""
    if entered <= 0:
        return Interval(0.0, 1.0)
    p = passed / entered
    denominator = 1 + z * z / entered
    centre = (p + z * z / (2 * entered)) / denominator
    half = z * sqrt(p * (1 - p) / entered + z * z / (4 * entered * entered)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class Cell:
    """One group at one step. A figure the table may not publish is None: the raw count never reaches a page."""

    group: str
    entered: int | None
    passed: int | None
    flagged: bool = False

    @property
    def suppressed(self) -> bool:
        return self.entered is None or self.passed is None

    @property
    def rate(self) -> float | None:
        return None if self.suppressed or self.entered == 0 else self.passed / self.entered

    @property
    def interval(self) -> Interval | None:
        return None if self.rate is None else wilson(self.passed, self.entered)


@dataclass
class Column:
    """One funnel step for one grouping: a cell per group and the total (None where hidden)."""

    step: str
    cells: list[Cell]
    total_entered: int | None
    total_passed: int | None

    @property
    def total_suppressed(self) -> bool:
        return self.total_entered is None or self.total_passed is None


@dataclass
class Table:
    dimension: str
    groups: list[str]
    columns: list[Column] = field(default_factory=list)


def reached_counts(people: list[Person], dimensions, steps: int = len(FUNNEL)) -> dict:
    """Every count of people the fairness view rests on: ("total", step) and (dimension, group, step) = how many
    people (of that group) reached FUNNEL[step], for the first ``steps`` steps."""
    values = {("total", step): sum(p.reached >= step for p in people) for step in range(steps)}
    for dimension in dimensions:
        for group in sorted({p.groups.get(dimension, "unknown") for p in people}):
            members = [p for p in people if p.groups.get(dimension, "unknown") == group]
            for step in range(steps):
                values[(dimension, group, step)] = sum(p.reached >= step for p in members)
    return values


def fairness_relations(values: dict) -> tuple[list[Relation], list[Order]]:
    """Per dimension and step the groups add up to the total; a step never counts more people than the one
    before."""
    parts: dict[tuple, list] = {}
    for cell in values:
        if cell[0] != "total":
            parts.setdefault((cell[0], cell[2]), []).append(cell)
    relations = [Relation(("total", step), tuple(cells)) for (_dimension, step), cells in sorted(parts.items())]
    orders = [Order(cell, (*cell[:-1], cell[-1] - 1)) for cell in values if cell[-1] > 0]
    return relations, orders


def flag(column: Column) -> None:
    """A group's rate is flagged when it is below 80% of the best shown group's and their intervals do not overlap."""
    shown = [c for c in column.cells if c.rate is not None]
    if len(shown) < 2:
        return
    best = max(shown, key=lambda c: (c.rate, c.entered))
    for cell in shown:
        cell.flagged = (cell is not best and cell.rate < FOUR_FIFTHS * best.rate
                        and cell.interval.high < best.interval.low)


def fairness_tables(people: list[Person], dimensions, k: int = K, steps: int = len(FUNNEL)
                    ) -> tuple[list[Table], int | None]:
    """A table per dimension, suppressed together (they share the totals): (tables, people matched or None when
    that total is hidden). ``steps`` publishes only the funnel's first steps (an employer's: shown, interest
    request, accepted)."""
    values = reached_counts(people, dimensions, steps)
    relations, orders = fairness_relations(values)
    hidden = suppress(values, relations, k, orders)

    def shown(cell) -> int | None:
        return None if cell in hidden else values[cell]

    tables = []
    for dimension in dimensions:
        groups = sorted({cell[1] for cell in values if cell[0] == dimension})
        table = Table(dimension, groups)
        for step in range(1, steps):
            cells = [Cell(g, shown((dimension, g, step - 1)), shown((dimension, g, step))) for g in groups]
            column = Column(FUNNEL[step], cells, shown(("total", step - 1)), shown(("total", step)))
            flag(column)
            table.columns.append(column)
        tables.append(table)
    return tables, shown(("total", 0))


AGE_BANDS = ((0, 25, "18–25"), (26, 35, "26–35"), (36, 45, "36–45"), (46, 200, "46+"))


def age_band(born: date | None, on: date) -> str:
    if born is None:
        return "unknown"
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


DIMENSIONS = {"region": N_("Region of origin"), "education": N_("Education level"), "age": N_("Age band"),
              "level_at_work": N_("Level@work eligibility"), "gender": N_("Gender (where stated)")}
GENDERS = {"woman": N_("Woman"), "man": N_("Man"), "another": N_("Another gender"),
           "prefer_not_to_say": N_("Prefer not to say")}
GROUP_LABELS = {
    "unknown": N_("Not known"), "eligible": N_("Eligible"), "not_eligible": N_("Not eligible"),
    "not_screened": N_("Not screened"), "not_stated": N_("Not stated"), **GENDERS,
}


def gender_group(stated: str | None) -> str:
    """Gender counts as a group only where the candidate stated it; "prefer not to say" is not stated either."""
    return stated if stated in GENDERS and stated != "prefer_not_to_say" else "not_stated"


def parse_month(text: str) -> date | None:
    """"2026-03" -> 1 March 2026; anything else -> None."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 and 1 <= month <= 12 else None
    except ValueError:
        return None


def month_after(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def furthest_step(*, interest: bool, accepted: bool, started: bool, completed: bool, hired: bool) -> int:
    """How far one matched or proposed candidate went, as an index of FUNNEL."""
    reached = 0
    for step, done in enumerate((interest, accepted, started, completed, hired), start=1):
        if not done:
            break
        reached = step
    return reached
