"""negotiate: the interface language from the cookie, else the browser, else English (SPEC §7)."""

import pytest

from web.i18n import negotiate


@pytest.mark.parametrize("cookie", ["nl", "fr", "en"])
def test_cookie_wins_over_the_browser(cookie):
    assert negotiate(cookie, "de-DE, nl;q=0.9, fr;q=0.8, en;q=0.7") == cookie


@pytest.mark.parametrize("cookie", ["de", "", "xx", None])
def test_unsupported_cookie_falls_back_to_the_browser(cookie):
    assert negotiate(cookie, "fr") == "fr"


def test_regional_variant_matches_its_language():
    assert negotiate(None, "fr-BE,fr;q=0.9,en;q=0.8") == "fr"


def test_first_supported_language_is_chosen_past_unsupported_ones():
    assert negotiate(None, "de-DE, nl;q=0.5") == "nl"


@pytest.mark.parametrize("header", ["", "de-DE", "de, es;q=0.8, *;q=0.1", "garbage;;;,,"])
def test_unsupported_browser_language_gives_english(header):
    assert negotiate(None, header) == "en"


def test_higher_quality_wins_over_order():
    assert negotiate(None, "en;q=0.5, nl;q=0.9, fr;q=0.7") == "nl"


def test_equal_quality_keeps_header_order():
    assert negotiate(None, "fr;q=0.8, nl;q=0.8") == "fr"


def test_missing_quality_counts_as_one():
    assert negotiate(None, "en;q=0.9, nl") == "nl"


def test_unreadable_quality_ranks_last():
    assert negotiate(None, "nl;q=abc, fr;q=0.1") == "fr"


def test_language_tags_are_case_insensitive():
    assert negotiate(None, "NL-be") == "nl"


def test_quality_zero_means_not_acceptable():
    assert negotiate(None, "nl;q=0, fr;q=0") == "en"


def test_whitespace_around_the_semicolon_is_allowed():
    assert negotiate(None, "fr ; q=0.9, en;q=0.5") == "fr"
