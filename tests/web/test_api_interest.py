"""The interest-request endpoints of the JSON API (issue 7 contract): send, accept, decline, withdraw."""

import pytest
from sqlmodel import select

from domain.accounts import Role
from domain.interest import DISCLOSURE_ACTION
from domain.services.api_tokens import create_token
from domain.tables import AuditEntry, Consent, Placement
from seed.builders import candidate_login, make_candidate, make_employer, make_offer, make_user


@pytest.fixture
def api(client):
    def call(method, path, token, **kwargs):
        return client.request(method, f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, **kwargs)
    return call


@pytest.fixture
def setup(session):
    employer = make_employer(session, organisation="Datalaan")
    coach = make_user(session, role=Role.COACH)
    offer_id = make_offer(session, employer, publish=True, places=1)
    candidate = make_candidate(session, coach, identity=dict(given_name="Samir", family_name="Haddad",
                                                           email="samir.haddad@example.org", phone=""))
    other = make_candidate(session, coach)
    session.flush()
    tokens = {"employer": create_token(session, employer, "t"), "coach": create_token(session, coach, "t"),
              "other_employer": create_token(session, make_employer(session), "t")}
    session.flush()
    return dict(employer=employer, offer_id=offer_id, candidate=candidate, other=other, tokens=tokens)


def candidate_token(session, candidate_id):
    token = create_token(session, candidate_login(session, candidate_id), "t")
    session.flush()
    return token


def send(api, setup, ref=None, token=None, **extra):
    return api("POST", f"/offers/{setup['offer_id']}/interest-requests", token or setup["tokens"]["employer"],
               json={"candidate_ref": ref or setup["candidate"].ref, **extra})


def test_send_accept_and_the_employer_then_sees_the_contact(api, session, setup):
    created = send(api, setup, message="Welcome to the team")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["state"] == "requested" and body["candidate"] is None and body["candidate_ref"] == setup["candidate"].ref
    request_id = body["id"]
    assert api("GET", f"/interest-requests/{request_id}", setup["tokens"]["employer"]).json()["candidate"] is None

    token = candidate_token(session, setup["candidate"].id)
    mine = api("GET", f"/interest-requests/{request_id}", token).json()
    assert mine["employer"] == "Datalaan" and mine["disclosed_fields"] == ["name", "email"]
    assert api("POST", f"/interest-requests/{request_id}/accept", setup["tokens"]["employer"]).status_code == 403
    refused = api("POST", f"/interest-requests/{request_id}/accept", token, json={"consent": False})
    assert refused.status_code == 422 and refused.json()["error"]["fields"] == {"consent": "Must be true to accept."}
    accepted = api("POST", f"/interest-requests/{request_id}/accept", token)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert "Datalaan sees my name and my e-mail address" in accepted.json()["consent_text"]
    assert session.exec(select(Consent).where(Consent.interest_request_id == request_id)).one()
    assert session.exec(select(Placement).where(Placement.interest_request_id == request_id)).one().state == "planned"

    seen = api("GET", f"/interest-requests/{request_id}", setup["tokens"]["employer"]).json()
    assert seen["candidate"] == {"name": "Samir Haddad", "email": "samir.haddad@example.org", "phone": ""}
    log = session.exec(select(AuditEntry).where(AuditEntry.action == DISCLOSURE_ACTION)).all()
    assert [entry.detail["via"] for entry in log] == ["api"]
    assert api("GET", f"/interest-requests/{request_id}", setup["tokens"]["other_employer"]).status_code == 404
    again = api("POST", f"/interest-requests/{request_id}/accept", token)
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_allowed"


def test_the_offer_fills_and_later_acceptances_get_409(api, session, setup):
    first = send(api, setup).json()["id"]
    second = send(api, setup, ref=setup["other"].ref).json()["id"]
    assert api("POST", f"/interest-requests/{first}/accept", candidate_token(session, setup["candidate"].id)).status_code == 200
    late = api("POST", f"/interest-requests/{second}/accept", candidate_token(session, setup["other"].id))
    assert late.status_code == 409 and late.json()["error"]["code"] == "no_place_left"
    offer = api("GET", f"/offers/{setup['offer_id']}", setup["tokens"]["employer"]).json()
    assert offer["status"] == "filled"


def test_decline_with_or_without_a_reason_and_withdraw(api, session, setup):
    request_id = send(api, setup).json()["id"]
    token = candidate_token(session, setup["candidate"].id)
    bad = api("POST", f"/interest-requests/{request_id}/decline", token, json={"reason": "bored"})
    assert bad.status_code == 422 and "reason" in bad.json()["error"]["fields"]
    declined = api("POST", f"/interest-requests/{request_id}/decline", token, json={"reason": "timing"})
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    coach_view = api("GET", f"/interest-requests/{request_id}", setup["tokens"]["coach"]).json()
    assert coach_view["decline_reason"] == "timing"
    assert "decline_reason" not in api("GET", f"/interest-requests/{request_id}", setup["tokens"]["employer"]).json()

    other = send(api, setup, ref=setup["other"].ref).json()["id"]
    assert api("POST", f"/interest-requests/{other}/withdraw", setup["tokens"]["coach"]).status_code == 403
    assert api("POST", f"/interest-requests/{other}/withdraw", setup["tokens"]["other_employer"]).status_code == 404
    withdrawn = api("POST", f"/interest-requests/{other}/withdraw", setup["tokens"]["employer"])
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert api("POST", f"/interest-requests/{other}/withdraw", setup["tokens"]["employer"]).status_code == 409
    empty = api("POST", f"/interest-requests/{other}/decline", candidate_token(session, setup["other"].id))
    assert empty.status_code == 409  # withdrawn: nothing left to decline


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"candidate_ref": "K-ZZZZ"}, 422, "candidate_ref"),
    ({"candidate_ref": 7}, 422, "candidate_ref"),
    ({}, 422, "candidate_ref"),
    ({"candidate_ref": "K-2222", "message": "x" * 1001}, 422, None),
])
def test_send_errors(api, setup, body, status, field):
    response = api("POST", f"/offers/{setup['offer_id']}/interest-requests", setup["tokens"]["employer"], json=body)
    assert response.status_code == status
    if field:
        assert field in response.json()["error"]["fields"]


def test_send_refusals(api, setup):
    assert send(api, setup, token=setup["tokens"]["coach"]).status_code == 403
    assert send(api, setup, token=setup["tokens"]["other_employer"]).status_code == 404
    raw = api("POST", f"/offers/{setup['offer_id']}/interest-requests", setup["tokens"]["employer"], content=b"{nope")
    assert raw.status_code == 400 and raw.json()["error"]["code"] == "bad_json"
    assert api("GET", f"/offers/{setup['offer_id']}/interest-requests", setup["tokens"]["employer"]).status_code == 405
    assert api("GET", "/interest-requests/999999", setup["tokens"]["employer"]).status_code == 404


def test_the_openapi_document_describes_the_interest_endpoints(api, setup):
    paths = api("GET", "/openapi.json", setup["tokens"]["employer"]).json()["paths"]
    for path in ("/offers/{id}/interest-requests", "/interest-requests/{id}", "/interest-requests/{id}/accept",
                 "/interest-requests/{id}/decline", "/interest-requests/{id}/withdraw"):
        assert path in paths
