"""validate_profile: the employer organisation's profile rules."""

from dataclasses import replace

import pytest

from domain.organisations import OrganisationProfileInput, validate_profile


def valid_profile(**overrides) -> OrganisationProfileInput:
    profile = OrganisationProfileInput(
        name="Woonzorgcentrum De Linde", sector="Q", postcode="9000", size="50-249",
        workplace_languages=["nl", "fr"], engagement_statement="We mentor newcomers.",
    )
    return replace(profile, **overrides)


def problems(profile, *, postcode_known=True) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for v in validate_profile(profile, postcode_known=postcode_known):
        found.setdefault(v.field, []).append(v.message.format(**v.params))
    return found


def test_valid_profile_has_no_violations():
    assert problems(valid_profile()) == {}


def test_only_the_name_is_required():
    assert problems(OrganisationProfileInput(name="De Linde"), postcode_known=False) == {}


@pytest.mark.parametrize("name", ["", "   "])
def test_name_is_required(name):
    assert problems(valid_profile(name=name)) == {"name": ["This field is required."]}


@pytest.mark.parametrize("sector", ["Z", "q", "86"])
def test_sector_outside_nace_is_refused(sector):
    assert problems(valid_profile(sector=sector)) == {"sector": ["Choose a sector from the list."]}


def test_unknown_postcode_is_refused_with_the_postcode_in_the_message():
    assert problems(valid_profile(postcode="9999"), postcode_known=False) == {
        "postcode": ["9999 is not a Belgian postcode we know."]
    }


def test_empty_postcode_is_not_checked():
    assert problems(valid_profile(postcode=""), postcode_known=False) == {}


@pytest.mark.parametrize("size", ["1-9", "10-49", "50-249", "250+"])
def test_listed_sizes_are_accepted(size):
    assert problems(valid_profile(size=size)) == {}


def test_unlisted_size_is_refused():
    assert problems(valid_profile(size="500")) == {"size": ["Choose a size from the list."]}


def test_unlisted_workplace_language_is_refused():
    assert problems(valid_profile(workplace_languages=["nl", "xx"])) == {
        "workplace_languages": ["Choose languages from the list."]
    }


@pytest.mark.parametrize(("length", "ok"), [(1000, True), (1001, False)])
def test_engagement_statement_is_at_most_1000_characters(length, ok):
    expected = {} if ok else {"engagement_statement": ["Keep the statement to 1000 characters at most."]}
    assert problems(valid_profile(engagement_statement="s" * length)) == expected
