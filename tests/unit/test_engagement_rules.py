"""The engagement rules (domain/engagement.py) and the dashboard's chart geometry (web/charts.py)."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.engagement import (
    MIN_GROUP,
    Figure,
    InterestFact,
    MentorFact,
    OfferFact,
    PlacementFact,
    counting_offers,
    disclosed,
    end_reasons,
    engaged_now,
    evidence,
    funnel,
    funnels_by,
    last_engaged_at,
    main_sector,
)
from web.charts import NUMBER_ROOM, WIDTH, bar_chart

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def offer(id=1, *, org=1, type="paid_traineeship", sector="Q", status="closed", published=10) -> OfferFact:
    return OfferFact(id, org, type, sector, status, None if published is None else ago(published))


def placement(id=1, *, offer_id=1, state="completed", outcome=None, contract=False, reason="", created=30,
              started=True, ended=None) -> PlacementFact:
    return PlacementFact(id, offer_id, state, outcome, contract, reason, ago(created),
                         ago(created - 1) if started else None, None if ended is None else ago(ended))


@pytest.mark.parametrize("count,shown", [(0, 0), (1, None), (4, None), (5, 5), (12, 12)])
def test_fewer_than_five_people_are_never_a_number(count, shown):
    assert disclosed(count) == Figure(shown)
    assert disclosed(count).withheld is (shown is None)
    assert MIN_GROUP == 5


@pytest.mark.parametrize("facts,counts", [
    (dict(status="published", published=900), True),  # open now, however old
    (dict(status="filled", published=900), True),
    (dict(status="closed", published=364), True),  # first published within 12 months
    (dict(status="paused", published=366), False),
    (dict(status="closed", published=366), False),
    (dict(status="draft", published=None), False),  # never published
])
def test_which_offers_count(facts, counts):
    assert (counting_offers([offer(**facts)], [], NOW) != []) is counts


@pytest.mark.parametrize("facts,counts", [
    (dict(state="active", created=800), True),  # planned or active now
    (dict(state="planned", created=800, started=False), True),
    (dict(state="completed", created=800, ended=300), True),  # ended within 12 months
    (dict(state="completed", created=400, ended=366), False),
    (dict(state="ended_early", created=200, ended=150), True),
])
def test_an_old_offer_counts_while_it_has_a_recent_placement(facts, counts):
    old = offer(published=800)
    assert (counting_offers([old], [placement(**facts)], NOW) != []) is counts


def test_engaged_now_and_last_engagement():
    offers = [offer(1, published=500), offer(2, published=200)]
    placements = [placement(offer_id=1, state="completed", created=100, ended=60)]
    assert last_engaged_at(offers, placements) == ago(60)
    assert not engaged_now(offers, placements)
    assert engaged_now([offer(status="published", published=900)], [])
    assert engaged_now(offers, [placement(state="planned", started=False)])
    assert last_engaged_at([], []) is None


def test_main_sector_is_the_employers_own_else_its_offers():
    assert main_sector("F", [offer(sector="Q")]) == "F"
    assert main_sector("", [offer(1, sector="Q"), offer(2, sector="J"), offer(3, sector="J")]) == "J"
    assert main_sector("", [offer(1, sector="Q"), offer(2, sector="J")]) == "J"  # a tie: alphabetical
    assert main_sector("", []) == ""


def test_evidence_counts_people_once_and_withholds_small_groups():
    offers = [offer(1, type="work_based_training", status="published"), offer(2)]
    placements = [
        *[placement(i, offer_id=1, outcome="hired", contract=True) for i in range(1, 6)],  # 5 IBO hires
        placement(6, offer_id=2, outcome="no_hire"),
        placement(7, offer_id=2, state="ended_early", started=False, reason="language"),
        placement(8, offer_id=99, outcome="hired"),  # another employer's offer
    ]
    mentors = [MentorFact(1, "a@x.be", True), MentorFact(2, "a@x.be", True), MentorFact(6, "b@x.be", False),
               MentorFact(8, "c@x.be", True)]
    result = evidence(offers, placements, mentors)
    assert (result.offers, result.open_offers) == (2, 1)
    assert result.placements_started == Figure(6)
    assert result.placements_completed == Figure(6)
    assert result.hires == Figure(5)
    assert result.ibo_with_contract == Figure(5)
    assert (result.mentors_nominated, result.mentors_trained, result.has_trained_mentors) == (Figure(None), Figure(None), True)  # 2 and 1 people: "fewer than 5"


def test_funnel_stages_and_groups():
    offers = [offer(1, sector="Q", type="paid_traineeship"), offer(2, sector="F", type="getting_to_know")]
    interests = [InterestFact(1, "accepted")] * 6 + [InterestFact(1, "declined"), InterestFact(2, "requested")]
    placements = [placement(i, offer_id=1, outcome="hired" if i < 6 else None,
                            state="completed" if i < 6 else "active") for i in range(1, 7)]
    total = funnel("", offers, interests, placements)
    assert total.stages == (Figure(2), Figure(8), Figure(6), Figure(6), Figure(5), Figure(5))
    assert total.figure("hired") == Figure(5)
    by_sector = funnels_by("sector", offers, interests, placements)
    assert [f.key for f in by_sector] == ["F", "Q"]
    assert by_sector[0].stages == (Figure(1), Figure(None), Figure(0), Figure(0), Figure(0), Figure(0))
    assert funnel("", [], interests, placements).stages == (Figure(0),) * 6


def test_end_reasons_hide_free_text_and_small_groups():
    placements = [placement(i, state="ended_early", reason="language") for i in range(5)] + [
        placement(9, state="ended_early", reason="Her name is Zyxquorra and she was ill"),
        placement(10, state="ended_early", reason="personal"),
        placement(11, state="completed", reason="language"),
    ]
    reasons = end_reasons([offer(1)], placements)
    assert reasons == [("language", Figure(5)), ("other", Figure(None)), ("personal", Figure(None))]
    assert "Zyxquorra" not in repr(reasons)


def test_chart_geometry_scales_to_the_largest_shown_figure():
    chart = bar_chart([("Offers", Figure(20)), ("Requests", Figure(None)), ("Hired", Figure(0))], label_width=150)
    plot = WIDTH - 150 - NUMBER_ROOM
    offers, requests, hired = chart.bars
    assert offers.width == plot
    assert requests.width == round(plot * (MIN_GROUP - 1) / 20, 1)  # the dashed 1-4 outline
    assert hired.width == 0 and hired.text_x == 158
    assert [b.y for b in chart.bars] == [6, 40, 74]
    assert chart.height == 6 * 2 + 3 * 24 + 2 * 10
    # With small numbers the scale starts at 10, so a withheld outline is never the longest bar.
    small = bar_chart([("A", Figure(0)), ("B", Figure(None))], label_width=170)
    assert small.bars[1].width == round((WIDTH - 170 - NUMBER_ROOM) * 4 / 10, 1)


def test_the_labels_fit_left_of_the_bars():
    assert bar_chart([("Hired", Figure(1)), ("Interest requests", Figure(2))]).label_width == int(16 + 7.8 * 17)
    assert bar_chart([("x" * 100, Figure(1))]).label_width == 320
