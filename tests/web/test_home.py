"""Each role's home page: what waits for them (counts that link to the work), what to do next, and where they
are in the journey; the trust pages; the 405 page."""

import re

from domain.accounts import Role
from seed.builders import make_candidate, make_offer, make_user
from tests.conftest import log_in
from tests.web.coach_support import labelled_skills


def count_of(html: str, text: str) -> int:
    """The number shown in the home page's count card whose words are ``text``."""
    match = re.search(r'<span class="opstap-count__number">([\d.,\s]+)</span>\s*' + re.escape(text), html)
    assert match, f"no count for {text!r}"
    return int(re.sub(r"\D", "", match.group(1)))


def test_a_new_employer_is_told_to_publish_an_offer_and_sees_its_drafts(client, session):
    employer = make_user(session, role=Role.EMPLOYER)
    make_offer(session, employer, title="Draft one")
    make_offer(session, employer, title="Draft two")
    session.flush()
    log_in(client, employer.email)
    page = client.get("/")
    assert page.status_code == 200
    assert count_of(page.text, "offers in draft") == 2 and count_of(page.text, "offers published") == 0
    assert "What to do next" in page.text and 'href="http://testserver/offers/new"' in page.text
    current = re.search(r'<li class="current" aria-current="step">\s*<span class="step-title">([^<]+)', page.text)
    assert current and current.group(1) == "Publish a traineeship offer"


def test_once_published_the_employer_s_next_step_is_the_matches(client, session):
    employer = make_user(session, role=Role.EMPLOYER)
    make_offer(session, employer, publish=True)
    session.flush()
    log_in(client, employer.email)
    page = client.get("/").text
    assert count_of(page, "offers published") == 1
    assert re.search(r'<li class="done">\s*<span class="step-title">Publish a traineeship offer', page)
    assert re.search(r'aria-current="step">\s*<span class="step-title">Look at the anonymised matches', page)


def test_the_coach_sees_candidates_to_screen_and_profiles_to_complete(client, session):
    coach = make_user(session, role=Role.COACH)
    make_candidate(session, coach)
    make_candidate(session, coach, skills=[s.uri for s in labelled_skills(session, 1)])
    session.flush()
    log_in(client, coach.email)
    page = client.get("/").text
    assert count_of(page, "candidates to screen") == 2
    assert count_of(page, "profiles without skills yet") == 1
    assert count_of(page, "placements flagged") == 0
    assert re.search(r'aria-current="step">\s*<span class="step-title">Screen them for a programme', page)


def test_the_network_home_counts_employers_new_this_month(client, session):
    employer = make_user(session, role=Role.EMPLOYER)
    make_offer(session, employer, publish=True)
    network = make_user(session, role=Role.NETWORK)
    session.flush()
    log_in(client, network.email)
    page = client.get("/").text
    assert count_of(page, "employers engaged for the first time this month") >= 1
    assert 'href="http://testserver/network/dashboard"' in page


def test_home_is_in_the_reader_s_language(client, session):
    employer = make_user(session, role=Role.EMPLOYER)
    session.flush()
    log_in(client, employer.email)
    client.cookies.set("opstap_lang", "fr")
    page = client.get("/").text
    assert "Que faire maintenant" in page and "Votre parcours" in page and "offres en brouillon" in page


def test_trust_pages_in_three_languages_name_the_operator(app, client):
    for lang, words in (("en", "How Opstap handles your personal data"),
                        ("nl", "Hoe Opstap met uw persoonsgegevens omgaat"),
                        ("fr", "Comment Opstap traite vos données personnelles")):
        client.cookies.set("opstap_lang", lang)
        page = client.get("/about/privacy")
        assert page.status_code == 200 and words in page.text
    client.cookies.set("opstap_lang", "en")
    for page in ("accessibility", "cookies", "contact"):
        assert client.get(f"/about/{page}").status_code == 200
    assert client.get("/about/nothing").status_code == 404
    cookies = client.get("/about/cookies").text
    assert "opstap_session" in cookies and "opstap_lang" in cookies
    footer = client.get("/login").text.split('<footer', 1)[1]
    assert "/about/privacy" in footer and "/about/accessibility" in footer and "Opstap is run by" in footer


def test_the_operator_and_beta_banner_come_from_the_settings(settings, connection, shared_search):
    from dataclasses import replace

    from starlette.testclient import TestClient

    from web.app import create_app

    configured = replace(settings, operator_name="Stad Gent", operator_url="https://stad.gent", beta=False)
    with TestClient(create_app(configured, db=connection, search=shared_search)) as client:
        page = client.get("/login").text
    assert '<a href="https://stad.gent">Stad Gent</a>' in page
    assert 'Opstap is run by <a class="govuk-footer__link" href="https://stad.gent">Stad Gent</a>' in page
    assert "govuk-phase-banner" not in page


def test_a_wrong_method_gets_its_own_page(client):
    page = client.get("/logout")
    assert page.status_code == 405
    assert "This page cannot be used this way" in page.text and "Something went wrong" not in page.text


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico", follow_redirects=True)
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")


def test_a_form_opens_with_an_error_summary_linking_every_field(client):
    from tests.conftest import csrf_of

    token = csrf_of(client, "/signup")
    page = client.post("/signup", data={"csrf_token": token, "organisation_name": "", "name": "",
                                        "email": "not an address", "password": "short"})
    assert page.status_code == 422
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page.text, re.S).group(0)
    links = dict(re.findall(r'<a href="#([^"]+)" data-field="[^"]+">([^<]+)</a>', summary))
    assert {"f-organisation_name", "f-name", "f-email", "f-password"} <= set(links)
    for field_id in links:
        assert f'id="{field_id}"' in page.text  # each link has a field to move focus to
    form_tag = re.search(r'<form[^>]*action="http://testserver/signup"[^>]*>', page.text).group(0)
    assert "novalidate" in form_tag  # our messages, never the browser's bubbles


def test_dates_are_written_in_the_reader_s_language(client, session):
    from datetime import date

    from web.templating import _format_date, _rendering_lang

    for lang, text in (("nl", "4 december 2026"), ("fr", "4 décembre 2026"), ("en", "4 December 2026")):
        _rendering_lang.set(lang)
        assert f">{text}</time>" in _format_date(date(2026, 12, 4))
