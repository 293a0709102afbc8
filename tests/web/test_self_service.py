"""A candidate keeps their own profile on /me (SPEC §1): the preview employers see, the fields they may change,
pausing being matched (out of the index), a message to the coach; the coach is told and reads the history."""

import re

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from domain.accounts import Role
from domain.services.accounts import actor_by_id
from domain.services.portal import ensure_candidate_account, set_candidate_password
from domain.tables import Candidate, CandidateIdentity, CandidateProfileChange, Notification, Skill
from search.sync import drain
from seed.builders import make_candidate, make_user
from tests.conftest import csrf_of, log_in
from web.app import create_app

HX = {"HX-Request": "true"}
EMAIL, PASSWORD = "amal.haddad@example.org", "a-long-password"


@pytest.fixture
def world(session):
    coach = make_user(session, role=Role.COACH, organisation="Trajectbegeleiding Gent")
    skill = session.exec(select(Skill.uri).order_by(Skill.uri).limit(1)).one()
    created = make_candidate(session, coach, skills=[skill], postcode="9000", days_per_week=5, max_commute_km=30,
                             identity={"given_name": "Amal", "family_name": "Haddad", "email": EMAIL})
    user_id = ensure_candidate_account(session, session.get(Candidate, created.id))
    set_candidate_password(session, actor_by_id(session, user_id), PASSWORD)
    session.flush()
    return {"coach": coach, "candidate": created, "skill": skill}


def own_form(page: str) -> dict:
    """The self-service form as the browser would send it, from the page's current values."""
    form = {"available_from": re.search(r'id="f-available_from"[^>]*value="([^"]*)"', page).group(1),
            "days_per_week": re.search(r'id="f-days_per_week"[^>]*value="([^"]*)"', page).group(1),
            "max_commute_km": re.search(r'id="f-max_commute_km"[^>]*value="([^"]*)"', page).group(1),
            "accepted_offer_types": re.findall(r'name="accepted_offer_types" value="([^"]+)" checked', page),
            "skill": re.findall(r'name="skill" value="([^"]+)"', page)}
    for code, level in re.findall(r'id="f-language_(\w+)".*?<option value="(\w\d)" selected', page, re.S):
        form[f"language_{code}"] = level
    return form


def changes(session, candidate_id):
    return session.exec(select(CandidateProfileChange).where(CandidateProfileChange.candidate_id == candidate_id)
                        .execution_options(populate_existing=True).order_by(CandidateProfileChange.id)).all()


def test_the_candidate_sees_what_employers_see_and_no_api_tokens(client, world):
    log_in(client, EMAIL, PASSWORD)
    page = client.get("/me").text
    assert "Your profile as employers see it" in page
    assert world["candidate"].ref in page and "5 days a week" in page and "Gent" in page
    assert "Haddad" not in page.split("Your profile as employers see it")[1].split("</section>")[0]
    assert "API tokens" not in page and "/account/tokens" not in page
    assert "My profile" in page


def test_changing_days_updates_the_preview_saves_and_tells_the_coach(client, session, world):
    log_in(client, EMAIL, PASSWORD)
    page = client.get("/me/profile").text
    assert 'value="5"' in page and "5 days a week" in page
    form = own_form(page) | {"days_per_week": "2", "csrf_token": csrf_of(client, "/me/profile")}

    preview = client.post("/me/profile/preview", headers=HX, data=form)
    assert preview.status_code == 200
    assert 'id="profile-preview"' in preview.text and "2 days a week" in preview.text
    assert session.get(Candidate, world["candidate"].id).days_per_week == 5  # a preview saves nothing

    saved = client.post("/me/profile", data=form, follow_redirects=True)
    assert "Your changes are saved" in saved.text and "2 days a week" in saved.text
    session.expire_all()
    assert session.get(Candidate, world["candidate"].id).days_per_week == 2
    [change] = changes(session, world["candidate"].id)
    assert change.kind == "profile" and change.changes == {"days_per_week": [5, 2]}
    [notice] = session.exec(select(Notification).where(Notification.user_id == world["coach"].id)).all()
    assert world["candidate"].ref in notice.params["ref"] and notice.url == f"/candidates/{world['candidate'].id}"


def test_the_candidate_cannot_change_identity_education_or_postcode_through_the_form(client, session, world):
    log_in(client, EMAIL, PASSWORD)
    form = own_form(client.get("/me/profile").text) | {
        "csrf_token": csrf_of(client, "/me/profile"), "postcode": "1000", "education_level": "doctorate",
        "given_name": "Someone", "summary": "changed", "max_commute_km": "12"}
    client.post("/me/profile", data=form)
    session.expire_all()
    candidate = session.get(Candidate, world["candidate"].id)
    assert (candidate.postcode, candidate.education_level, candidate.summary) == ("9000", "bachelor", "")
    assert candidate.max_commute_km == 12
    assert session.get(CandidateIdentity, candidate.id).given_name == "Amal"


def test_bad_input_gets_a_message_and_keeps_what_was_typed(client, session, world):
    log_in(client, EMAIL, PASSWORD)
    form = own_form(client.get("/me/profile").text) | {"csrf_token": csrf_of(client, "/me/profile"),
                                                        "days_per_week": "9", "accepted_offer_types": [],
                                                        "max_commute_km": "17"}
    response = client.post("/me/profile", data=form)
    assert response.status_code == 422
    assert "Choose 1 to 5 days a week." in response.text
    assert "Choose at least one type of traineeship." in response.text
    assert 'id="f-max_commute_km" name="max_commute_km" type="text" value="17"' in response.text
    session.expire_all()
    assert session.get(Candidate, world["candidate"].id).days_per_week == 5
    assert changes(session, world["candidate"].id) == []


def test_the_french_candidate_gets_the_page_in_french(client, world):
    log_in(client, EMAIL, PASSWORD)
    client.cookies.set("opstap_lang", "fr")
    page = client.get("/me/profile").text
    assert "Mon profil" in page and "Ce que voient les employeurs" in page


def test_pausing_takes_the_candidate_out_of_the_index_and_resuming_brings_them_back(settings, connection, session,
                                                                                    search, world):
    drain(connection, search)
    index = search.writer.index(search.index_name("candidates"))

    def indexed() -> set[str]:
        return {str(d.id) for d in index.get_documents({"limit": 1000}).results}

    assert str(world["candidate"].id) in indexed()
    with TestClient(create_app(settings, db=connection, search=search)) as client:
        log_in(client, EMAIL, PASSWORD)
        token = csrf_of(client, "/me")
        paused = client.post("/me/matching", headers={**HX, "X-CSRF-Token": token}, data={"paused": "1"})
        assert paused.status_code == 200 and 'id="matching"' in paused.text
        assert "Paused. Employers no longer find your profile." in paused.text
        assert "Resume being matched" in paused.text
        drain(connection, search)
        assert str(world["candidate"].id) not in indexed()

        resumed = client.post("/me/matching", headers={**HX, "X-CSRF-Token": token}, data={"paused": "0"})
        assert "employers can find your profile again" in resumed.text
        drain(connection, search)
        assert str(world["candidate"].id) in indexed()
    assert [c.kind for c in changes(session, world["candidate"].id)] == ["paused", "resumed"]


def test_a_message_to_the_coach_and_the_coachs_history(client, session, world):
    log_in(client, EMAIL, PASSWORD)
    token = csrf_of(client, "/me/profile")
    empty = client.post("/me/message", headers={**HX, "X-CSRF-Token": token}, data={"message": "  "})
    assert empty.status_code == 422 and "Write what your coach should change." in empty.text
    sent = client.post("/me/message", headers={**HX, "X-CSRF-Token": token},
                       data={"message": "My new address is Kouter 1, 9000 Gent."})
    assert "Your message was sent to your coach." in sent.text and 'id="message-coach"' in sent.text
    form = own_form(client.get("/me/profile").text) | {"csrf_token": token, "max_commute_km": "40"}
    client.post("/me/profile", data=form)
    client.post("/logout", data={"csrf_token": token})

    log_in(client, world["coach"].email)
    page = client.get(f"/candidates/{world['candidate'].id}").text
    history = page.split('id="own-changes"')[1].split("</section>")[0]
    assert "Message to the coach" in history and "Kouter 1, 9000 Gent" in history
    assert "Longest commute (km)" in history and "30" in history and "40" in history
    assert history.index("Changed the profile") < history.index("Message to the coach")  # newest first


def test_the_self_service_pages_are_the_candidates_only(client, session, world):
    log_in(client, world["coach"].email)
    assert client.get("/me/profile").status_code == 403
    other = make_user(session, role=Role.EMPLOYER)
    session.flush()
    client.cookies.clear()
    log_in(client, other.email)
    assert client.get("/me/profile").status_code == 403


def test_an_employer_cannot_send_interest_to_a_paused_candidate(client, session, world):
    from domain.services.self_service import set_matching_paused
    from seed.builders import make_employer, make_offer

    candidate_user = session.get(Candidate, world["candidate"].id).user_id
    set_matching_paused(session, actor_by_id(session, candidate_user), True)
    employer = make_employer(session)
    offer_id = make_offer(session, employer, publish=True)
    session.flush()
    log_in(client, employer.email)
    token = csrf_of(client, f"/offers/{offer_id}")
    response = client.post(f"/offers/{offer_id}/interest-requests", headers={**HX, "X-CSRF-Token": token},
                           data={"candidate_ref": world["candidate"].ref, "message": "Hello"})
    assert response.status_code == 422
    assert "This candidate is not looking for a traineeship at the moment." in response.text
