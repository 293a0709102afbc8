"""Complementary suppression: small numbers stay hidden under subtraction. Pure Python.

A table of person counts publishes sums: a total and its parts (sectors, offer types, reasons).
Primary suppression hides a count of 1 to 4; that alone is not enough, because the total minus
the parts shown gives a lone hidden part back. ``suppress`` hides more cells (complementary
suppression) until no hidden cell's value can be worked out from the published sums: each hidden
cell's feasible interval, solved from every relation on the page, stays wider than one value.

The solver assumes the reader knows the rule: a primary cell is 1 to 4, a complementary one is 0 or
at least 5 (it is chosen among cells that would have been shown; never a zero, so at least 5).
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

MIN_GROUP = 5
UNBOUNDED = 10**9


@dataclass(frozen=True)
class Relation:
    """``total`` = sum of ``parts`` (cell keys)."""

    total: Hashable
    parts: tuple[Hashable, ...]


def primary(value: int) -> bool:
    return 0 < value < MIN_GROUP


def intervals(values: dict, hidden: dict, relations: Iterable[Relation]) -> dict:
    """The interval each hidden cell can take given the shown cells and the sums (bounds propagation).

    ``hidden`` maps a cell to "primary" or "complementary"."""
    relations = list(relations)
    bounds = {}
    for cell in values:
        if cell not in hidden:
            bounds[cell] = (values[cell], values[cell])
        elif hidden[cell] == "primary":
            bounds[cell] = (1, MIN_GROUP - 1)
        else:
            bounds[cell] = (MIN_GROUP, UNBOUNDED)
    for _ in range(100):
        changed = False
        for relation in relations:
            cells = [relation.total, *relation.parts]
            lo_parts = sum(bounds[p][0] for p in relation.parts)
            hi_parts = sum(bounds[p][1] for p in relation.parts)
            lo, hi = bounds[relation.total]
            new = (max(lo, lo_parts), min(hi, hi_parts))
            if new != bounds[relation.total]:
                bounds[relation.total], changed = new, True
            t_lo, t_hi = bounds[relation.total]
            for part in relation.parts:
                others_lo = lo_parts - bounds[part][0]
                others_hi = hi_parts - bounds[part][1]
                lo, hi = bounds[part]
                new = (max(lo, t_lo - others_hi), min(hi, t_hi - others_lo))
                if new != bounds[part]:
                    bounds[part], changed = new, True
                    lo_parts = sum(bounds[p][0] for p in relation.parts)
                    hi_parts = sum(bounds[p][1] for p in relation.parts)
            del cells
        if not changed:
            break
    return {cell: bounds[cell] for cell in hidden}


def suppress(values: dict, relations: Iterable[Relation]) -> dict:
    """Which cells to hide: {cell: "primary" | "complementary"} for the counts in ``values``."""
    relations = list(relations)
    hidden = {cell: "primary" for cell, value in values.items() if primary(value)}
    for _ in range(len(values) + 1):
        exposed = [cell for cell, (lo, hi) in intervals(values, hidden, relations).items() if lo >= hi]
        if not exposed:
            return hidden
        candidate = next((c for c in (_complement_for(cell, values, hidden, relations) for cell in exposed)
                          if c is not None), None)
        if candidate is None:  # nothing small enough is left beside them: hide every count they are summed with
            for relation in _connected(exposed, relations):
                for other in (relation.total, *relation.parts):
                    hidden.setdefault(other, "complementary")
        else:
            hidden[candidate] = "complementary"
    return hidden


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
