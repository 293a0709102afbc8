"""Interface language: chosen with the switch (a cookie), else from the browser, else English."""

import re

import pytest

from tests.conftest import csrf_of, log_in


def html_lang(response) -> str:
    match = re.search(r'<html lang="([a-z]+)">', response.text)
    assert match, "no <html lang>"
    return match.group(1)


def test_default_language_is_english(client):
    assert html_lang(client.get("/login")) == "en"


def test_language_switch_sets_a_cookie_and_the_next_page_is_french(client):
    token = csrf_of(client, "/login")
    response = client.post("/language", data={"lang": "fr", "next": "/signup", "csrf_token": token},
                           follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/signup"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("opstap_lang=fr")
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert html_lang(client.get("/signup")) == "fr"
    assert html_lang(client.get("/login")) == "fr"


def test_the_switch_shows_the_current_language_as_current_and_offers_the_others(client):
    client.cookies.set("opstap_lang", "nl")
    page = client.get("/login")
    assert re.search(r'<span lang="nl" aria-current="true">Nederlands</span>', page.text)
    assert re.search(r'<button type="submit" name="lang" value="fr" lang="fr">Français</button>', page.text)
    assert not re.search(r'<button[^>]*value="nl"', page.text)


@pytest.mark.parametrize("header,expected", [
    ("nl", "nl"), ("nl-BE,nl;q=0.9,en;q=0.8", "nl"), ("fr-BE", "fr"), ("de-DE,fr;q=0.5", "fr"),
    ("en-GB,nl;q=0.9", "en"), ("es,it", "en"), ("fr;q=0.2,nl;q=0.8", "nl"),
])
def test_accept_language_chooses_the_language(client, header, expected):
    assert html_lang(client.get("/login", headers={"Accept-Language": header})) == expected


def test_the_chosen_language_wins_over_the_browser(client):
    token = csrf_of(client, "/login")
    client.post("/language", data={"lang": "fr", "csrf_token": token})
    assert html_lang(client.get("/login", headers={"Accept-Language": "nl"})) == "fr"


def test_an_unsupported_language_is_ignored(client):
    token = csrf_of(client, "/login")
    response = client.post("/language", data={"lang": "xx", "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert "opstap_lang" not in response.headers.get("set-cookie", "")
    assert html_lang(client.get("/login")) == "en"


def test_the_switch_does_not_redirect_off_site(client):
    token = csrf_of(client, "/login")
    for target in ("//evil.example", "https://evil.example"):
        response = client.post("/language", data={"lang": "nl", "next": target, "csrf_token": token},
                               follow_redirects=False)
        assert "evil" not in response.headers["location"]


def test_the_switch_needs_a_csrf_token(client):
    client.get("/login")
    response = client.post("/language", data={"lang": "fr"}, follow_redirects=False)
    assert response.status_code == 403
    assert html_lang(client.get("/login")) == "en"


def test_the_language_survives_login(client, employer):
    token = csrf_of(client, "/login")
    client.post("/language", data={"lang": "nl", "csrf_token": token})
    log_in(client, employer.email)
    assert html_lang(client.get("/offers")) == "nl"


def test_error_pages_are_in_the_chosen_language_too(client):
    client.cookies.set("opstap_lang", "fr")
    assert html_lang(client.get("/no/such/page")) == "fr"
