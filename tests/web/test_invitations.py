"""An employer invites a colleague; the link lets them join the same organisation once."""

import re
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select

from domain.accounts import Role
from domain.services.accounts import invite_colleague
from domain.tables import Invitation, User, utcnow
from seed.builders import make_employer, make_user
from tests.conftest import csrf_of, log_in
from tests.web.support import error_of

LINK_RE = re.compile(r'value="(http://testserver/invitations/[^"]+)"')


def invite_through_the_page(client, email, htmx=True):
    token = csrf_of(client, "/organisation")
    headers = {"HX-Request": "true", "X-CSRF-Token": token} if htmx else {}
    data = {"email": email} if htmx else {"email": email, "csrf_token": token}
    return client.post("/organisation/invitations", data=data, headers=headers)


def test_colleague_joins_the_same_organisation_as_employer(employer_client, employer, browser, session):
    response = invite_through_the_page(employer_client, "colleague@example.be")
    assert response.status_code == 200
    assert 'id="invite-form"' in response.text and "<html" not in response.text
    link = LINK_RE.search(response.text).group(1)

    colleague = browser()
    page = colleague.get(link)
    assert page.status_code == 200
    assert "Join Ziekenhuis Oost on Opstap" in page.text
    assert "colleague@example.be" in page.text

    joined = colleague.post(link, data={"name": "Karim Haddad", "password": "a-good-password",
                                        "csrf_token": csrf_of(colleague, link)}, follow_redirects=False)
    assert joined.status_code == 303

    user = session.exec(select(User).where(User.email == "colleague@example.be")).one()
    assert (user.role, user.organisation_id, user.name) == ("employer", employer.organisation_id, "Karim Haddad")
    offers = colleague.get("/offers")  # signed in straight away, as an employer of that organisation
    assert offers.status_code == 200
    assert "Karim Haddad · Ziekenhuis Oost" in offers.text


def test_invitation_without_htmx_renders_the_whole_page(employer_client):
    response = invite_through_the_page(employer_client, "colleague@example.be", htmx=False)
    assert response.status_code == 200
    assert "<html" in response.text
    assert LINK_RE.search(response.text)


def test_inviting_an_existing_user_shows_a_message(employer_client, session):
    make_employer(session, email="known@example.be")
    session.flush()
    response = invite_through_the_page(employer_client, "known@example.be")
    assert response.status_code == 422
    assert error_of(response.text, "email") == "This person has an account already."
    assert 'value="known@example.be"' in response.text
    assert not LINK_RE.search(response.text)


def test_inviting_a_malformed_address_shows_a_message(employer_client):
    response = invite_through_the_page(employer_client, "not an address")
    assert response.status_code == 422
    assert "e-mail address like" in error_of(response.text, "email")


def test_a_used_link_is_no_longer_valid(employer, browser, session):
    token = invite_colleague(session, employer, "once@example.be")
    session.flush()
    first = browser()
    assert first.post(f"/invitations/{token}", data={"name": "Once", "password": "a-good-password",
                                                     "csrf_token": csrf_of(first, f"/invitations/{token}")},
                      follow_redirects=False).status_code == 303

    second = browser()
    page = second.get(f"/invitations/{token}")
    assert page.status_code == 404
    assert "This invitation is no longer valid" in page.text
    # Submitting the old form again creates nobody.
    token_on_page = csrf_of(second, "/login")
    again = second.post(f"/invitations/{token}", data={"name": "Twice", "password": "a-good-password",
                                                       "csrf_token": token_on_page}, follow_redirects=False)
    assert again.status_code == 404
    assert "no longer valid" in again.text
    assert len(session.exec(select(User).where(User.email == "once@example.be")).all()) == 1


def test_an_expired_link_is_no_longer_valid(employer, client, session):
    token = invite_colleague(session, employer, "late@example.be")
    session.flush()
    session.exec(update(Invitation).where(Invitation.email == "late@example.be")
                 .values(expires_at=utcnow() - timedelta(minutes=1)))
    session.flush()

    page = client.get(f"/invitations/{token}")
    assert page.status_code == 404
    assert "This invitation is no longer valid" in page.text

    response = client.post(f"/invitations/{token}", data={"name": "Late", "password": "a-good-password",
                                                          "csrf_token": csrf_of(client, "/login")})
    assert response.status_code == 404
    assert session.exec(select(User).where(User.email == "late@example.be")).first() is None


def test_an_unknown_link_is_no_longer_valid(client):
    page = client.get("/invitations/not-a-real-token")
    assert page.status_code == 404
    assert "This invitation is no longer valid" in page.text


def test_joining_with_a_short_password_keeps_the_name(employer, client, session):
    token = invite_colleague(session, employer, "short@example.be")
    session.flush()
    response = client.post(f"/invitations/{token}", data={"name": "Short Pw", "password": "short",
                                                          "csrf_token": csrf_of(client, f"/invitations/{token}")})
    assert response.status_code == 422
    assert error_of(response.text, "password") == "Use at least 10 characters."
    assert 'value="Short Pw"' in response.text
    assert session.exec(select(User).where(User.email == "short@example.be")).first() is None
    assert client.get(f"/invitations/{token}").status_code == 200  # the link still works


def test_a_coach_cannot_invite_into_an_employer_organisation(browser, session):
    coach = make_user(session, role=Role.COACH)
    session.flush()
    coach_client = browser()
    log_in(coach_client, coach.email)
    token = csrf_of(coach_client, "/")
    response = coach_client.post("/organisation/invitations", data={"email": "x@example.be", "csrf_token": token})
    assert response.status_code == 403
    assert session.exec(select(Invitation).where(Invitation.email == "x@example.be")).first() is None
