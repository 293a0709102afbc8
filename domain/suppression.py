"""Complementary suppression: small numbers stay hidden under subtraction. Pure Python, the one implementation
behind every published table of person counts (the network dashboard, the directory's employer pages and CSV
export, fairness monitoring; issues 14 and 17).

A table of person counts publishes sums: a total and its parts (sectors, offer types, reasons, groups). Primary
suppression hides a count of 1 to ``k - 1`` (``k`` = 5 for the dashboard and exports, 10 for fairness); that alone
is not enough, because the total minus the parts shown gives a lone hidden part back. ``suppress`` hides more cells
(complementary suppression) until no hidden cell's value can be worked out from the published sums: each hidden
cell's feasible interval, solved from every relation published anywhere, stays wider than one value.

Besides sums (``Relation``) a reader knows orders (``Order``): a later funnel step never counts more people than
the one before. Cells that are part of a sum but never published anywhere (an employer not listed in the
directory) are ``unpublished``: they can be anything from 0 up.

The solver assumes the reader knows the rule: a primary cell is 1 to k-1, a complementary one is at least k (it is
chosen among non-zero cells that would have been shown).
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

MIN_GROUP = 5  # the dashboard, the directory and every export
UNBOUNDED = 10**9
PRIMARY, COMPLEMENTARY, UNPUBLISHED = "primary", "complementary", "unpublished"


@dataclass(frozen=True)
class Relation:
    """``total`` = sum of ``parts`` (cell keys)."""

    total: Hashable
    parts: tuple[Hashable, ...]


@dataclass(frozen=True)
class Order:
    """``small`` <= ``large``: e.g. the people hired never outnumber the people whose placement started."""

    small: Hashable
    large: Hashable


def primary(value: int, k: int = MIN_GROUP) -> bool:
    return 0 < value < k


def _start(values: dict, hidden: dict, k: int) -> dict:
    bounds = {}
    for cell in values:
        kind = hidden.get(cell)
        if kind is None:
            bounds[cell] = (values[cell], values[cell])
        elif kind == PRIMARY:
            bounds[cell] = (1, k - 1)
        elif kind == COMPLEMENTARY:
            bounds[cell] = (k, UNBOUNDED)
        else:
            bounds[cell] = (0, UNBOUNDED)
    return bounds


def with_slacks(values: dict, hidden: dict, relations: list[Relation], orders: list[Order]):
    """Orders as sums, so that they combine with the sums: ``large = small + slack`` with an unpublished slack of
    0 or more; and where two sums match part for part through orders (every group's step against the same group's
    step before), the slacks add up to the slack of the totals. (A reader adds up the people who dropped out per
    group; intervals alone would miss that.)"""
    values, hidden, originals = dict(values), dict(hidden), list(relations)
    relations = list(originals)
    slack_of = {}
    for order in orders:
        cell = ("slack", order.small, order.large)
        values[cell] = values[order.large] - values[order.small]
        hidden[cell] = UNPUBLISHED
        relations.append(Relation(order.large, (order.small, cell)))
        slack_of[(order.small, order.large)] = cell
    smaller = {}
    for small, large in slack_of:
        smaller.setdefault(large, []).append(small)
    by_total: dict = {}
    for relation in originals:
        by_total.setdefault(relation.total, []).append(relation)
    for upper in originals:
        for small_total in smaller.get(upper.total, []):
            for lower in by_total.get(small_total, []):
                pairs = []
                for part in lower.parts:
                    match = [p for p in upper.parts if (part, p) in slack_of]
                    if len(match) != 1:
                        break
                    pairs.append(slack_of[(part, match[0])])
                else:
                    if len(pairs) == len(upper.parts):
                        relations.append(Relation(slack_of[(small_total, upper.total)], tuple(pairs)))
    return values, hidden, relations


def intervals(values: dict, hidden: dict, relations: Iterable[Relation], k: int = MIN_GROUP,
              orders: Iterable[Order] = ()) -> dict:
    """The interval each hidden cell can take given the shown cells, the sums and the orders (bounds propagation,
    to a fixed point). ``hidden`` maps a cell to "primary", "complementary" or "unpublished"."""
    asked = dict(hidden)
    values, hidden, relations = with_slacks(values, hidden, list(relations), list(orders))
    bounds = _start(values, hidden, k)
    for _ in range(200):
        changed = False
        for relation in relations:
            lo_parts = sum(bounds[p][0] for p in relation.parts)
            hi_parts = sum(bounds[p][1] for p in relation.parts)
            lo, hi = bounds[relation.total]
            new = (max(lo, lo_parts), min(hi, hi_parts))
            if new != (lo, hi):
                bounds[relation.total], changed = new, True
            t_lo, t_hi = bounds[relation.total]
            for part in relation.parts:
                lo, hi = bounds[part]
                new = (max(lo, t_lo - (hi_parts - hi)), min(hi, t_hi - (lo_parts - lo)))
                if new != (lo, hi):
                    bounds[part], changed = new, True
                    lo_parts += new[0] - lo
                    hi_parts += new[1] - hi
        if not changed:
            break
    return {cell: bounds[cell] for cell in asked}


def suppress(values: dict, relations: Iterable[Relation], k: int = MIN_GROUP, orders: Iterable[Order] = (),
             unpublished: Iterable[Hashable] = ()) -> dict:
    """Which cells to hide: {cell: "primary" | "complementary" | "unpublished"} for the counts in ``values``."""
    hidden = {cell: UNPUBLISHED for cell in unpublished}
    hidden.update({cell: PRIMARY for cell, value in values.items() if primary(value, k) and cell not in hidden})
    original = set(values)
    values, hidden, relations = with_slacks(values, hidden, list(relations), list(orders))
    for _ in range(len(values) + 1):
        exposed = [cell for cell, (lo, hi) in intervals(values, hidden, relations, k).items()
                   if lo >= hi and hidden[cell] != UNPUBLISHED]
        if not exposed:
            break
        candidate = next((c for c in (_complement_for(cell, values, hidden, relations) for cell in exposed)
                          if c is not None), None)
        if candidate is None:  # nothing small enough is left beside them: hide every non-zero count they are summed with
            grew = False
            for relation in _connected(exposed, relations):
                for other in (relation.total, *relation.parts):
                    if other not in hidden and values[other] > 0:
                        hidden[other] = COMPLEMENTARY
                        grew = True
            if not grew:
                break
        else:
            hidden[candidate] = COMPLEMENTARY
    return {cell: kind for cell, kind in hidden.items() if cell in original}


def _connected(cells: list, relations: list[Relation]) -> list[Relation]:
    """The relations linked to ``cells``, directly or through other relations."""
    reached, found, grew = set(cells), [], True
    while grew:
        grew = False
        for relation in relations:
            members = {relation.total, *relation.parts}
            if relation not in found and members & reached:
                found.append(relation)
                reached |= members
                grew = True
    return found


def _complement_for(cell, values: dict, hidden: dict, relations: list[Relation]):
    """The smallest shown non-zero part of the relations linked to ``cell`` (the nearest first); else a total."""
    for scope in ([r for r in relations if cell in (r.total, *r.parts)], _connected([cell], relations)):
        choices = []
        for relation in scope:
            choices += [(0, values[p], str(p), p) for p in relation.parts if p not in hidden and values[p] > 0]
            if relation.total not in hidden and values[relation.total] > 0:
                choices.append((1, values[relation.total], str(relation.total), relation.total))
        if choices:
            return min(choices)[3]
    return None
