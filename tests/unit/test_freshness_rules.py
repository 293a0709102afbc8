"""The freshness clock, with time moved by hand (a fixed clock)."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.freshness import FreshnessRules, Step, candidate_step, offer_step

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
RULES = FreshnessRules()


@pytest.mark.parametrize(("days", "expected"), [(0, None), (41, None), (42, Step.ASK), (100, Step.ASK)])
def test_a_candidate_is_asked_six_weeks_after_the_last_confirmation(days, expected):
    assert candidate_step(T0 + timedelta(days=days), last_confirmed=T0, asked_at=None, paused=False) == expected


def test_an_unanswered_question_pauses_after_fourteen_days_and_not_before():
    asked = T0 + timedelta(weeks=6)
    assert candidate_step(asked + timedelta(days=13, hours=23), last_confirmed=T0, asked_at=asked, paused=False) is None
    assert candidate_step(asked + timedelta(days=14), last_confirmed=T0, asked_at=asked, paused=False) == Step.PAUSE


def test_an_answer_restarts_the_six_weeks():
    asked = T0 + timedelta(weeks=6)
    answered = asked + timedelta(days=2)
    assert candidate_step(asked + timedelta(days=20), last_confirmed=answered, asked_at=asked, paused=False) is None
    assert candidate_step(answered + timedelta(weeks=6), last_confirmed=answered, asked_at=asked,
                          paused=False) == Step.ASK


def test_a_paused_candidate_is_neither_asked_nor_paused_again():
    assert candidate_step(T0 + timedelta(days=400), last_confirmed=T0, asked_at=None, paused=True) is None


def test_the_interval_is_a_setting():
    rules = FreshnessRules(ask_every=timedelta(weeks=2))
    assert candidate_step(T0 + timedelta(weeks=2), last_confirmed=T0, asked_at=None, paused=False, rules=rules) == Step.ASK


def _offer(now, **kw):
    values = {"published": True, "published_at": T0, "updated_at": T0, "confirmed_at": None, "asked_at": None}
    values.update(kw)
    return offer_step(now, **values)


def test_a_published_offer_is_asked_after_sixty_days_and_paused_fourteen_days_later():
    assert _offer(T0 + timedelta(days=59)) is None
    assert _offer(T0 + timedelta(days=60)) == Step.ASK
    asked = T0 + timedelta(days=60)
    assert _offer(asked + timedelta(days=13), asked_at=asked) is None
    assert _offer(asked + timedelta(days=14), asked_at=asked) == Step.PAUSE


def test_an_edit_or_a_confirmation_answers_the_question():
    asked = T0 + timedelta(days=60)
    assert _offer(asked + timedelta(days=20), asked_at=asked, updated_at=asked + timedelta(days=1)) is None
    assert _offer(asked + timedelta(days=20), asked_at=asked, confirmed_at=asked + timedelta(days=3)) is None


def test_offers_that_are_not_published_are_left_alone():
    assert _offer(T0 + timedelta(days=500), published=False) is None


def test_the_share_of_the_pool_confirmed_in_the_last_six_weeks_with_a_fixed_clock():
    from domain.freshness import pool_freshness

    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    moments = [now - timedelta(days=1), now - timedelta(weeks=6), now - timedelta(weeks=6, seconds=1),
               now - timedelta(days=200)]
    fresh = pool_freshness(now, moments)
    assert (fresh.pool, fresh.confirmed, fresh.share) == (4, 2, 0.5)  # exactly six weeks ago still counts
    later = pool_freshness(now + timedelta(days=2), moments)
    assert later.confirmed == 1  # the clock moved: the six-week-old answer is too old now
    assert pool_freshness(now, []).share is None
