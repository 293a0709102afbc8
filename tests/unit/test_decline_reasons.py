"""Decline reasons (issue 17): the coach's counts by offer type and sector; the employer's private counts with
small numbers hidden so that no decline can be tied to one candidate."""

from domain.declines import Decline, coach_reasons, employer_reasons


def declines(*spec):
    return [Decline(reason, offer_type, sector) for reason, offer_type, sector, n in spec for _ in range(n)]


def test_the_coach_sees_the_most_frequent_reasons_first_by_type_and_sector():
    counts = coach_reasons(declines(("distance", "paid_traineeship", "Q", 3), ("timing", "getting_to_know", "Q", 1),
                                    ("distance", "getting_to_know", "F", 2), ("made-up", "paid_traineeship", "F", 1)))
    assert counts.total == 7
    assert counts.reasons == [("distance", 5), ("other", 1), ("timing", 1)]  # unknown keys count as "other"
    assert counts.by_type["paid_traineeship"] == [("distance", 3), ("other", 1)]
    assert counts.by_sector["Q"] == [("distance", 3), ("timing", 1)]


def test_the_employer_sees_no_reason_below_five_declines():
    result = employer_reasons(declines(("distance", "t", "Q", 3), ("timing", "t", "Q", 1)))
    assert result.total == 4 and not result.shown and result.reasons == []


def test_a_small_reason_is_hidden_with_another_so_the_total_does_not_give_it_away():
    result = employer_reasons(declines(("distance", "t", "Q", 9), ("timing", "t", "Q", 2), ("work", "t", "Q", 6)))
    shown = {reason: n for reason, n, _small in result.reasons}
    assert result.total == 17 and shown["timing"] is None
    assert [n for n in shown.values()].count(None) >= 2  # 17 - 9 - 6 would give the 2 back otherwise
    small = {reason: is_small for reason, _n, is_small in result.reasons}
    assert small["timing"] is True
