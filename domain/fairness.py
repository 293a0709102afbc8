"""Fairness monitoring on safe aggregates (issue 17), pure: pass-through rates per group and funnel step, Wilson
95% intervals, the four-fifths flag, and small-cell suppression with complementary suppression.

A *cell* is one group at one step: ``entered`` people reached the step before, ``passed`` of them reached this one.
Cells with fewer than ``K`` people entering are suppressed; when a column (one step of one grouping) would then
have a single suppressed cell, or suppressed cells that all passed or all failed, more is hidden, so no suppressed
cell can be derived from the column's total and the cells shown.
"""

from dataclasses import dataclass, field
from datetime import date
from math import sqrt

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
    group: str
    entered: int
    passed: int
    suppressed: bool = False
    flagged: bool = False

    @property
    def rate(self) -> float | None:
        return None if self.suppressed or self.entered == 0 else self.passed / self.entered

    @property
    def interval(self) -> Interval | None:
        return None if self.suppressed or self.entered == 0 else wilson(self.passed, self.entered)


@dataclass
class Column:
    """One funnel step for one grouping: a cell per group and the total."""

    step: str
    cells: list[Cell]
    total_entered: int
    total_passed: int
    total_suppressed: bool = False


@dataclass
class Table:
    dimension: str
    groups: list[str]
    columns: list[Column] = field(default_factory=list)


def cells_for(people: list[Person], dimension: str, step: int) -> list[Cell]:
    """Counts per group for FUNNEL[step] (step >= 1): entered = reached the step before, passed = reached it."""
    counts: dict[str, list[int]] = {}
    for person in people:
        group = person.groups.get(dimension, "unknown")
        entered, passed = counts.setdefault(group, [0, 0])
        counts[group] = [entered + (person.reached >= step - 1), passed + (person.reached >= step)]
    return [Cell(group, entered, passed) for group, (entered, passed) in sorted(counts.items())]


def suppress(column: Column, k: int = K) -> None:
    """Primary: cells with 1..k-1 people entering. Complementary: a column never keeps a single suppressed cell (the
    next smallest cell is hidden too), and when the hidden cells together all passed or all failed, or nothing else
    can be hidden, the column's total is hidden as well."""
    for cell in column.cells:
        cell.suppressed = 0 < cell.entered < k
    hidden = [c for c in column.cells if c.suppressed]
    if len(hidden) == 1:
        others = sorted((c for c in column.cells if not c.suppressed and c.entered > 0), key=lambda c: c.entered)
        if others:
            others[0].suppressed = True
            hidden.append(others[0])
        else:
            column.total_suppressed = True
    if hidden:
        hidden_entered = sum(c.entered for c in hidden)
        hidden_passed = sum(c.passed for c in hidden)
        if hidden_passed in (0, hidden_entered):
            column.total_suppressed = True
    if 0 < column.total_entered < k:
        column.total_suppressed = True


def flag(column: Column) -> None:
    """A group's rate is flagged when it is below 80% of the best shown group's and their intervals do not overlap."""
    shown = [c for c in column.cells if c.rate is not None]
    if len(shown) < 2:
        return
    best = max(shown, key=lambda c: (c.rate, c.entered))
    for cell in shown:
        cell.flagged = (cell is not best and cell.rate < FOUR_FIFTHS * best.rate
                        and cell.interval.high < best.interval.low)


def fairness_table(people: list[Person], dimension: str, k: int = K) -> Table:
    groups = sorted({p.groups.get(dimension, "unknown") for p in people})
    table = Table(dimension, groups)
    for step in range(1, len(FUNNEL)):
        cells = cells_for(people, dimension, step)
        column = Column(FUNNEL[step], cells, sum(c.entered for c in cells), sum(c.passed for c in cells))
        suppress(column, k)
        flag(column)
        table.columns.append(column)
    return table


AGE_BANDS = ((0, 25, "18–25"), (26, 35, "26–35"), (36, 45, "36–45"), (46, 200, "46+"))


def age_band(born: date | None, on: date) -> str:
    if born is None:
        return "unknown"
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


DIMENSIONS = {"education": N_("Education level"), "age": N_("Age band"), "level_at_work": N_("Level@work eligibility")}
GROUP_LABELS = {
    "unknown": N_("Not known"), "eligible": N_("Eligible"), "not_eligible": N_("Not eligible"),
    "not_screened": N_("Not screened"),
}


def furthest_step(*, interest: bool, accepted: bool, started: bool, completed: bool, hired: bool) -> int:
    """How far one matched or proposed candidate went, as an index of FUNNEL."""
    reached = 0
    for step, done in enumerate((interest, accepted, started, completed, hired), start=1):
        if not done:
            break
        reached = step
    return reached
