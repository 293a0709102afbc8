"""A job coach registers a candidate, screens them eligible for Level@work, builds the anonymised profile
with the skill picker, opens an offer's matches, shortlists the candidate and sends the proposal; the
employer then sees the proposal, anonymised."""

import os
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from domain.accounts import Role
from domain.db import session_scope
from domain.offers import EducationLevel, LanguageRequirement
from domain.tables import Skill, utcnow
from e2e.conftest import _wait_until_indexed, assert_accessible
from seed.builders import DEFAULT_PASSWORD, make_employer, make_offer, make_user

SHOTS = Path(os.environ.get("OPSTAP_SHOTS", "/tmp/coach-shots"))


@pytest.fixture
def coach_world(engine, server_settings, live_server):
    """A coach and an employer with a published offer that asks for nursing science, indexed."""
    stamp = str(time.time_ns())[-8:]
    with session_scope(engine) as session:
        nursing = next(s for s in session.exec(select(Skill)).all() if s.labels.get("en") == "nursing science")
        coach = make_user(session, role=Role.COACH, email=f"coach{stamp}@journey.example.be",
                          organisation=f"Trajectbegeleiding Journey {stamp}", name="Hanne Coach")
        employer = make_employer(session, email=f"employer{stamp}@journey.example.be",
                                 organisation=f"WZC Journey {stamp}", postcode="9000")
        offer = make_offer(session, employer, publish=True, title=f"Verpleegkundige {stamp}", postcode="9000",
                           skills=[(nursing.uri, True)], languages=[LanguageRequirement("nl", "B1")],
                           education_min=EducationLevel.BACHELOR)
    _wait_until_indexed(server_settings, deadline=time.monotonic() + 30)
    return {"coach": coach, "employer": employer, "offer": offer, "title": f"Verpleegkundige {stamp}"}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_coach_registers_screens_profiles_shortlists_and_proposes(page: Page, axe, coach_world, server_settings):
    log_in(page, coach_world["coach"].email)

    # Register: identity apart from the profile.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Register a candidate").click()
    expect(page.get_by_role("heading", name="Register a candidate")).to_be_visible()
    page.get_by_label("Given name").fill("Rania")
    page.get_by_label("Family name").fill("Qudsi")
    page.get_by_label("E-mail address").fill("rania.qudsi@example.org")
    page.get_by_label("Date of birth").fill("1990-05-17")
    page.get_by_label("Date of arrival in Belgium").fill((utcnow().date() - timedelta(days=400)).isoformat())
    page.get_by_label("Nationality").select_option("SY")
    page.get_by_label("Education level").select_option("bachelor")
    page.get_by_label("Field of study").fill("Nursing")
    page.get_by_label("Dutch").select_option("B2")
    page.get_by_label("Postcode").fill("9000")
    expect(page.locator("#postcode-place")).to_have_text("Gent")
    page.get_by_label("Postcode").fill("99")  # an inline error while typing…
    expect(page.locator("#error-postcode")).to_have_text("99 is not a Belgian postcode we know.")
    page.get_by_label("Postcode").fill("9000")  # …and gone when fixed
    expect(page.locator("#error-postcode")).to_be_empty()
    assert_accessible(axe, page)
    shot(page, "01-register")
    page.get_by_role("button", name="Register candidate").click()

    # Screen for Level@work.
    expect(page.get_by_role("heading", name=re.compile(r"Rania Qudsi K-"))).to_be_visible()
    ref = page.locator("h1 .ref").inner_text()
    expect(page.locator("#screening")).to_contain_text("Not screened yet.")
    page.get_by_label("Career path").check()
    page.get_by_role("button", name="Screen eligibility").click()
    screening = page.locator("#screening")
    expect(screening).to_contain_text("Eligible")
    expect(screening).to_contain_text("Nationality: Syria (SY) is not an EU member state.")
    expect(screening).to_contain_text(re.compile(r"Arrived in Belgium 1 year and \d+ months? ago \(limit 5 years\)"))
    assert_accessible(axe, page)

    # Log the intake.
    page.get_by_label("Kind").select_option("intake")
    page.get_by_label("Note").fill("Intake: wants to work in elderly care.")
    page.get_by_role("button", name="Add to the log").click()
    expect(page.locator("#coaching-log")).to_contain_text("Intake: wants to work in elderly care.")
    shot(page, "02-candidate-screened")

    # Build the profile with the multilingual skill picker; the preview shows what employers will see.
    page.get_by_role("link", name="Edit profile").first.click()
    expect(page.get_by_role("heading", name=re.compile("Anonymised profile"))).to_be_visible()
    page.get_by_label("Add skills").fill("nursing scince")  # a typo: the picker forgives it
    page.get_by_role("button", name="+ nursing science").click()
    expect(page.locator("#chosen-skills li")).to_have_count(1)
    preview = page.locator("#profile-preview")
    expect(preview).to_contain_text("nursing science")
    expect(preview).to_contain_text("Eligible for Level@work")
    page.get_by_label(re.compile("In a few sentences")).fill(
        "Rania Qudsi was a head nurse for 6 years; reach her at rania.qudsi@example.org.")
    expect(preview).to_contain_text("[…] was a head nurse for 6 years; reach her at […].")
    expect(preview).not_to_contain_text("Rania")
    assert_accessible(axe, page)
    shot(page, "03-profile-preview")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name=re.compile(r"Rania Qudsi K-"))).to_be_visible()
    _wait_until_indexed(server_settings, deadline=time.monotonic() + 30)

    # The offer's matches: pin, then send the shortlist as a proposal.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()  # recent offers are there
    page.get_by_role("link", name=coach_world["title"]).click()
    page.get_by_role("link", name="See anonymised matches").click()
    match = page.locator("li.match", has_text=ref)
    expect(match).to_contain_text("Essential skills: 1 of 1")
    assert_accessible(axe, page)
    match.get_by_role("button", name=re.compile("Pin to shortlist")).click()
    shortlist = page.locator("#shortlist")
    expect(shortlist.locator(".shortlist-lines li")).to_have_count(1)
    expect(shortlist).to_contain_text(ref)
    page.get_by_label("Note for the employer (optional)").fill("Rania can start next month.")
    shot(page, "04-matches-shortlist")
    page.get_by_role("button", name="Send to the employer").click()
    expect(shortlist).to_contain_text("Proposal sent to the employer.")
    assert_accessible(axe, page)

    page.goto("/candidates")
    page.get_by_role("link", name="Rania Qudsi").click()
    expect(page.locator("#proposals")).to_contain_text(coach_world["title"])
    expect(page.locator("#proposals")).to_contain_text("Proposed")

    # The employer sees the proposal: the reference and why they fit, never who they are.
    page.get_by_role("button", name="Log out").click()
    log_in(page, coach_world["employer"].email)
    page.goto(f"/offers/{coach_world['offer']}")
    proposals = page.locator("#proposals")
    expect(proposals).to_contain_text(ref)
    expect(proposals).to_contain_text("Eligible for Level@work")
    expect(proposals).to_contain_text("[…] can start next month.")
    expect(page.locator("body")).not_to_contain_text("Rania")
    expect(page.locator("body")).not_to_contain_text("Qudsi")
    assert_accessible(axe, page)
    shot(page, "05-employer-proposal")
