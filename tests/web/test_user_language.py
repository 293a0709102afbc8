"""Everyone has a language (nl, fr, en): chosen at sign-up or first login, changeable on the account page,
used for every page and notification; the consent text is kept in the language it was shown in."""

import html

from sqlmodel import select

from domain.accounts import Role
from domain.interest import consent_text
from domain.services.accounts import choose_language
from domain.services.notifications import notify
from domain.services.portal import set_candidate_password
from domain.tables import Consent, User
from domain.validation import N_
from seed.builders import (
    DEFAULT_PASSWORD,
    candidate_login,
    make_candidate,
    make_employer,
    make_interest,
    make_offer,
    make_user,
)
from tests.conftest import csrf_of, log_in

HX = {"HX-Request": "true"}


def language_of(session, email: str) -> str:
    return session.exec(select(User.language).where(User.email == email)
                        .execution_options(populate_existing=True)).one()


def test_sign_up_with_a_language_and_every_page_follows_it(client, session):
    form = client.get("/signup").text
    assert 'name="language"' in form and "Language for pages and e-mails" in form
    response = client.post("/signup", data={"organisation_name": "Bakkerij Lenaerts", "name": "Els Lenaerts",
                                            "email": "els@bakkerij.be", "password": "a-long-password",
                                            "language": "fr", "csrf_token": csrf_of(client, "/signup")},
                           follow_redirects=True)
    assert response.status_code == 200
    assert language_of(session, "els@bakkerij.be") == "fr"
    assert '<html lang="fr">' in client.get("/offers").text
    client.cookies.clear()  # another browser, signed in elsewhere: the user's own language still holds
    client.headers["Accept-Language"] = "nl"
    log_in(client, "els@bakkerij.be", "a-long-password")
    assert '<html lang="fr">' in client.get("/offers").text


def test_the_first_login_keeps_the_language_the_page_was_read_in(client, session):
    user = make_user(session, role=Role.EMPLOYER)
    session.flush()
    assert language_of(session, user.email) == ""
    client.cookies.set("opstap_lang", "nl")
    log_in(client, user.email)
    assert language_of(session, user.email) == "nl"
    client.post("/logout", data={"csrf_token": csrf_of(client, "/offers")})

    client.cookies.clear()  # another browser, which reads English
    client.headers["Accept-Language"] = "en"
    log_in(client, user.email)
    assert language_of(session, user.email) == "nl"  # a later login does not change it
    assert '<html lang="nl">' in client.get("/offers").text


def test_the_account_page_changes_the_language_and_refuses_others(client, session):
    user = make_user(session, role=Role.COACH)
    session.flush()
    log_in(client, user.email)
    page = client.get("/account/language").text
    assert 'id="account-language"' in page
    token = csrf_of(client, "/account/language")
    refused = client.post("/account/language", headers={**HX, "X-CSRF-Token": token}, data={"language": "de"})
    assert refused.status_code == 422 and "Choose Dutch, French or English." in refused.text
    saved = client.post("/account/language", data={"language": "fr", "csrf_token": token}, follow_redirects=True)
    assert "Votre langue est enregistrée." in saved.text and '<html lang="fr">' in saved.text
    assert language_of(session, user.email) == "fr"


def test_the_header_switch_of_a_signed_in_user_is_stored_too(client, session):
    user = make_user(session, role=Role.EMPLOYER)
    session.flush()
    log_in(client, user.email)
    client.post("/language", data={"lang": "fr", "next": "/offers", "csrf_token": csrf_of(client, "/offers")})
    assert language_of(session, user.email) == "fr"


def test_notifications_are_shown_in_the_readers_language(client, session):
    coach = make_user(session, role=Role.COACH)
    choose_language(session, coach, "nl")
    notify(session, coach.id, "profile.paused", N_("{ref} paused being matched with offers."), ref="K-7Q2M")
    session.flush()
    log_in(client, coach.email, DEFAULT_PASSWORD)
    assert "K-7Q2M pauzeerde de matching met aanbiedingen." in client.get("/notifications").text


def test_the_consent_is_kept_and_shown_in_the_language_it_was_given_in(client, session):
    employer = make_employer(session, organisation="WZC De Linde")
    coach = make_user(session, role=Role.COACH)
    offer_id = make_offer(session, employer, publish=True, title="Zorgkundige in opleiding")
    created = make_candidate(session, coach, identity={"given_name": "Samira", "email": "samira.fr@example.org"})
    request = make_interest(session, employer, offer_id, created.ref)
    candidate = candidate_login(session, created.id)
    set_candidate_password(session, candidate, "a-long-password")
    session.flush()

    client.cookies.set("opstap_lang", "fr")
    log_in(client, "samira.fr@example.org", "a-long-password")
    page = f"/me/requests/{request.id}"
    client.post(f"{page}/accept", data={"consent": "1", "csrf_token": csrf_of(client, page)})
    consent = session.exec(select(Consent).where(Consent.candidate_id == created.id)).one()
    assert consent.language == "fr" and "WZC De Linde" in consent.text
    assert consent.text != consent_text("WZC De Linde", "Zorgkundige in opleiding", consent.disclosed_fields)

    client.post("/account/language", data={"language": "en", "csrf_token": csrf_of(client, "/account/language")})
    shown = client.get(page).text
    assert '<html lang="en">' in shown and "What you agreed to:" in shown
    assert f'<blockquote class="consent-text" lang="fr">{html.escape(consent.text, quote=False)}</blockquote>' in shown
    assert "Kept in the language you read it in: Français." in shown


def test_a_candidate_opening_the_e_mailed_link_keeps_the_language_of_that_page(browser, client, session):
    from tests.web.test_interest_pages import link_in, send_interest

    employer = make_employer(session, organisation="WZC De Linde")
    coach = make_user(session, role=Role.COACH)
    offer_id = make_offer(session, employer, publish=True)
    created = make_candidate(session, coach, identity={"email": "link.fr@example.org"})
    session.flush()
    log_in(client, employer.email)
    assert send_interest(client, offer_id, created.ref).status_code == 200
    candidate = browser()
    candidate.headers["Accept-Language"] = "fr-BE,fr;q=0.9"
    url = link_in(session, "link.fr@example.org", "/login/link/")
    path = url.split("testserver", 1)[1]
    candidate.post(path, data={"csrf_token": csrf_of(candidate, path)})
    assert language_of(session, "link.fr@example.org") == "fr"
