"""Why candidates declined interest requests (issue 17), pure.

A coach sees the decline reasons of their own service's candidates counted per reason, by offer type and by sector,
most frequent first: the coach already reads each decline with its reason, so nothing is hidden from them.

An employer privately sees why candidates declined *its* requests. It knows which of its requests were declined and
when, so a small count could be tied to one person: a reason given by 1 to 4 candidates is shown as "fewer than 5",
with complementary suppression (``domain.suppression``, k = 5) so the total declined minus the reasons shown gives
no hidden one back; with fewer than 5 declines in all, no reason is shown at all, only that total.
"""

from collections import Counter
from dataclasses import dataclass

from domain.interest import DECLINE_REASONS
from domain.suppression import MIN_GROUP, Relation, suppress


@dataclass(frozen=True)
class Decline:
    reason: str
    offer_type: str
    sector: str


def _reason(key: str) -> str:
    return key if key in DECLINE_REASONS else "other"


@dataclass(frozen=True)
class ReasonCounts:
    """Per reason (most frequent first), the count overall and per offer type and per sector."""

    total: int
    reasons: list[tuple[str, int]]
    by_type: dict[str, list[tuple[str, int]]]
    by_sector: dict[str, list[tuple[str, int]]]


def _ranked(counter: Counter) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def coach_reasons(declines: list[Decline]) -> ReasonCounts:
    by_type: dict[str, Counter] = {}
    by_sector: dict[str, Counter] = {}
    for d in declines:
        by_type.setdefault(d.offer_type, Counter())[_reason(d.reason)] += 1
        by_sector.setdefault(d.sector, Counter())[_reason(d.reason)] += 1
    return ReasonCounts(len(declines), _ranked(Counter(_reason(d.reason) for d in declines)),
                        {k: _ranked(v) for k, v in sorted(by_type.items())},
                        {k: _ranked(v) for k, v in sorted(by_sector.items())})


@dataclass(frozen=True)
class EmployerReasons:
    total: int
    shown: bool  # False: fewer than 5 declines, no reason is shown
    reasons: list[tuple[str, int | None, bool]]  # (reason, count or None when hidden, hidden as "fewer than 5")


def employer_reasons(declines: list[Decline], k: int = MIN_GROUP) -> EmployerReasons:
    counts = Counter(_reason(d.reason) for d in declines)
    if len(declines) < k:
        return EmployerReasons(len(declines), False, [])
    values = {("reason", r): n for r, n in counts.items()}
    values[("total",)] = len(declines)
    hidden = suppress(values, [Relation(("total",), tuple(("reason", r) for r in counts))], k)
    return EmployerReasons(len(declines), True, [
        (r, None if ("reason", r) in hidden else n, hidden.get(("reason", r)) == "primary")
        for r, n in _ranked(counts)])
