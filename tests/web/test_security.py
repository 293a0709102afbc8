"""CSRF on every state-changing request, the session cookie's flags, error pages, caching headers."""

import re

import pytest
from sqlmodel import select
from starlette.routing import Route

from domain.tables import Offer, Organisation, User
from seed.builders import make_offer
from tests.conftest import csrf_of, log_in
from tests.web.support import HX_TOKEN_RE, fresh_offer, fresh_organisation, offer_form, token_in

PROFILE = {"name": "Ziekenhuis Oost", "sector": "C", "postcode": "2000", "size": "10-49",
           "workplace_languages": "en", "engagement_statement": "Changed without a token", "in_directory": "1"}


# --- CSRF ------------------------------------------------------------------------------------------

def test_form_post_without_token_is_refused_and_changes_nothing(employer_client, employer, session):
    response = employer_client.post("/organisation", data=PROFILE)

    assert response.status_code == 403
    assert "This form has expired" in response.text
    organisation = fresh_organisation(session, employer.organisation_id)
    assert (organisation.sector, organisation.postcode, organisation.engagement_statement) == ("Q", "9000", "")


def test_post_with_a_wrong_token_is_refused(employer_client, employer, session):
    response = employer_client.post("/organisation", data={**PROFILE, "csrf_token": "forged"})
    assert response.status_code == 403
    assert fresh_organisation(session, employer.organisation_id).sector == "Q"


def test_htmx_post_with_a_wrong_header_is_refused_even_with_a_good_form_field(employer_client, employer, session):
    token = csrf_of(employer_client, "/organisation")
    response = employer_client.post("/organisation", data={**PROFILE, "csrf_token": token},
                                    headers={"HX-Request": "true", "X-CSRF-Token": "forged"})
    assert response.status_code == 403
    assert fresh_organisation(session, employer.organisation_id).sector == "Q"


def test_offer_action_without_token_is_refused_and_status_unchanged(employer_client, employer, session):
    offer_id = make_offer(session, employer)
    session.flush()

    response = employer_client.post(f"/offers/{offer_id}/publish", headers={"HX-Request": "true"})

    assert response.status_code == 403
    assert fresh_offer(session, offer_id).status == "draft"


def test_creating_an_offer_without_token_creates_nothing(employer_client, employer, session):
    form = offer_form("", title="Smuggled offer")
    del form["csrf_token"]
    response = employer_client.post("/offers", data=form)
    assert response.status_code == 403
    assert session.exec(select(Offer).where(Offer.title == "Smuggled offer")).first() is None


def test_signup_without_token_creates_nothing(client, session):
    client.get("/signup")  # a session exists, but the form's token is missing
    response = client.post("/signup", data={"organisation_name": "No Token", "name": "N", "email": "nt@example.be",
                                            "password": "long-enough-pw"})
    assert response.status_code == 403
    assert session.exec(select(User).where(User.email == "nt@example.be")).first() is None
    assert session.exec(select(Organisation).where(Organisation.name == "No Token")).first() is None


def test_login_without_token_is_refused(client, employer):
    response = client.post("/login", data={"email": employer.email, "password": "opstap-demo-2026"})
    assert response.status_code == 403
    assert client.get("/offers", follow_redirects=False).status_code == 303


def test_logout_without_token_keeps_you_signed_in(employer_client):
    assert employer_client.post("/logout").status_code == 403
    assert employer_client.get("/offers", follow_redirects=False).status_code == 200


def test_header_token_works_for_htmx_requests(employer_client, employer, session):
    offer_id = make_offer(session, employer)
    session.flush()
    page = employer_client.get(f"/offers/{offer_id}")
    header_token = HX_TOKEN_RE.search(page.text).group(1)  # what <body hx-headers> sends
    assert header_token == token_in(page.text)

    response = employer_client.post(f"/offers/{offer_id}/publish",
                                    headers={"HX-Request": "true", "X-CSRF-Token": header_token})

    assert response.status_code == 200
    assert fresh_offer(session, offer_id).status == "published"


def test_token_changes_at_login(client, employer):
    before = csrf_of(client, "/login")
    log_in(client, employer.email)
    after = csrf_of(client, "/offers")
    assert after != before
    # The old token no longer works.
    response = client.post("/logout", data={"csrf_token": before})
    assert response.status_code == 403


def test_token_from_another_browser_is_refused(employer_client, browser, employer):
    other = browser()
    other_token = csrf_of(other, "/login")
    response = employer_client.post("/logout", data={"csrf_token": other_token})
    assert response.status_code == 403


# --- cookies ---------------------------------------------------------------------------------------

def session_cookie_header(response) -> str:
    cookies = [value for key, value in response.headers.multi_items()
               if key == "set-cookie" and value.startswith("opstap_session=")]
    assert cookies, "no session cookie set"
    return cookies[-1]


def test_session_cookie_is_httponly_and_samesite_lax(client, employer):
    response = client.get("/login")
    header = session_cookie_header(response)
    assert re.search(r";\s*httponly", header, re.I)
    assert re.search(r";\s*samesite=lax", header, re.I)


def test_session_cookie_set_at_login_is_httponly_and_samesite_lax(client, employer):
    header = session_cookie_header(log_in(client, employer.email))
    assert re.search(r";\s*httponly", header, re.I)
    assert re.search(r";\s*samesite=lax", header, re.I)
    assert "secure" not in header.lower()  # http://testserver is plain HTTP in tests


def test_session_cookie_is_signed_not_readable_as_a_user_id(client, employer):
    log_in(client, employer.email)
    value = client.cookies.get("opstap_session")
    client.cookies.clear()
    tampered = value[:-6] + ("AAAAAA" if not value.endswith("AAAAAA") else "BBBBBB")
    genuine = client.get("/offers", follow_redirects=False, headers={"Cookie": f"opstap_session={value}"})
    assert genuine.status_code == 200
    client.cookies.clear()
    response = client.get("/offers", follow_redirects=False, headers={"Cookie": f"opstap_session={tampered}"})
    assert response.status_code == 303  # a tampered cookie is no session


def test_security_headers_on_pages(client):
    response = client.get("/login")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


# --- error pages -----------------------------------------------------------------------------------

def test_unknown_url_gives_a_friendly_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text
    assert "Page not found" in response.text
    assert "Traceback" not in response.text


def test_unknown_offer_gives_a_friendly_404_page(employer_client):
    response = employer_client.get("/offers/999999")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Traceback" not in response.text


def test_a_server_error_gives_a_friendly_page_without_details(app, client):
    def boom(request):
        raise RuntimeError("secret internal detail")

    app.router.routes.append(Route("/test-only/boom", boom))
    response = client.get("/test-only/boom")
    assert response.status_code == 500
    assert "<html" in response.text and "Something went wrong" in response.text
    assert "secret internal detail" not in response.text and "Traceback" not in response.text
    assert "RuntimeError" not in response.text


def test_wrong_method_gives_a_friendly_page(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "<html" in response.text and "Traceback" not in response.text


# --- Vary: HX-Request on every page ----------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/login", "/signup", "/no/such/page", "/invitations/unknown"])
def test_anonymous_pages_vary_on_hx_request(client, path):
    response = client.get(path)
    assert "HX-Request" in response.headers.get("vary", ""), path


PAGES = ["/offers", "/offers/new", "/organisation", "/offers/{id}", "/offers/{id}/edit", "/offers/999999"]
FRAGMENTS = ["/pickers/skills?skill_q=data", "/pickers/postcode?postcode=9000", "/pickers/occupations?occupation_q=nurse"]


@pytest.mark.parametrize("path", PAGES)
def test_employer_pages_vary_on_hx_request(employer_client, employer, session, path):
    offer_id = make_offer(session, employer)
    session.flush()
    response = employer_client.get(path.format(id=offer_id))
    assert response.status_code in (200, 404)
    assert "HX-Request" in response.headers.get("vary", ""), path


@pytest.mark.parametrize("path", PAGES + FRAGMENTS)
def test_htmx_responses_vary_on_hx_request(employer_client, employer, session, path):
    offer_id = make_offer(session, employer)
    session.flush()
    response = employer_client.get(path.format(id=offer_id), headers={"HX-Request": "true"})
    assert response.status_code in (200, 404)
    assert "HX-Request" in response.headers.get("vary", ""), path


def test_signed_in_pages_are_never_stored_by_shared_caches(employer_client):
    response = employer_client.get("/offers")
    assert response.headers["cache-control"] == "private, no-store"
    assert {"HX-Request", "Cookie", "Accept-Language"} <= {v.strip() for v in response.headers["vary"].split(",")}


def test_a_post_to_an_unknown_offer_action_is_not_a_status_change(employer_client, employer, session):
    offer_id = make_offer(session, employer)
    session.flush()
    token = csrf_of(employer_client, "/offers")
    response = employer_client.post(f"/offers/{offer_id}/archive", data={"csrf_token": token})
    assert response.status_code in (404, 405)


def test_a_form_with_a_nul_character_gets_a_clear_400_and_saves_nothing(client):
    """PostgreSQL cannot store NUL in text: the form is refused before anything reaches the database."""
    response = client.post("/login", data={"email": "a\x00b@example.be", "password": "x", "csrf_token": csrf_of(client)},
                           follow_redirects=False)
    assert response.status_code == 400
    assert "NUL character" in response.text
