"""The coach records the language of e-mails to a candidate (form and CSV), until the candidate chooses their own."""

import pytest

from domain.accounts import Role
from domain.services.accounts import choose_language
from seed.builders import make_user
from tests.conftest import csrf_of, log_in
from tests.web.coach_support import candidate_form, fresh_identity
from tests.web.test_candidates import candidate_id_from
from tests.web.test_caseload_csv import run_import
from tests.web.test_caseload_csv import upload as upload_csv


@pytest.fixture
def coach(session):
    actor = make_user(session, role=Role.COACH, organisation="Mission locale Namur")
    session.flush()
    return actor


def test_the_form_proposes_the_coachs_language_and_stores_the_choice(client, coach, session):
    choose_language(session, coach, "fr")
    session.flush()
    log_in(client, coach.email)
    page = client.get("/candidates/new").text
    assert '<option value="fr" lang="fr" selected>Français</option>' in page  # the coaching context's language
    token = csrf_of(client, "/candidates/new")
    proposed = candidate_id_from(client.post("/candidates", data=candidate_form(token, correspondence_language="fr"),
                                             follow_redirects=False))
    assert fresh_identity(session, proposed).correspondence_language == "fr"
    chosen = candidate_id_from(client.post("/candidates", data=candidate_form(token, correspondence_language="en"),
                                           follow_redirects=False))
    assert fresh_identity(session, chosen).correspondence_language == "en"


def test_without_a_choice_the_candidate_is_written_to_in_dutch(client, coach, session):
    log_in(client, coach.email)  # a coach who reads English: Dutch is the default for candidates
    assert '<option value="nl" lang="nl" selected>Nederlands</option>' in client.get("/candidates/new").text
    token = csrf_of(client, "/candidates/new")
    created = candidate_id_from(client.post("/candidates", data=candidate_form(token), follow_redirects=False))
    assert fresh_identity(session, created).correspondence_language == "nl"


def test_an_unknown_language_is_refused_on_the_form(client, coach):
    log_in(client, coach.email)
    token = csrf_of(client, "/candidates/new")
    response = client.post("/candidates", data=candidate_form(token, correspondence_language="de"))
    assert response.status_code == 422
    assert "Choose nl (Dutch), fr (French) or en (English)." in response.text


def test_the_csv_column_sets_it_and_is_checked(client, coach, session):
    from sqlmodel import select

    from domain.tables import CandidateIdentity

    log_in(client, coach.email)
    region = run_import(client, upload_csv(client, "given_name,family_name,postcode,correspondence_language\n"
                                                   "Ada,Okafor,5000,FR\nBen,Osei,9000,\nCem,Kaya,9000,de\n"))
    assert "3 of 3 rows read: 2 saved, 1 to fix." in region
    assert "Choose nl (Dutch), fr (French) or en (English)." in region
    stored = {i.given_name: i.correspondence_language for i in session.exec(select(CandidateIdentity)).all()
              if i.given_name in ("Ada", "Ben", "Cem")}
    assert stored == {"Ada": "fr", "Ben": "nl"}
