"""A pool that stays fresh (issue 17): the clock rules, pure.

Every candidate in matching is asked "Still looking?" every ``ask_every``; no answer within ``answer_within``
pauses the profile. A published offer not confirmed or edited for ``offer_confirm_after`` asks its employer to
confirm it; unconfirmed ``offer_grace`` later it is paused. The clock (``now``) is always passed in.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Step(StrEnum):
    ASK = "ask"
    PAUSE = "pause"


@dataclass(frozen=True)
class FreshnessRules:
    ask_every: timedelta = timedelta(weeks=6)
    answer_within: timedelta = timedelta(days=14)
    offer_confirm_after: timedelta = timedelta(days=60)
    offer_grace: timedelta = timedelta(days=14)


def _latest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def candidate_step(now: datetime, *, last_confirmed: datetime, asked_at: datetime | None, paused: bool,
                   rules: FreshnessRules = FreshnessRules()) -> Step | None:
    """What the clock asks of one candidate: ask, pause, or nothing. ``last_confirmed`` is the latest of the
    profile's creation and the candidate's last "still looking" answer. A paused candidate is not asked."""
    if paused:
        return None
    if asked_at is not None and asked_at >= last_confirmed:
        return Step.PAUSE if now >= asked_at + rules.answer_within else None
    return Step.ASK if now >= last_confirmed + rules.ask_every else None


def offer_step(now: datetime, *, published: bool, published_at: datetime | None, updated_at: datetime | None,
               confirmed_at: datetime | None, asked_at: datetime | None,
               rules: FreshnessRules = FreshnessRules()) -> Step | None:
    """What the clock asks of one offer: an edit, a (re)publication or a confirmation all count as confirmed."""
    if not published:
        return None
    last = _latest(published_at, updated_at, confirmed_at)
    if last is None:
        return None
    if asked_at is not None and asked_at >= last:
        return Step.PAUSE if now >= asked_at + rules.offer_grace else None
    return Step.ASK if now >= last + rules.offer_confirm_after else None


def still_looking_deadline(asked_at: datetime, rules: FreshnessRules = FreshnessRules()) -> datetime:
    return asked_at + rules.answer_within


def awaits_confirmation(*, published: bool, published_at: datetime | None, updated_at: datetime | None,
                        confirmed_at: datetime | None, asked_at: datetime | None) -> bool:
    """The employer was asked to confirm this published offer and has not confirmed or edited it since."""
    last = _latest(published_at, updated_at, confirmed_at)
    return published and asked_at is not None and (last is None or asked_at >= last)


def question_open(*, asked_at: datetime | None, last_answer: datetime | None) -> bool:
    """The candidate was asked "Still looking?" and has not answered since."""
    return asked_at is not None and (last_answer is None or last_answer < asked_at)


@dataclass(frozen=True)
class PoolFreshness:
    """How much of the pool in matching confirmed it is still looking within ``ask_every`` (a new profile counts as
    confirmed on the day it is made). ``share`` is None for an empty pool."""

    pool: int
    confirmed: int

    @property
    def share(self) -> float | None:
        return self.confirmed / self.pool if self.pool else None


def pool_freshness(now: datetime, last_confirmed: list[datetime], rules: FreshnessRules = FreshnessRules()
                   ) -> PoolFreshness:
    """``last_confirmed``: per candidate in matching, the latest of its creation and its last "still looking"."""
    since = now - rules.ask_every
    return PoolFreshness(len(last_confirmed), sum(1 for moment in last_confirmed if moment >= since))
