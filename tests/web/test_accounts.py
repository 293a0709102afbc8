"""Signing up, logging in and out, the login rate limit, and where login sends you."""

import pytest
from sqlmodel import select

from domain.tables import Organisation, User
from seed.builders import DEFAULT_PASSWORD, make_employer
from tests.conftest import csrf_of, log_in
from tests.web.support import error_of, input_value

SIGNUP = {"organisation_name": "Bakkerij De Korenaar", "name": "Sofie Peeters",
          "email": "sofie@korenaar.be", "password": "long-enough-pw"}


def sign_up(client, **overrides):
    data = {**SIGNUP, "csrf_token": csrf_of(client, "/signup"), **overrides}
    return client.post("/signup", data=data, follow_redirects=False)


# --- sign-up ---------------------------------------------------------------------------------------

def test_signup_creates_organisation_and_user_and_lands_on_profile(client, session):
    response = sign_up(client)

    assert response.status_code == 303
    assert response.headers["location"].endswith("/organisation?welcome=1")
    user = session.exec(select(User).where(User.email == "sofie@korenaar.be")).one()
    organisation = session.get(Organisation, user.organisation_id)
    assert (user.role, user.name) == ("employer", "Sofie Peeters")
    assert (organisation.kind, organisation.name) == ("employer", "Bakkerij De Korenaar")
    assert user.password_hash != "long-enough-pw" and user.password_hash.startswith("$argon2")

    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "Organisation profile" in page.text
    assert "Welcome to Opstap" in page.text
    assert "Bakkerij De Korenaar" in page.text  # signed in: the header names the organisation


def test_signup_page_renders(client):
    page = client.get("/signup")
    assert page.status_code == 200
    for field in ("organisation_name", "name", "email", "password"):
        assert f'name="{field}"' in page.text


def test_signup_with_an_existing_email_is_refused_next_to_the_field(client, session):
    make_employer(session, email="taken@example.be")
    session.flush()

    response = sign_up(client, email="Taken@Example.be")

    assert response.status_code == 422
    assert "exists already" in error_of(response.text, "email")
    assert input_value(response.text, "email") == "Taken@Example.be"
    assert input_value(response.text, "organisation_name") == SIGNUP["organisation_name"]
    assert input_value(response.text, "name") == SIGNUP["name"]
    assert input_value(response.text, "password") == ""
    assert SIGNUP["password"] not in response.text
    assert session.exec(select(Organisation).where(Organisation.name == SIGNUP["organisation_name"])).first() is None


def test_signup_with_a_short_password_is_refused_next_to_the_field(client, session):
    response = sign_up(client, password="short")

    assert response.status_code == 422
    assert error_of(response.text, "password") == "Use at least 10 characters."
    assert input_value(response.text, "email") == SIGNUP["email"]
    assert input_value(response.text, "organisation_name") == SIGNUP["organisation_name"]
    assert input_value(response.text, "password") == ""
    assert 'value="short"' not in response.text
    assert session.exec(select(User).where(User.email == SIGNUP["email"])).first() is None


def test_signup_without_organisation_name_is_refused_next_to_the_field(client, session):
    response = sign_up(client, organisation_name="   ")

    assert response.status_code == 422
    assert error_of(response.text, "organisation_name") == "This field is required."
    assert 'aria-invalid="true"' in response.text
    assert input_value(response.text, "email") == SIGNUP["email"]
    assert input_value(response.text, "name") == SIGNUP["name"]
    assert input_value(response.text, "password") == ""
    assert session.exec(select(User).where(User.email == SIGNUP["email"])).first() is None


def test_signup_keeps_nothing_when_several_fields_are_wrong(client, session):
    response = sign_up(client, organisation_name="", email="not-an-address", password="x")

    assert response.status_code == 422
    assert error_of(response.text, "organisation_name") == "This field is required."
    assert "e-mail address like" in error_of(response.text, "email")
    assert error_of(response.text, "password") == "Use at least 10 characters."
    assert input_value(response.text, "email") == "not-an-address"


# --- log in and out --------------------------------------------------------------------------------

@pytest.fixture
def member(session):
    actor = make_employer(session, email="an@example.be")
    session.flush()
    return actor


def post_login(client, email, password, **extra):
    data = {"email": email, "password": password, "csrf_token": csrf_of(client, "/login"), **extra}
    return client.post("/login", data=data, follow_redirects=False)


def test_login_then_logout(client, member):
    response = post_login(client, "an@example.be", DEFAULT_PASSWORD)
    assert response.status_code == 303
    assert client.get("/offers", follow_redirects=False).status_code == 200
    assert member.name in client.get("/offers").text

    token = csrf_of(client, "/offers")
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith("/login")
    after = client.get("/offers", follow_redirects=False)
    assert after.status_code == 303 and "/login" in after.headers["location"]


def test_login_email_is_case_insensitive(client, member):
    assert post_login(client, "  AN@Example.BE ", DEFAULT_PASSWORD).status_code == 303


def test_wrong_password_shows_a_message_and_keeps_the_email(client, member):
    response = post_login(client, "an@example.be", "wrong-password")

    assert response.status_code == 400
    assert "That e-mail address and password do not match." in response.text
    assert 'role="alert"' in response.text
    assert input_value(response.text, "email") == "an@example.be"
    assert input_value(response.text, "password") == ""
    assert client.get("/offers", follow_redirects=False).status_code == 303  # still anonymous


def test_unknown_email_shows_the_same_message(client, member):
    response = post_login(client, "nobody@example.be", DEFAULT_PASSWORD)
    assert response.status_code == 400
    assert "That e-mail address and password do not match." in response.text


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(client, member):
    for _ in range(5):
        response = post_login(client, "an@example.be", "wrong-password")
        assert response.status_code == 400
        assert "do not match" in response.text

    response = post_login(client, "an@example.be", DEFAULT_PASSWORD)

    assert response.status_code != 303
    assert "Too many failed attempts" in response.text
    assert client.get("/offers", follow_redirects=False).status_code == 303  # not signed in


def test_the_rate_limit_is_per_address(client, session, member):
    other = make_employer(session, email="other@example.be")
    session.flush()
    for _ in range(5):
        post_login(client, "an@example.be", "wrong-password")
    assert post_login(client, other.email, DEFAULT_PASSWORD).status_code == 303


def test_four_failures_do_not_block_the_right_password(client, member):
    for _ in range(4):
        post_login(client, "an@example.be", "wrong-password")
    assert post_login(client, "an@example.be", DEFAULT_PASSWORD).status_code == 303


def test_a_failed_login_keeps_where_to_go_next(client, member):
    response = post_login(client, "an@example.be", "wrong-password", next="/organisation")
    assert response.status_code == 400
    assert '<input type="hidden" name="next" value="/organisation">' in response.text


def test_login_follows_a_local_next(client, member):
    response = post_login(client, "an@example.be", DEFAULT_PASSWORD, next="/organisation")
    assert response.status_code == 303
    assert response.headers["location"] == "/organisation"


def stays_on_site(location: str) -> bool:
    """Whether a browser following ``location`` stays on this site (WHATWG reading: \\ is /, tabs dropped)."""
    browser_view = location.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "")
    if browser_view.startswith("http://testserver/"):
        return True
    return browser_view.startswith("/") and not browser_view.startswith("//")


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "http://evil.example/x",
                                    "//evil.example/offers", "javascript:alert(1)", "evil.example",
                                    "/\\evil.example", "/\t/evil.example", "\\\\evil.example"])
def test_login_ignores_a_next_that_leaves_the_site(client, member, target):
    response = post_login(client, "an@example.be", DEFAULT_PASSWORD, next=target)
    assert response.status_code == 303
    location = response.headers["location"]
    assert stays_on_site(location), location
    assert not location.startswith("javascript")


def test_protected_page_redirects_to_login_and_back(client, member):
    response = client.get("/organisation", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/login?next=/organisation"

    login_page = client.get(response.headers["location"])
    assert '<input type="hidden" name="next" value="/organisation">' in login_page.text
    token = csrf_of(client, "/login")
    response = client.post("/login", data={"email": "an@example.be", "password": DEFAULT_PASSWORD,
                                           "next": "/organisation", "csrf_token": token}, follow_redirects=False)
    assert response.headers["location"] == "/organisation"


def test_employer_home_leads_to_the_offers(client, member):
    log_in(client, member.email)
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 200
    assert 'href="http://testserver/offers"' in response.text and "What to do next" in response.text
