"""The attack from the issue: "not-an-email" and nationality "XX" through the form, the CSV import and the API."""

import pytest
from sqlmodel import select

from domain.accounts import Role
from domain.services.api_tokens import create_token
from domain.tables import Candidate, CandidateIdentity
from seed.builders import make_user
from tests.conftest import csrf_of, log_in
from tests.web.coach_support import candidate_form
from tests.web.support import error_of, input_value
from tests.web.test_caseload_csv import HEADER, problems, run_import, upload


@pytest.fixture
def coach(session):
    actor = make_user(session, role=Role.COACH)
    session.flush()
    return actor


def test_the_form_refuses_them_beside_the_fields_and_keeps_what_was_typed(client, coach, session):
    log_in(client, coach.email)
    before = len(session.exec(select(Candidate)).all())
    token = csrf_of(client, "/candidates/new")
    response = client.post("/candidates", data=candidate_form(token, email="not-an-email", nationality="XX",
                                                                phone="call me", date_of_birth="2020-01-01"))
    assert response.status_code == 422
    assert error_of(response.text, "email") == "Enter an e-mail address like name@example.be."
    assert error_of(response.text, "nationality") == "Use the two-letter country code, e.g. SY."
    assert "0470 12 34 56" in error_of(response.text, "phone")
    assert "younger than 15" in error_of(response.text, "date_of_birth")
    assert input_value(response.text, "email") == "not-an-email"
    assert input_value(response.text, "phone") == "call me"
    assert input_value(response.text, "given_name") == "Rania"
    assert len(session.exec(select(Candidate)).all()) == before


def test_the_form_stores_the_phone_in_e164(client, coach, session):
    log_in(client, coach.email)
    token = csrf_of(client, "/candidates/new")
    response = client.post("/candidates", data=candidate_form(token, phone="0470 11 22 33", email="Rania@Example.org"),
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    identity = session.exec(select(CandidateIdentity).order_by(CandidateIdentity.candidate_id.desc())).first()
    assert identity.phone == "+32470112233"


def test_the_csv_import_reports_them_by_row_and_column(client, coach, session):
    log_in(client, coach.email)
    rows = [HEADER,
            "Leyla,Demir,not-an-email,+32 470 00 00 01,1990-01-31,XX,,,bachelor,nl:B1,9000,25,5,,,",
            "Omar,Haidari,omar@example.org,0470 00 00 02,1990-01-31,AF,,,bachelor,nl:B1,9000,25,5,,,"]
    region = run_import(client, upload(client, "\n".join(rows) + "\n"))
    found = problems(region)
    assert (2, "email", "Enter an e-mail address like name@example.be.") in found
    assert (2, "nationality", "Use the two-letter country code, e.g. SY.") in found
    saved = session.exec(select(CandidateIdentity).where(CandidateIdentity.family_name == "Haidari")).one()
    assert saved.phone == "+32470000002"
    assert session.exec(select(CandidateIdentity).where(CandidateIdentity.family_name == "Demir")).first() is None


def test_the_api_names_the_fields(client, coach, session):
    token = create_token(session, coach, "test")
    session.flush()
    body = {"identity": {"given_name": "Amal", "family_name": "Haddad", "email": "not-an-email", "nationality": "XX",
                         "phone": "12"},
            "profile": {"skills": [], "languages": [{"code": "nl", "level": "B2"}], "education_level": "bachelor",
                        "postcode": "9000", "max_commute_km": 30, "available_from": "2026-12-01", "days_per_week": 5,
                        "accepted_offer_types": ["paid_traineeship"], "summary": "Nurse for six years."}}
    response = client.post("/api/v1/candidates", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields["identity.email"] == "Enter an e-mail address like name@example.be."
    assert fields["identity.nationality"] == "Use the two-letter country code, e.g. SY."
    assert "identity.phone" in fields
