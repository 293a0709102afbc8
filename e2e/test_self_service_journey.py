"""Self-service and administration in the browser: a candidate reading Opstap in French changes their
availability and sees the employer preview change; an admin edits a Level@work rule and sees how many current
candidates would pass; an employer imports three offers from a CSV file, one row with an error."""

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from domain.accounts import Role
from domain.db import session_scope
from domain.services.accounts import actor_by_id, choose_language
from domain.services.portal import ensure_candidate_account, set_candidate_password
from domain.tables import Candidate, Programme, Skill
from e2e.conftest import _wait_until_indexed, assert_accessible
from seed.builders import DEFAULT_PASSWORD, make_candidate, make_employer, make_user

SHOTS = Path(os.environ.get("OPSTAP_SHOTS", "/tmp/self-service-shots"))


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, email: str, password: str = DEFAULT_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def stamp() -> str:
    return str(time.time_ns())[-8:]


def test_a_french_candidate_changes_availability_and_sees_the_preview_change(page: Page, axe, engine, stamp):
    email = f"candidate{stamp}@journey.example.org"
    with session_scope(engine) as session:
        coach = make_user(session, role=Role.COACH, organisation=f"Atlas {stamp}")
        created = make_candidate(session, coach, days_per_week=5, identity={"email": email})
        user_id = ensure_candidate_account(session, session.get(Candidate, created.id))
        candidate = actor_by_id(session, user_id)
        set_candidate_password(session, candidate, "a-long-password")
        choose_language(session, candidate, "fr")
    log_in(page, email, "a-long-password")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.goto("/me")  # the candidate's home says what to do next; their page holds the details
    expect(page.locator("#matching")).to_contain_text("5 jours par semaine")

    page.get_by_role("navigation").get_by_role("link", name="Mon profil").click()
    preview = page.locator("#profile-preview")
    expect(preview).to_contain_text("5 jours par semaine")
    page.get_by_label("Jours par semaine").fill("3")
    expect(preview).to_contain_text("3 jours par semaine")  # as typed, before saving
    shot(page, "candidate-profile-fr")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_role("status")).to_contain_text("Vos modifications sont enregistrées")
    expect(preview).to_contain_text("3 jours par semaine")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "candidate-profile-fr-390")


def test_an_admin_edits_a_level_at_work_rule_and_sees_the_preview_count(page: Page, axe, engine, stamp):
    with session_scope(engine) as session:
        admin = make_user(session, role=Role.ADMIN, email=f"admin{stamp}@journey.example.be")
        level = session.exec(select(Programme).where(Programme.key == "level_at_work")).one()
        level_id, version = level.id, level.version
    log_in(page, admin.email)
    page.get_by_role("navigation").get_by_role("link", name="Programmes").click()
    page.get_by_role("link", name="Level@work").click()
    expect(page.locator("#rule-preview")).to_contain_text("current candidates")
    rule = page.locator("#rule-2")  # the third rule: arrived in Belgium at most 5 years ago
    expect(rule.get_by_label("Value")).to_have_value("5")
    rule.get_by_label("Value").fill("60")
    expect(page.locator("#rule-preview")).to_contain_text("With the rules as saved")
    preview = page.locator("#rule-preview").inner_text()
    assert "would pass" in preview
    shot(page, "admin-programme-rule")
    assert_accessible(axe, page)
    rule.get_by_role("button", name="Save rule 3").click()
    expect(page.get_by_role("status")).to_contain_text(f"Saved as version {version + 1}.")
    # Put the rule back, so the other journeys screen against the seed rules.
    page.locator("#rule-2").get_by_label("Value").fill("5")
    page.locator("#rule-2").get_by_role("button", name="Save rule 3").click()
    expect(page.get_by_role("status")).to_contain_text(f"Saved as version {version + 2}.")
    with session_scope(engine) as session:
        assert session.get(Programme, level_id).rules[2]["value"] == 5


def test_an_employer_imports_three_offers_one_with_an_error(page: Page, axe, engine, server_settings, stamp,
                                                            tmp_path):
    with session_scope(engine) as session:
        employer = make_employer(session, email=f"employer{stamp}@journey.example.be", organisation=f"Hotel {stamp}")
        nursing = next(s for s in session.exec(select(Skill)).all() if s.labels.get("en") == "nursing science")
    _wait_until_indexed(server_settings, deadline=time.monotonic() + 30)
    csv_file = tmp_path / "offers.csv"
    csv_file.write_text(
        "title;type;duration_value;duration_unit;postcode;days_per_week;hours_per_week;sector;monthly_pay_eur;"
        "languages;essential_skills\n"
        f"Receptionist {stamp};paid_traineeship;12;weeks;9000;4;30;I;1850;nl:B1;{nursing.uri}\n"
        f"Kennismaking {stamp};getting_to_know;5;days;2000;5;38;I;;nl:A2;nursing science\n"
        f"Broken {stamp};paid_traineeship;12;weeks;9999;4;30;I;1850;nl:B1;\n", encoding="utf-8")
    log_in(page, employer.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Offers").click()
    page.get_by_role("link", name="Import offers").click()
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Import").click()
    progress = page.locator("#import-progress")  # htmx polls the next rows until the import is done
    expect(progress).to_contain_text("3 of 3 rows read: 2 saved, 1 to fix.")
    expect(progress).to_contain_text("Import finished.")
    expect(page.get_by_role("table", name="Rows that were not imported, and what to fix")).to_contain_text(
        "9999 is not a Belgian postcode we know.")
    shot(page, "employer-offers-import")
    assert_accessible(axe, page)
    page.get_by_role("link", name="See the new drafts and publish them").click()
    expect(page.get_by_role("link", name=f"Receptionist {stamp}")).to_be_visible()
    expect(page.get_by_role("link", name=f"Kennismaking {stamp}")).to_be_visible()
    expect(page.get_by_text(f"Broken {stamp}")).to_have_count(0)
