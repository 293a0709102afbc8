"""The coach registers candidates, corrects identity, builds the anonymised profile with its preview,
screens eligibility and keeps a coaching log (TestClient, real database)."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from domain.accounts import Role
from domain.services.candidates import profile_facts
from domain.tables import (
    AuditEntry,
    Candidate,
    CandidateExperience,
    CandidateLanguage,
    CandidateSkill,
    CoachingLogEntry,
    Occupation,
    Screening,
    utcnow,
)
from seed.builders import make_candidate, make_user
from tests.conftest import csrf_of, log_in
from tests.web.coach_support import HX, candidate_form, fresh_candidate, fresh_identity, labelled_skills
from tests.web.support import error_of, input_value, selected_option


@pytest.fixture
def coach(session):
    actor = make_user(session, role=Role.COACH, organisation="Trajectbegeleiding Oost")
    session.flush()
    return actor


@pytest.fixture
def coach_client(client, coach):
    log_in(client, coach.email)
    return client


@pytest.fixture
def candidate(session, coach):
    created = make_candidate(session, coach, identity=dict(given_name="Yara", family_name="Bishara",
                                                           email="yara.bishara@example.org", address="Veldstraat 4, 9000 Gent"),
                             summary="Yara Bishara was a lab technician for 7 years.")
    session.flush()
    return created


def candidate_id_from(response) -> int:
    assert response.status_code == 303, response.text[:2000]
    match = re.search(r"/candidates/(\d+)$", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


# --- registration ------------------------------------------------------------------------------

def test_register_form(coach_client):
    page = coach_client.get("/candidates/new")
    assert page.status_code == 200
    for name in ("given_name", "family_name", "email", "phone", "date_of_birth", "arrival_date", "postcode", "summary"):
        assert f'name="{name}"' in page.text, name
    assert '<select id="f-nationality" name="nationality"' in page.text
    assert 'value="SY"' in page.text  # countries by code
    assert 'name="csrf_token"' in page.text


def test_register_a_candidate_keeps_identity_apart(coach_client, coach, session):
    token = csrf_of(coach_client, "/candidates/new")
    response = coach_client.post("/candidates", data=candidate_form(token), follow_redirects=False)
    candidate_id = candidate_id_from(response)

    candidate = fresh_candidate(session, candidate_id)
    identity = fresh_identity(session, candidate_id)
    assert candidate.coaching_service_id == coach.organisation_id and candidate.coach_id == coach.id
    assert re.fullmatch(r"K-[2-9A-HJKMNP-Z]{4}", candidate.ref)
    assert (identity.given_name, identity.family_name, identity.nationality) == ("Rania", "Qudsi", "SY")
    assert (candidate.education_level, candidate.postcode, candidate.municipality) == ("master", "9000", "Gent")
    assert sorted(candidate.accepted_offer_types) == ["paid_traineeship", "work_based_training"]
    assert candidate.sector_preferences == ["Q"] and candidate.days_per_week == 4
    languages = session.exec(select(CandidateLanguage).where(CandidateLanguage.candidate_id == candidate_id)).all()
    assert {(lang.language, lang.level) for lang in languages} == {("nl", "B1"), ("en", "C1")}
    assert not any(hasattr(candidate, name) for name in ("given_name", "family_name", "nationality", "address"))

    page = coach_client.get(response.headers["location"])
    assert page.status_code == 200
    assert "Rania Qudsi" in page.text and candidate.ref in page.text
    assert "Rania Qudsi" in coach_client.get("/candidates").text


def test_register_with_errors_keeps_what_was_typed(coach_client, session):
    token = csrf_of(coach_client, "/candidates/new")
    before = session.exec(select(Candidate)).all()
    response = coach_client.post("/candidates", data=candidate_form(
        token, family_name="", postcode="9999", date_of_birth="17/05/1990", days_per_week="7",
        summary="Kept exactly as typed."))
    assert response.status_code == 422
    assert error_of(response.text, "family_name") == "This field is required."
    assert error_of(response.text, "postcode") == "9999 is not a Belgian postcode we know."
    assert error_of(response.text, "date_of_birth") == "Enter a date as YYYY-MM-DD."
    assert error_of(response.text, "days_per_week") == "Choose 1 to 5 days a week."
    assert input_value(response.text, "given_name") == "Rania"
    assert input_value(response.text, "email") == "rania.qudsi@example.org"
    assert input_value(response.text, "postcode") == "9999"
    assert selected_option(response.text, "nationality") == "SY"
    assert selected_option(response.text, "education_level") == "master"
    assert selected_option(response.text, "language_en") == "C1"
    assert 'value="work_based_training" checked' in response.text
    assert 'value="getting_to_know" checked' not in response.text
    assert "Kept exactly as typed." in response.text
    assert "4 things to fix before you can save." in response.text
    assert len(session.exec(select(Candidate)).all()) == len(before)


def test_register_validates_inline_without_required_noise(coach_client):
    token = csrf_of(coach_client, "/candidates/new")
    response = coach_client.post("/candidates/validate", data=candidate_form(token, family_name="", postcode="9999"),
                                 headers={**HX, "X-CSRF-Token": token})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="error-postcode" hx-swap-oob="true"' in response.text
    assert "9999 is not a Belgian postcode we know." in response.text
    assert "This field is required." not in response.text  # "required" waits for the submit


def test_registration_with_skills_and_experience(coach_client, session):
    skills = labelled_skills(session, 2)
    occupation = session.exec(select(Occupation).order_by(Occupation.uri)).first()
    token = csrf_of(coach_client, "/candidates/new")
    form = candidate_form(token, skill=[s.uri for s in skills], experience_uri=[occupation.uri], experience_years=["6"])
    candidate_id = candidate_id_from(coach_client.post("/candidates", data=form, follow_redirects=False))
    assert {row.skill_uri for row in session.exec(select(CandidateSkill).where(CandidateSkill.candidate_id == candidate_id))} \
        == {s.uri for s in skills}
    experience = session.exec(select(CandidateExperience).where(CandidateExperience.candidate_id == candidate_id)).one()
    assert (experience.occupation_uri, experience.years) == (occupation.uri, 6)


def test_an_unknown_occupation_is_an_error_not_a_crash(coach_client):
    token = csrf_of(coach_client, "/candidates/new")
    response = coach_client.post("/candidates", data=candidate_form(
        token, experience_uri=["http://example.org/nope"], experience_years=["3"]))
    assert response.status_code == 422
    assert error_of(response.text, "experience") == "Pick occupations from the list."


# --- the profile and its preview -----------------------------------------------------------------

def test_profile_page_shows_the_typed_summary_beside_the_scrubbed_preview(coach_client, candidate):
    page = coach_client.get(f"/candidates/{candidate.id}/profile")
    assert page.status_code == 200
    form_part, preview_part = page.text.split('id="profile-preview"', 1)
    assert "Yara Bishara was a lab technician for 7 years." in form_part  # what the coach typed
    assert "was a lab technician for 7 years." in preview_part
    assert "Yara" not in preview_part and "Bishara" not in preview_part
    assert "[…] was a lab technician" in preview_part
    assert candidate.ref in preview_part


def test_preview_follows_what_is_typed_before_saving(coach_client, candidate, session):
    token = csrf_of(coach_client, f"/candidates/{candidate.id}/profile")
    form = candidate_form(token, mode="profile", summary="Call Yara on 0470 99 88 77 or yara.bishara@example.org. "
                                                         "Ten years of quality control.")
    for name in ("given_name", "family_name", "email", "phone", "date_of_birth", "nationality",
                 "country_of_origin", "arrival_date", "address"):
        form.pop(name)
    response = coach_client.post(f"/candidates/{candidate.id}/profile/validate", data=form,
                                 headers={**HX, "X-CSRF-Token": token})
    assert response.status_code == 200
    preview = response.text.split('id="profile-preview"', 1)[1]
    assert 'hx-swap-oob="true"' in response.text
    assert "Ten years of quality control." in preview
    for leaked in ("Yara", "0470 99 88 77", "yara.bishara@example.org"):
        assert leaked not in preview, leaked
    assert fresh_candidate(session, candidate.id).summary == "Yara Bishara was a lab technician for 7 years."  # not saved


def test_save_the_profile(coach_client, candidate, session):
    skills = labelled_skills(session, 2)
    token = csrf_of(coach_client, f"/candidates/{candidate.id}/profile")
    form = candidate_form(token, mode="profile", skill=[s.uri for s in skills], postcode="2000", max_commute_km="40",
                          summary="Lab technician; Yara speaks three languages.", accepted_offer_types=["getting_to_know"])
    response = coach_client.post(f"/candidates/{candidate.id}/profile", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith(f"/candidates/{candidate.id}")

    saved = fresh_candidate(session, candidate.id)
    assert (saved.postcode, saved.municipality, saved.max_commute_km) == ("2000", "Antwerpen", 40)
    assert saved.accepted_offer_types == ["getting_to_know"]
    assert saved.summary == "Lab technician; Yara speaks three languages."
    assert saved.summary_scrubbed == "Lab technician; […] speaks three languages."
    page = coach_client.get(f"/candidates/{candidate.id}")
    assert skills[0].labels["en"] in page.text and "[…] speaks three languages." in page.text


def test_profile_with_errors_keeps_what_was_typed(coach_client, candidate, session):
    skills = labelled_skills(session, 1)
    token = csrf_of(coach_client, f"/candidates/{candidate.id}/profile")
    form = candidate_form(token, mode="profile", skill=[skills[0].uri], max_commute_km="abc", accepted_offer_types=[],
                          summary="Unsaved words")
    response = coach_client.post(f"/candidates/{candidate.id}/profile", data=form)
    assert response.status_code == 422
    assert error_of(response.text, "max_commute_km") == "Enter a whole number."
    assert error_of(response.text, "accepted_offer_types") == "Choose at least one type of traineeship."
    assert input_value(response.text, "max_commute_km") == "abc"
    assert f'<input type="hidden" name="skill" value="{skills[0].uri}">' in response.text
    assert "Unsaved words" in response.text
    assert fresh_candidate(session, candidate.id).max_commute_km == 30


def test_skill_picker_in_candidate_mode_has_no_importance_choice(coach_client, session):
    skill = labelled_skills(session, 1)[0]
    results = coach_client.get("/pickers/skills", params={"skill_q": skill.labels["en"], "row": "plain"}, headers=HX)
    assert "row=plain" in results.text
    row = coach_client.get("/pickers/skills/row", params={"uri": skill.uri, "row": "plain"}, headers=HX)
    assert f'<input type="hidden" name="skill" value="{skill.uri}">' in row.text
    assert "skill_essential" not in row.text


def test_occupation_picker_adds_an_experience_row(coach_client, session):
    occupation = session.exec(select(Occupation).order_by(Occupation.uri)).first()
    results = coach_client.get("/pickers/occupations", params={"occupation_q": occupation.labels["en"],
                                                               "row": "experience"}, headers=HX)
    assert "row=experience" in results.text and 'hx-target="#chosen-experience"' in results.text
    row = coach_client.get("/pickers/occupations/choose", params={"uri": occupation.uri, "row": "experience"}, headers=HX)
    assert f'name="experience_uri" value="{occupation.uri}"' in row.text
    assert 'name="experience_years"' in row.text and "<html" not in row.text


# --- identity ------------------------------------------------------------------------------------

def test_correct_the_identity_and_the_summary_is_scrubbed_again(coach_client, candidate, session):
    token = csrf_of(coach_client, f"/candidates/{candidate.id}/identity")
    form = candidate_form(token, mode="identity", given_name="Yara", family_name="Lteif", email="", phone="",
                          address="", nationality="LB")
    response = coach_client.post(f"/candidates/{candidate.id}/identity", data=form, follow_redirects=False)
    assert response.status_code == 303
    identity = fresh_identity(session, candidate.id)
    assert (identity.family_name, identity.nationality) == ("Lteif", "LB")
    assert "Bishara" not in fresh_candidate(session, candidate.id).summary_scrubbed  # old name stays scrubbed


def test_identity_errors_keep_what_was_typed(coach_client, candidate):
    token = csrf_of(coach_client, f"/candidates/{candidate.id}/identity")
    future = (utcnow().date() + timedelta(days=3)).isoformat()
    response = coach_client.post(f"/candidates/{candidate.id}/identity", data=candidate_form(
        token, mode="identity", given_name="", family_name="Typed", arrival_date=future))
    assert response.status_code == 422
    assert error_of(response.text, "given_name") == "This field is required."
    assert error_of(response.text, "arrival_date") == "The arrival date cannot be in the future."
    assert input_value(response.text, "family_name") == "Typed"


# --- screening -----------------------------------------------------------------------------------

def programme_id(page: str) -> str:
    return re.search(r'<option value="(\d+)"[^>]*>Level@work</option>', page).group(1)


def test_screen_eligible_for_level_at_work(coach_client, candidate, coach, session):
    page = coach_client.get(f"/candidates/{candidate.id}")
    assert "Not screened yet." in page.text
    token = csrf_of(coach_client, f"/candidates/{candidate.id}")
    response = coach_client.post(f"/candidates/{candidate.id}/screenings", headers={**HX, "X-CSRF-Token": token},
                                 data={"programme_id": programme_id(page.text), "path": "career"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="screening"')
    assert "Eligible" in response.text and "Not eligible" not in response.text
    assert "Nationality: Syria (SY) is not an EU member state." in response.text
    assert "Education level: Bachelor, accepted (Bachelor, Master, Doctorate)." in response.text
    assert re.search(r"Arrived in Belgium 1 year and \d+ months? ago \(limit 5 years\)\.", response.text)

    screening = session.exec(select(Screening).where(Screening.candidate_id == candidate.id)).one()
    assert screening.eligible and screening.path == "career" and screening.screened_by == coach.id
    saved = fresh_candidate(session, candidate.id)
    assert (saved.programme, saved.path) == ("level_at_work", "career")
    assert profile_facts(session, [candidate.id])[candidate.id].eligible_programmes == ["level_at_work"]
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "candidate.screen")).first() is not None
    assert "Eligible for Level@work" in coach_client.get(f"/candidates/{candidate.id}").text


def test_screen_not_eligible_says_why(coach_client, coach, session):
    arrived = utcnow().date().replace(day=1) - timedelta(days=6 * 365 + 70)
    created = make_candidate(session, coach, identity=dict(nationality="FR", arrival_date=arrived))
    session.flush()
    page = coach_client.get(f"/candidates/{created.id}")
    token = csrf_of(coach_client, f"/candidates/{created.id}")
    response = coach_client.post(f"/candidates/{created.id}/screenings", headers={**HX, "X-CSRF-Token": token},
                                 data={"programme_id": programme_id(page.text), "path": "learning"})
    assert "Not eligible" in response.text
    assert "Nationality: France (FR) is an EU member state." in response.text
    assert re.search(r"Arrived in Belgium 6 years and \d+ months? ago \(limit 5 years\)\.", response.text)
    assert fresh_candidate(session, created.id).programme == ""
    assert profile_facts(session, [created.id])[created.id].eligible_programmes == []


def test_screen_needs_a_path(coach_client, candidate, session):
    page = coach_client.get(f"/candidates/{candidate.id}")
    token = csrf_of(coach_client, f"/candidates/{candidate.id}")
    response = coach_client.post(f"/candidates/{candidate.id}/screenings", headers={**HX, "X-CSRF-Token": token},
                                 data={"programme_id": programme_id(page.text), "path": "holiday"})
    assert response.status_code == 422
    assert error_of(response.text, "path") == "Choose a path: learning or career."
    assert session.exec(select(Screening).where(Screening.candidate_id == candidate.id)).first() is None


def test_a_missing_fact_fails_the_rule(coach_client, coach, session):
    created = make_candidate(session, coach, identity=dict(arrival_date=None))
    session.flush()
    page = coach_client.get(f"/candidates/{created.id}")
    token = csrf_of(coach_client, f"/candidates/{created.id}")
    response = coach_client.post(f"/candidates/{created.id}/screenings", headers={**HX, "X-CSRF-Token": token},
                                 data={"programme_id": programme_id(page.text), "path": "career"})
    assert "Date of arrival in Belgium: not recorded. Record it and screen again." in response.text
    assert "Not eligible" in response.text


# --- coaching log --------------------------------------------------------------------------------

def test_add_to_the_coaching_log(coach_client, candidate, coach, session):
    token = csrf_of(coach_client, f"/candidates/{candidate.id}")
    day = (utcnow().date() - timedelta(days=2)).isoformat()
    response = coach_client.post(f"/candidates/{candidate.id}/log", headers={**HX, "X-CSRF-Token": token},
                                 data={"happened_on": day, "kind": "intake", "note": "Talked about nursing in Belgium."})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="coaching-log"')
    assert "Intake" in response.text and "Talked about nursing in Belgium." in response.text and day in response.text
    entry = session.exec(select(CoachingLogEntry).where(CoachingLogEntry.candidate_id == candidate.id)).one()
    assert (entry.kind, entry.author_id, entry.happened_on.isoformat()) == ("intake", coach.id, day)


def test_coaching_log_errors_keep_what_was_typed(coach_client, candidate, session):
    token = csrf_of(coach_client, f"/candidates/{candidate.id}")
    future = (utcnow().date() + timedelta(days=2)).isoformat()
    response = coach_client.post(f"/candidates/{candidate.id}/log", headers={**HX, "X-CSRF-Token": token},
                                 data={"happened_on": future, "kind": "group_session", "note": "Typed note"})
    assert response.status_code == 422
    assert error_of(response.text, "happened_on") == "Log sessions that took place: the date cannot be in the future."
    assert "Typed note" in response.text and input_value(response.text, "happened_on") == future
    assert selected_option(response.text, "kind") == "group_session"
    assert session.exec(select(CoachingLogEntry).where(CoachingLogEntry.candidate_id == candidate.id)).first() is None


def test_pages_work_without_htmx(coach_client, candidate):
    """Screening and log forms posted without htmx answer with the whole page."""
    page = coach_client.get(f"/candidates/{candidate.id}")
    token = csrf_of(coach_client, f"/candidates/{candidate.id}")
    response = coach_client.post(f"/candidates/{candidate.id}/screenings",
                                 data={"csrf_token": token, "programme_id": programme_id(page.text), "path": "career"})
    assert response.status_code == 200 and "<html" in response.text and "Coaching log" in response.text
