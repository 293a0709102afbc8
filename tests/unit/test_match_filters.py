"""The match-list filters, sort and paging as pure rules (domain/match_filters.py)."""

from datetime import date

import pytest

from domain.match_filters import (
    MAX_RESULTS,
    MatchFilters,
    page_window,
    parse_filters,
    passes,
    sort_key,
    timestamp,
)
from domain.validation import RuleBroken

DOC = {
    "languages": {"nl": 3, "fr": 5},
    "education_rank": 2,
    "eligible_programmes": ["level_at_work"],
    "available_from_ts": timestamp(date(2027, 3, 1)),
    "accepted_types": ["getting_to_know", "paid_traineeship"],
}


def fields_of(params) -> set[str]:
    with pytest.raises(RuleBroken) as broken:
        parse_filters(params)
    return {v.field for v in broken.value.violations}


def test_languages_repeat_and_keep_the_highest_minimum():
    filters = parse_filters({"language": ["nl:B1", "NL:b2", "fr:A2"]})
    assert filters.languages == (("fr", 2), ("nl", 4))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"language": ["nl"]}, "language"),
        ({"language": ["ar:B2"]}, "language"),
        ({"language": ["nl:B9"]}, "language"),
        ({"education_min": ["phd"]}, "education_min"),
        ({"max_km": ["0"]}, "max_km"),
        ({"max_km": ["-3"]}, "max_km"),
        ({"max_km": ["ten"]}, "max_km"),
        ({"max_km": ["501"]}, "max_km"),
        ({"eligible_for": ["Level@work"]}, "eligible_for"),
        ({"available_by": ["1-3-2027"]}, "available_by"),
        ({"available_by": ["9999-01-01"]}, "available_by"),
        ({"offer_type": ["job"]}, "offer_type"),
        ({"sort": ["name"]}, "sort"),
        ({"limit": ["101"]}, "limit"),
        ({"limit": ["0"]}, "limit"),
        ({"cursor": ["100"]}, "cursor"),
        ({"cursor": ["x"]}, "cursor"),
    ],
)
def test_each_wrong_parameter_is_named(params, field):
    assert fields_of(params) == {field}


def test_every_wrong_field_is_named_at_once():
    assert fields_of({"max_km": ["x"], "sort": ["y"], "language": ["zz"]}) == {"max_km", "sort", "language"}


def test_empty_values_from_a_get_form_mean_no_filter():
    filters = parse_filters({"language": [""], "education_min": [""], "max_km": [""], "sort": [""]})
    assert filters == MatchFilters() and not filters.active


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, True),
        ({"language": ["nl:B1"]}, True),
        ({"language": ["nl:B2"]}, False),
        ({"language": ["de:A1"]}, False),
        ({"language": ["nl:B1", "fr:C1"]}, True),
        ({"language": ["nl:B1", "fr:C2"]}, False),
        ({"education_min": ["bachelor"]}, True),
        ({"education_min": ["master"]}, False),
        ({"max_km": ["12"]}, True),
        ({"max_km": ["11"]}, False),
        ({"eligible_for": ["level_at_work"]}, True),
        ({"eligible_for": ["bio"]}, False),
        ({"available_by": ["2027-03-01"]}, True),
        ({"available_by": ["2027-02-28"]}, False),
        ({"offer_type": ["paid_traineeship"]}, True),
        ({"offer_type": ["work_based_training"]}, False),
    ],
)
def test_a_profile_passes_exactly_the_filters_it_meets(params, expected):
    assert passes(parse_filters(params), DOC, distance_km=11.6) is expected


def test_the_url_gives_the_same_filters_back():
    params = {
        "language": ["nl:B2"],
        "education_min": ["bachelor"],
        "max_km": ["25"],
        "eligible_for": ["level_at_work"],
        "available_by": ["2027-01-31"],
        "offer_type": ["getting_to_know"],
        "sort": ["distance"],
        "cursor": ["20"],
    }
    filters = parse_filters(params)
    again = {}
    for name, value in filters.query():
        again.setdefault(name, []).append(value)
    assert parse_filters(again) == filters
    assert ("cursor", "40") in filters.query(cursor="40")


def test_pages_stop_at_100():
    assert page_window(parse_filters({})) == (21, 20)
    assert page_window(parse_filters({"cursor": ["80"]})) == (100, 100)
    assert page_window(parse_filters({"cursor": ["20"], "sort": ["distance"]})) == (MAX_RESULTS, 40)


def test_sorts_order_by_what_they_say_then_by_fit():
    rows = [(0.9, 20.0, 500, 1), (0.5, 3.0, 100, 2), (0.7, 3.0, 0, 3)]
    assert [r[3] for r in sorted(rows, key=lambda r: sort_key("fit", *r))] == [1, 3, 2]
    assert [r[3] for r in sorted(rows, key=lambda r: sort_key("distance", *r))] == [3, 2, 1]
    assert [r[3] for r in sorted(rows, key=lambda r: sort_key("availability", *r))] == [3, 2, 1]
