"""The optional gender a candidate states on /me (issue 17): explained, changeable, removable; used only as a
fairness group; and never anywhere an employer looks: no search document, no employer page (before or after
consent), no CSV export, no API answer. The probe is an answer nobody else would write."""

import re

import pytest
from sqlmodel import select
from starlette.routing import Route
from starlette.testclient import TestClient

from domain.accounts import Role
from domain.services.accounts import actor_by_id
from domain.services.api_tokens import create_token
from domain.services.interest import accept_interest
from domain.services.portal import ensure_candidate_account, set_candidate_password
from domain.services.proposals import pin
from domain.tables import Candidate, CandidateGender, Skill
from search.index_settings import INDEXES
from search.sync import drain
from seed.builders import builder_links, make_candidate, make_employer, make_interest, make_offer, make_user
from tests.conftest import csrf_of, log_in
from web.app import create_app
from web.templating import COOKIE

HX = {"HX-Request": "true"}
EMAIL, PASSWORD = "amal.probe@example.org", "a-long-password"
# every word the statement could leave behind: the field, the question and the labels of the answers
PROBES = ("gender", "Gender", "Another gender", "How do you describe your gender", "not_stated", "Genre", "Geslacht")


@pytest.fixture
def world(session):
    coach = make_user(session, role=Role.COACH)
    skill = session.exec(select(Skill.uri).order_by(Skill.uri).limit(1)).one()
    employer = make_employer(session, sector="Q")
    offer = make_offer(session, employer, publish=True, skills=[(skill, True)])
    created = make_candidate(session, coach, skills=[skill], postcode="9000", education_level="master",
                             identity={"given_name": "Probe", "family_name": "Person", "email": EMAIL,
                                       "country_of_origin": "SY"})
    user_id = ensure_candidate_account(session, session.get(Candidate, created.id))
    set_candidate_password(session, actor_by_id(session, user_id), PASSWORD)
    pin(session, coach, offer, created.id)
    session.flush()
    return {"coach": coach, "employer": employer, "offer": offer, "candidate": created, "user_id": user_id}


def state(client, value: str):
    page = client.get("/me").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/me/gender", data={"gender": value, "csrf_token": token}, headers=HX)


def test_the_candidate_states_changes_and_removes_their_gender_with_the_reason_given(client, session, world):
    log_in(client, EMAIL, PASSWORD)
    page = client.get("/me").text
    assert "Gender (optional)" in page and "Employers never see it" in page and "change or remove" in page
    answer = state(client, "another")
    assert answer.status_code == 200 and 'id="gender"' in answer.text and "<html" not in answer.text
    assert 'value="another" checked' in answer.text and "Saved" in answer.text
    assert session.get(CandidateGender, world["candidate"].id).gender == "another"
    assert 'value="another" checked' in client.get("/me").text
    state(client, "woman")
    assert session.get(CandidateGender, world["candidate"].id).gender == "woman"
    removed = state(client, "")
    assert "Removed" in removed.text and session.get(CandidateGender, world["candidate"].id) is None
    assert state(client, "robot").status_code == 200  # a tampered value keeps nothing
    assert session.get(CandidateGender, world["candidate"].id) is None
    client.cookies.set(COOKIE, "fr")
    assert "Genre (facultatif)" in client.get("/me").text


def test_the_stated_gender_reaches_no_index_no_employer_page_no_export_and_no_employer_api(
        client, session, connection, search, settings, world):
    log_in(client, EMAIL, PASSWORD)
    state(client, "another")
    client.cookies.clear()
    employer = world["employer"]
    request = make_interest(session, employer, world["offer"], world["candidate"].ref)
    accept_interest(session, actor_by_id(session, world["user_id"]), request.id, confirmed=True,
                    links=builder_links())  # after consent the employer sees the identity: still no gender
    session.flush()
    drain(connection, search)

    for base in INDEXES:  # every search document
        for document in search.writer.index(search.index_name(base)).get_documents({"limit": 1000}).results:
            text = str(vars(document) if hasattr(document, "__dict__") else document)
            assert "gender" not in text.lower() and "another" not in text, base

    app = create_app(settings, db=connection, search=search)  # its own indexes, with this world's documents
    client = TestClient(app, base_url="http://testserver", raise_server_exceptions=False)
    log_in(client, employer.email)
    seen = 0
    paths = [r.path for r in app.routes if isinstance(r, Route) and "{" not in r.path and "GET" in (r.methods or set())]
    offer = world["offer"]
    paths += [f"/offers/{offer}", f"/offers/{offer}/interest", f"/offers/{offer}/matches", "/offers/export.csv",
              f"/interest/{request.id}", f"/offers/{offer}/interest/{request.id}"]
    for path in paths:
        response = client.get(path)
        if response.status_code != 200:
            continue
        seen += 1
        found = [probe for probe in PROBES if probe in response.text]
        assert not found, (path, found, [response.text[max(0, i - 80):i + 40] for i in
                                         [response.text.find(found[0])]] if found else "")
    assert seen > 15

    token = create_token(session, employer, "probe")
    session.flush()
    api = [f"/api/v1/offers/{offer}/matches", f"/api/v1/interest-requests/{request.id}", "/api/v1/offers"]
    for path in api:
        response = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, path
        assert not any(probe in response.text for probe in PROBES), path


def test_the_coachs_caseload_export_and_the_networks_csv_carry_no_gender(client, session, world):
    log_in(client, EMAIL, PASSWORD)
    state(client, "man")
    client.cookies.clear()
    log_in(client, world["coach"].email)
    export = client.get("/candidates/export.csv")
    assert export.status_code == 200 and "gender" not in export.text.lower()
    client.cookies.clear()
    network = make_user(session, role=Role.NETWORK)
    session.flush()
    log_in(client, network.email)
    directory = client.get("/network/employers.csv")
    assert "gender" not in directory.text.lower()
    # and it is used where it belongs: as a fairness group, in totals only
    assert "Gender (where stated)" in client.get("/network/fairness").text


def test_erasure_removes_the_stated_gender(client, session, world):
    from domain.services.privacy import erase_candidate

    log_in(client, EMAIL, PASSWORD)
    state(client, "woman")
    assert csrf_of(client)
    erase_candidate(session, actor_by_id(session, world["user_id"]), True)
    session.flush()
    assert session.get(CandidateGender, world["candidate"].id) is None
