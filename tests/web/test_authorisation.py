"""Role and organisation checks on every offer route: others' offers do not exist for you."""

import pytest
from sqlalchemy import update
from sqlmodel import select

from domain.accounts import Role
from domain.services.accounts import actor_by_id
from domain.services.offers import change_status
from domain.tables import AuditEntry, Offer, User
from seed.builders import make_employer, make_offer, make_user
from tests.conftest import csrf_of, log_in
from tests.web.support import fresh_offer, offer_form


@pytest.fixture
def offer_of_a(session):
    """Organisation A's draft and published offers."""
    a = make_employer(session, organisation="Organisation A")
    draft = make_offer(session, a, title="A's draft")
    published = make_offer(session, a, title="A's published", publish=True)
    session.flush()
    return {"draft": draft, "published": published}


@pytest.fixture
def employer_b(client, session):
    b = make_employer(session, organisation="Organisation B")
    session.flush()
    log_in(client, b.email)
    return client


def snapshot(session, offer_id):
    offer = fresh_offer(session, offer_id)
    return (offer.title, offer.status, offer.places, offer.updated_at, offer.organisation_id)


@pytest.mark.parametrize("which", ["draft", "published"])
def test_another_organisation_gets_404_on_every_offer_route(employer_b, offer_of_a, session, which):
    offer_id = offer_of_a[which]
    before = snapshot(session, offer_id)
    token = csrf_of(employer_b, "/offers")
    hx = {"HX-Request": "true", "X-CSRF-Token": token}

    assert employer_b.get(f"/offers/{offer_id}").status_code == 404
    assert employer_b.get(f"/offers/{offer_id}", headers={"HX-Request": "true"}).status_code == 404
    assert employer_b.get(f"/offers/{offer_id}/edit").status_code == 404
    edit = employer_b.post(f"/offers/{offer_id}/edit", data=offer_form(token, title="Taken over"))
    assert edit.status_code == 404
    for action in ("publish", "pause", "close"):
        assert employer_b.post(f"/offers/{offer_id}/{action}", headers=hx).status_code == 404, action
        assert employer_b.post(f"/offers/{offer_id}/{action}", data={"csrf_token": token}).status_code == 404

    assert snapshot(session, offer_id) == before
    assert session.exec(select(Offer).where(Offer.title == "Taken over")).first() is None
    assert session.exec(select(AuditEntry).where(AuditEntry.subject == f"offer:{offer_id}",
                                                 AuditEntry.action != "offer.create",
                                                 AuditEntry.action != "offer.publish")).first() is None


def test_the_404_looks_like_a_missing_offer(employer_b, offer_of_a):
    theirs = employer_b.get(f"/offers/{offer_of_a['draft']}")
    missing = employer_b.get("/offers/987654")
    assert theirs.status_code == missing.status_code == 404
    assert "A's draft" not in theirs.text and "Organisation A" not in theirs.text


def test_another_organisation_gets_404_even_when_the_edit_form_is_invalid(employer_b, offer_of_a, session):
    """Authorise before validating: a bad form must not earn a re-rendered edit form of someone else's offer."""
    offer_id = offer_of_a["draft"]
    token = csrf_of(employer_b, "/offers")
    response = employer_b.post(f"/offers/{offer_id}/edit", data=offer_form(token, hours_per_week="abc"))
    assert response.status_code == 404, (
        f"POST /offers/{offer_id}/edit by another organisation with a non-numeric field answers "
        f"{response.status_code} (the edit form) instead of 404")


def test_another_organisation_does_not_see_a_offers_in_its_list(employer_b, offer_of_a):
    page = employer_b.get("/offers")
    assert "A's draft" not in page.text and "A's published" not in page.text


# --- coaches ---------------------------------------------------------------------------------------

@pytest.fixture
def coach(client, session):
    actor = make_user(session, role=Role.COACH)
    session.flush()
    log_in(client, actor.email)
    return client


def test_a_coach_sees_a_published_offer_without_employer_controls(coach, offer_of_a):
    offer_id = offer_of_a["published"]
    page = coach.get(f"/offers/{offer_id}")
    assert page.status_code == 200
    assert "A&#39;s published" in page.text or "A's published" in page.text
    assert "Organisation A" in page.text
    for action in ("publish", "pause", "close", "edit"):
        assert f"/offers/{offer_id}/{action}" not in page.text


def test_a_coach_gets_404_for_a_draft(coach, offer_of_a):
    assert coach.get(f"/offers/{offer_of_a['draft']}").status_code == 404


def test_a_coach_gets_404_for_a_paused_or_closed_offer(coach, offer_of_a, session):
    offer = fresh_offer(session, offer_of_a["published"])
    owner = actor_by_id(session, offer.created_by)
    change_status(session, owner, offer.id, "pause")
    session.flush()
    assert coach.get(f"/offers/{offer.id}").status_code == 404


def test_the_coach_home_lists_published_offers_only(coach, offer_of_a):
    home = coach.get("/")
    assert home.status_code == 200
    assert "published" in home.text.lower()
    assert "A&#39;s published" in home.text or "A's published" in home.text
    assert "A's draft" not in home.text and "A&#39;s draft" not in home.text


@pytest.mark.parametrize("method,path", [
    ("GET", "/offers"), ("GET", "/offers/new"), ("GET", "/offers/{published}/edit"),
    ("POST", "/offers"), ("POST", "/offers/validate"), ("POST", "/offers/{published}/edit"),
    ("POST", "/offers/{published}/pause"), ("POST", "/offers/{published}/close"),
    ("POST", "/offers/{draft}/publish"),
    ("GET", "/organisation"), ("POST", "/organisation"), ("POST", "/organisation/invitations"),
])
def test_a_coach_gets_403_on_employer_only_routes(coach, offer_of_a, session, method, path):
    url = path.format(**offer_of_a)
    before = {key: snapshot(session, offer_id) for key, offer_id in offer_of_a.items()}
    token = csrf_of(coach, "/")
    if method == "GET":
        response = coach.get(url)
    else:
        response = coach.post(url, data=offer_form(token, title="By a coach"))
    assert response.status_code == 403
    assert "Not allowed" in response.text
    assert {key: snapshot(session, offer_id) for key, offer_id in offer_of_a.items()} == before
    assert session.exec(select(Offer).where(Offer.title == "By a coach")).first() is None


def test_a_network_member_gets_403_on_offers(client, session, offer_of_a):
    member = make_user(session, role=Role.NETWORK)
    session.flush()
    log_in(client, member.email)
    assert client.get(f"/offers/{offer_of_a['published']}").status_code == 403
    assert client.get("/offers/new").status_code == 403


# --- anonymous -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/offers", "/offers/new", "/offers/{published}", "/offers/{draft}/edit",
                                  "/organisation", "/pickers/skills?skill_q=data", "/pickers/postcode?postcode=9000"])
def test_anonymous_users_are_sent_to_login(client, offer_of_a, path):
    url = path.format(**offer_of_a)
    response = client.get(url, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("http://testserver/login?next=/")
    assert response.headers["location"].split("?next=")[1] == url.split("?")[0]


@pytest.mark.parametrize("action", ["publish", "pause", "close"])
def test_anonymous_actions_change_nothing(client, offer_of_a, session, action):
    offer_id = offer_of_a["published"]
    before = snapshot(session, offer_id)
    token = csrf_of(client, "/login")
    response = client.post(f"/offers/{offer_id}/{action}", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and "/login" in response.headers["location"]
    assert snapshot(session, offer_id) == before


def test_anonymous_offer_creation_changes_nothing(client, session):
    token = csrf_of(client, "/login")
    response = client.post("/offers", data=offer_form(token, title="Anonymous offer"), follow_redirects=False)
    assert response.status_code == 303 and "/login" in response.headers["location"]
    assert session.exec(select(Offer).where(Offer.title == "Anonymous offer")).first() is None


def test_a_deactivated_user_is_signed_out(client, session):
    actor = make_employer(session)
    session.flush()
    log_in(client, actor.email)
    assert client.get("/offers", follow_redirects=False).status_code == 200
    session.exec(update(User).where(User.id == actor.id).values(is_active=False))
    session.flush()
    assert client.get("/offers", follow_redirects=False).status_code == 303
