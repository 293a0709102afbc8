"""The proof behind "small numbers stay hidden under subtraction" (issues 14 and 17), independent of the module
that suppresses: given everything a reader can see across publications (shown cells, the sums that tie them, the
order of funnel steps), each hidden cell's smallest and largest possible value is solved exactly as an integer
linear programme (scipy's HiGHS), and must differ.

A reader is assumed to know the rule: a cell hidden as "fewer than k" is 1..k-1; any other hidden cell is >= k
(complementary cells are chosen among non-zero cells that would have been shown); a cell never published is >= 0.
"""

from collections.abc import Hashable, Iterable

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

BIG = 10**6


def solve_bounds(shown: dict[Hashable, int], hidden: dict[Hashable, str], sums: Iterable[tuple[Hashable, Iterable]],
                 orders: Iterable[tuple[Hashable, Hashable]], k: int) -> dict[Hashable, tuple[int, int]]:
    """{hidden cell: (min, max)} over every integer assignment consistent with what is published.

    ``hidden`` maps a cell to "primary", "complementary" or "unpublished"."""
    cells = sorted({*shown, *hidden}, key=repr)
    index = {cell: i for i, cell in enumerate(cells)}
    low, high = np.zeros(len(cells)), np.full(len(cells), float(BIG))
    for cell, value in shown.items():
        low[index[cell]] = high[index[cell]] = value
    for cell, kind in hidden.items():
        if kind == "primary":
            low[index[cell]], high[index[cell]] = 1, k - 1
        elif kind == "complementary":
            low[index[cell]] = k
    rows = []
    for total, parts in sums:
        row = np.zeros(len(cells))
        row[index[total]] -= 1
        for part in parts:
            row[index[part]] += 1
        rows.append((row, 0, 0))
    for small, large in orders:
        row = np.zeros(len(cells))
        row[index[small]], row[index[large]] = 1, -1
        rows.append((row, -np.inf, 0))
    constraints = [LinearConstraint(np.array([r for r, _l, _u in rows]), [lo for _r, lo, _u in rows],
                                    [up for _r, _l, up in rows])] if rows else []
    integrality = np.ones(len(cells))
    result = {}
    for cell, kind in hidden.items():
        if kind == "unpublished":
            continue
        ends = []
        for sign in (1, -1):
            objective = np.zeros(len(cells))
            objective[index[cell]] = sign
            solved = milp(objective, integrality=integrality, bounds=Bounds(low, high), constraints=constraints)
            assert solved.success, f"what is published is inconsistent: {solved.message}"
            ends.append(round(solved.x[index[cell]]))
        result[cell] = (ends[0], ends[1])
    return result


def assert_undetermined(truth: dict, shown: dict, hidden: dict, sums, orders, k: int) -> int:
    """Every hidden cell keeps at least two possible values, and its true value is among them. Returns how many
    hidden cells were checked."""
    sums, orders = list(sums), list(orders)
    for total, parts in sums:  # the relations are true of the real counts
        assert truth[total] == sum(truth[p] for p in parts), (total, parts)
    for cell, value in shown.items():
        assert truth[cell] == value, cell
    bounds = solve_bounds(shown, hidden, sums, orders, k)
    for cell, (lo, hi) in bounds.items():
        assert lo <= truth[cell] <= hi, (cell, truth[cell], lo, hi)
        assert hi > lo, f"{cell} can be worked out: it is {lo}"
    return len(bounds)
