"""The JSON API v1 contract: every endpoint, its errors, and authorisation per role."""

import pytest
from sqlmodel import select

from domain.accounts import Role
from domain.services.api_tokens import create_token
from domain.tables import Candidate, CandidateIdentity, Skill
from search.sync import drain
from seed.builders import make_candidate, make_employer, make_offer, make_user
from web.app import create_app


@pytest.fixture
def api(client):
    def call(method, path, token, headers=None, **kwargs):
        headers = {**(headers or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
        return client.request(method, f"/api/v1{path}", headers=headers, **kwargs)
    return call


@pytest.fixture
def employer(session):
    return make_employer(session)


@pytest.fixture
def coach(session):
    return make_user(session, role=Role.COACH)


def token_for(session, actor):
    secret = create_token(session, actor, "test")
    session.flush()
    return secret


@pytest.fixture
def employer_token(session, employer):
    return token_for(session, employer)


@pytest.fixture
def coach_token(session, coach):
    return token_for(session, coach)


@pytest.fixture
def skill_uris(session):
    return session.exec(select(Skill.uri).order_by(Skill.uri).limit(6)).all()


def offer_body(**overrides):
    body = {"title": "Trainee nurse", "type": "paid_traineeship", "duration": {"value": 8, "unit": "weeks"},
            "skills": [], "languages": [{"code": "nl", "min_level": "B1"}], "education_min": "bachelor",
            "postcode": "9000", "places": 2, "sector": "Q", "monthly_pay_eur": 1800, "days_per_week": 4,
            "hours_per_week": 30}
    body.update(overrides)
    return body


def candidate_body(**profile):
    return {"identity": {"given_name": "Amal", "family_name": "Haddad", "email": "amal@example.org"},
            "profile": {"skills": [], "languages": [{"code": "nl", "level": "B2"}], "education_level": "bachelor",
                        "postcode": "9000", "max_commute_km": 30, "available_from": "2026-12-01", "days_per_week": 5,
                        "accepted_offer_types": ["paid_traineeship"], "summary": "Nurse for six years.", **profile}}


# --- the document and the error shape ---------------------------------------------------------------

def test_openapi_document_describes_every_endpoint(api, employer_token):
    document = api("GET", "/openapi.json", None).json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) >= {
        "/skills", "/offers", "/offers/{id}", "/offers/{id}/publish", "/offers/{id}/pause", "/offers/{id}/close",
        "/offers/{id}/matches", "/candidates", "/candidates/batch", "/candidates/{id}/matches", "/search/status"}


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic abc"])
def test_requests_without_a_valid_token_get_401_json(client, header):
    response = client.get("/api/v1/search/status", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_unknown_api_paths_answer_json_not_html(api, employer_token):
    response = api("GET", "/nothing/here", employer_token)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_a_body_that_is_not_json_is_a_400(api, employer_token):
    response = api("POST", "/offers", employer_token, content=b"{nope", headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_json"


def test_a_revoked_token_stops_working(api, client, session, employer):
    from domain.services.api_tokens import revoke_token, tokens_of
    secret = token_for(session, employer)
    assert api("GET", "/search/status", secret).status_code == 200
    revoke_token(session, employer, tokens_of(session, employer)[0].id)
    session.flush()
    assert api("GET", "/search/status", secret).status_code == 401


def test_tokens_are_rate_limited_per_minute_with_retry_after(settings, connection, shared_search, session, employer):
    from dataclasses import replace

    from starlette.testclient import TestClient
    secret = token_for(session, employer)
    app = create_app(replace(settings, api_requests_per_minute=3), db=connection, search=shared_search)
    with TestClient(app) as client:
        statuses = [client.get("/api/v1/search/status", headers={"Authorization": f"Bearer {secret}"})
                    for _ in range(4)]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert 1 <= int(statuses[-1].headers["retry-after"]) <= 60
    assert statuses[-1].json()["error"]["code"] == "rate_limited"


# --- offers -----------------------------------------------------------------------------------------

def test_an_employer_creates_publishes_pauses_and_closes_an_offer(api, employer_token, skill_uris):
    created = api("POST", "/offers", employer_token, json=offer_body(skills=[{"uri": skill_uris[0], "essential": True}]))
    assert created.status_code == 201 and created.json()["status"] == "draft"
    offer_id = created.json()["id"]
    for action, status in (("publish", "published"), ("pause", "paused"), ("publish", "published"), ("close", "closed")):
        response = api("POST", f"/offers/{offer_id}/{action}", employer_token)
        assert response.status_code == 200 and response.json() == {"id": offer_id, "status": status}
    offer = api("GET", f"/offers/{offer_id}", employer_token).json()
    assert offer["status"] == "closed" and offer["municipality"] == "Gent"
    assert offer["skills"][0]["uri"] == skill_uris[0] and offer["skills"][0]["essential"] is True


def test_a_forbidden_transition_is_a_409_and_changes_nothing(api, employer_token):
    offer_id = api("POST", "/offers", employer_token, json=offer_body()).json()["id"]
    response = api("POST", f"/offers/{offer_id}/pause", employer_token)
    assert response.status_code == 409
    assert api("GET", f"/offers/{offer_id}", employer_token).json()["status"] == "draft"


@pytest.mark.parametrize("overrides, field, message", [
    ({"duration": {"value": 3, "unit": "weeks"}}, "duration", "A paid traineeship lasts 4 to 26 weeks."),
    ({"monthly_pay_eur": None}, "monthly_pay_eur", "A paid traineeship needs a gross monthly amount."),
    ({"type": "internship"}, "type", "Must be one of: getting_to_know, paid_traineeship, work_based_training."),
    ({"postcode": "0000"}, "postcode", "0000 is not a Belgian postcode we know."),
    ({"places": "two"}, "places", "Must be a whole number."),
    ({"type": "work_based_training", "followup_contract_months": 3}, "followup_contract_months",
     "The contract after a work-based training lasts at least 6 months, or is open-ended."),
])
def test_rule_violations_are_422_with_the_field(api, employer_token, overrides, field, message):
    response = api("POST", "/offers", employer_token, json=offer_body(**overrides))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][field] == message


def test_null_follow_up_contract_means_open_ended(api, employer_token):
    body = offer_body(type="work_based_training", followup_contract_months=None, monthly_pay_eur=None)
    offer_id = api("POST", "/offers", employer_token, json=body).json()["id"]
    offer = api("GET", f"/offers/{offer_id}", employer_token).json()
    assert offer["followup_open_ended"] is True and offer["followup_contract_months"] is None


def test_offers_are_listed_with_a_cursor(api, employer_token):
    ids = [api("POST", "/offers", employer_token, json=offer_body(title=f"Offer {i}")).json()["id"] for i in range(5)]
    first = api("GET", "/offers?limit=2", employer_token).json()
    second = api("GET", f"/offers?limit=2&cursor={first['next_cursor']}", employer_token).json()
    third = api("GET", f"/offers?limit=2&cursor={second['next_cursor']}", employer_token).json()
    seen = [o["id"] for o in first["results"] + second["results"] + third["results"]]
    assert seen == ids and third["next_cursor"] is None
    assert api("GET", "/offers?cursor=garbage", employer_token).status_code == 400


def test_another_organisation_gets_404_for_an_offer(api, session, employer_token):
    other = token_for(session, make_employer(session))
    offer_id = api("POST", "/offers", employer_token, json=offer_body()).json()["id"]
    assert api("GET", f"/offers/{offer_id}", other).status_code == 404
    assert api("POST", f"/offers/{offer_id}/publish", other).status_code == 404


def test_a_coach_cannot_create_offers_and_an_employer_cannot_register_candidates(api, coach_token, employer_token):
    assert api("POST", "/offers", coach_token, json=offer_body()).status_code == 403
    assert api("POST", "/candidates", employer_token, json=candidate_body()).status_code == 403


# --- candidates -------------------------------------------------------------------------------------

def test_a_coach_registers_a_candidate_and_gets_a_pseudonymous_reference(api, coach_token, session, skill_uris):
    response = api("POST", "/candidates", coach_token, json=candidate_body(skills=[{"uri": skill_uris[0]}]))
    assert response.status_code == 201
    body = response.json()
    assert body["ref"].startswith("K-") and len(body["ref"]) == 6
    assert session.get(CandidateIdentity, body["id"]).family_name == "Haddad"


def test_candidate_errors_name_the_nested_field(api, coach_token):
    body = candidate_body(postcode="1")
    body["identity"]["family_name"] = ""
    fields = api("POST", "/candidates", coach_token, json=body).json()["error"]["fields"]
    assert fields["profile.postcode"] == "1 is not a Belgian postcode we know."
    assert fields["identity.family_name"] == "This field is required."


def test_a_batch_saves_the_valid_rows_and_reports_the_others(api, coach_token, session):
    rows = [candidate_body(), candidate_body(postcode="0000"), {"identity": "x"}, candidate_body(days_per_week=9)]
    rows[3]["identity"]["email"] = "other@example.org"
    response = api("POST", "/candidates/batch", coach_token, json={"candidates": rows})
    assert response.status_code == 200
    result = response.json()
    assert [c["index"] for c in result["created"]] == [0]
    assert [e["index"] for e in result["errors"]] == [1, 2, 3]
    assert result["errors"][0]["error"]["fields"] == {"profile.postcode": "0000 is not a Belgian postcode we know."}
    assert session.get(Candidate, result["created"][0]["id"]) is not None


def test_a_batch_of_more_than_1000_is_refused(api, coach_token):
    response = api("POST", "/candidates/batch", coach_token, json={"candidates": [candidate_body()] * 1001})
    assert response.status_code == 422


def test_the_caseload_list_carries_no_identity(api, coach_token):
    api("POST", "/candidates", coach_token, json=candidate_body())
    listing = api("GET", "/candidates", coach_token)
    assert listing.status_code == 200
    text = listing.text
    assert "Haddad" not in text and "amal@example.org" not in text and "Amal" not in text
    assert listing.json()["results"][0]["ref"].startswith("K-")


# --- matches and search status ----------------------------------------------------------------------

@pytest.fixture
def search_api(settings, connection, search):
    from starlette.testclient import TestClient
    with TestClient(create_app(settings, db=connection, search=search)) as client:
        def call(method, path, token, **kwargs):
            return client.request(method, f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, **kwargs)
        yield call


def test_explained_matches_for_an_offer_and_for_a_candidate(search_api, session, connection, search, employer,
                                                            coach, employer_token, coach_token, skill_uris):
    offer_id = make_offer(session, employer, publish=True, skills=[(skill_uris[0], True), (skill_uris[1], True),
                                                                   (skill_uris[2], False)])
    strong = make_candidate(session, coach, skills=skill_uris[:3])
    weak = make_candidate(session, coach, skills=skill_uris[:1], identity={"given_name": "Quorra"})
    session.flush()
    assert search_api("GET", "/search/status", employer_token).json()["pending"] > 0
    drain(connection, search)
    assert search_api("GET", "/search/status", employer_token).json() == {"pending": 0, "healthy": True}

    response = search_api("GET", f"/offers/{offer_id}/matches?limit=5", employer_token)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["candidate_ref"] for r in results] == [strong.ref, weak.ref]
    assert results[0]["score"] == 1.0 and 0 < results[1]["score"] < 1
    assert results[1]["explanation"]["essential_missing"] == [skill_uris[1]]
    assert "Quorra" not in response.text

    offers = search_api("GET", f"/candidates/{strong.id}/matches", coach_token).json()["results"]
    assert offers[0]["offer_id"] == offer_id and offers[0]["score"] == 1.0
    other_coach = token_for(session, make_user(session, role=Role.COACH))
    assert search_api("GET", f"/candidates/{strong.id}/matches", other_coach).status_code == 404


NURSE = "http://data.europa.eu/esco/occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50"
JAVA = "http://data.europa.eu/esco/skill/19a8293b-8e95-4de3-983f-77484079c389"


def test_skills_are_found_in_three_languages(api, employer_token):
    for q, lang, label in (("java", "en", "Java (computer programming)"), ("java", "nl", "Java (computerprogrammering)"),
                           ("programmation informatique", "fr", "Java (programmation informatique)")):
        results = api("GET", f"/skills?q={q}&lang={lang}&limit=5", employer_token).json()["results"]
        assert all(set(r) == {"uri", "label", "group"} for r in results)
        assert {"uri": JAVA, "label": label} in [{"uri": r["uri"], "label": r["label"]} for r in results]
    nursing = api("GET", "/skills?q=nursing science&lang=nl&limit=1", employer_token).json()["results"]
    assert nursing[0]["label"] == "nursing science (EN)"  # ESCO has no Dutch label: English, marked
    assert api("GET", "/skills?q=x&lang=de", employer_token).status_code == 400


def test_occupations_and_their_skills(api, employer_token):
    results = api("GET", "/occupations?q=verplegkundige&lang=nl", employer_token).json()["results"]
    assert {"uri": NURSE, "label": "algemeen verpleegkundige", "isco": "2221"} in results
    skills = api("GET", f"/occupations/skills?uri={NURSE}&lang=fr", employer_token)
    assert skills.status_code == 200
    body = skills.json()
    assert body["label"] == "infirmier de soins généraux/infirmière de soins généraux"
    assert len(body["essential"]) == 88 and body["optional"]
    assert all(set(s) == {"uri", "label"} for s in body["essential"] + body["optional"])
    unknown = api("GET", "/occupations/skills?uri=http://data.europa.eu/esco/occupation/nope", employer_token)
    assert unknown.status_code == 422 and "uri" in unknown.json()["error"]["fields"]


def test_every_official_skill_uri_is_accepted_and_an_unknown_one_is_422(api, employer_token, session):
    from domain.reference import esco_occupations
    nurse = esco_occupations()[NURSE]
    body = offer_body(occupation_uri=NURSE,
                      skills=[{"uri": u, "essential": True} for u in nurse.essential[:20]]
                      + [{"uri": JAVA, "essential": False}])
    assert api("POST", "/offers", employer_token, json=body).status_code == 201
    bad = offer_body(skills=[{"uri": "http://data.europa.eu/esco/skill/not-released", "essential": True}])
    response = api("POST", "/offers", employer_token, json=bad)
    assert response.status_code == 422 and "skills" in response.json()["error"]["fields"]
