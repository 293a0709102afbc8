"""From a match to a job: the employer sends an interest request from the anonymised matches, the candidate
accepts with consent through the e-mailed link, the employer then sees the name, nominates a mentor, the
mentor records a check-in through their e-mailed link, and the placement completes as hired.

E-mails are read where an admin reads them in the default set-up: the in-app mailbox.
"""

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from domain.accounts import Role
from domain.db import session_scope
from domain.services.outbox import pending_count
from domain.tables import Skill
from e2e.conftest import assert_accessible
from seed.builders import DEFAULT_PASSWORD, make_candidate, make_employer, make_offer, make_user, unique

SHOTS = Path("/tmp/placement-shots")


@pytest.fixture(scope="module")
def people(engine):
    suffix = unique("")
    with session_scope(engine) as session:
        uri = session.exec(select(Skill.uri).where(Skill.type == "skill").order_by(Skill.uri)).first()
        employer = make_employer(session, organisation=f"WZC Zonnebloem {suffix}", email=f"hr{suffix}@zonnebloem.example")
        offer_id = make_offer(session, employer, publish=True, title=f"Zorgkundige {suffix}", skills=[(uri, True)])
        coach = make_user(session, role=Role.COACH, email=f"coach{suffix}@traject.example")
        candidate = make_candidate(session, coach, skills=[uri], identity=dict(
            given_name="Nour", family_name=f"Al-Hassan{suffix}", email=f"nour{suffix}@example.org", phone="+32 470 55 66 77",
            correspondence_language="en"))  # the coach chose English for her e-mails
        admin = make_user(session, role=Role.ADMIN, email=f"admin{suffix}@opstap.example")
    deadline = time.monotonic() + 60
    while True:  # the server's outbox worker indexes the new candidate and offer
        with session_scope(engine) as session:
            if pending_count(session) == 0:
                break
        assert time.monotonic() < deadline, "the index did not catch up"
        time.sleep(0.2)
    return dict(employer=employer.email, offer_id=offer_id, ref=candidate.ref, admin=admin.email,
                organisation=f"WZC Zonnebloem {suffix}", name=f"Nour Al-Hassan{suffix}", suffix=suffix)


def log_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def mailed_link(browser: Browser, base_url: str, admin: str, subject: str, path: str) -> str:
    """The admin opens the mailbox and reads the link out of the mail with this subject."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    log_in(page, admin)
    page.get_by_role("link", name="Mailbox").click()
    expect(page.get_by_role("heading", name="Outgoing mail")).to_be_visible()
    page.get_by_role("link", name=subject).first.click()
    body = page.locator("pre.mail-body").inner_text()
    shot(page, f"mailbox-{path.strip('/').split('/')[0]}")
    context.close()
    return re.search(rf"https?://\S+{re.escape(path)}\S+", body).group(0)


def test_from_match_to_hire(page: Page, browser: Browser, base_url: str, people, axe):
    # The employer sends an interest request from the anonymised matches of the offer.
    log_in(page, people["employer"])
    page.goto(f"/offers/{people['offer_id']}")
    page.get_by_role("link", name="See anonymised matches").click()
    match = page.locator("li.match", has=page.get_by_role("heading", name=people["ref"]))
    expect(match).to_be_visible()
    assert people["name"] not in page.content()
    match.get_by_text("Send an interest request").click()
    match.get_by_label("Message to the candidate (optional)").fill("Our team on the Zonnebloem ward looks forward to meeting you.")
    assert_accessible(axe, page)
    shot(page, "1-employer-matches-send")
    match.get_by_role("button", name=f"Send interest request {people['ref']}").click()
    expect(match.get_by_role("status")).to_contain_text("Interest request sent")

    # The candidate opens the e-mailed link and accepts with consent.
    login_url = mailed_link(browser, base_url, people["admin"], f"{people['organisation']} would like to meet you",
                            "/login/link/")
    candidate_context = browser.new_context(base_url=base_url)
    candidate = candidate_context.new_page()
    candidate.goto(login_url)
    candidate.get_by_role("button", name="Continue to my page").click()
    expect(candidate.get_by_role("heading", name=f"Zorgkundige {people['suffix']}")).to_be_visible()
    expect(candidate.locator(".plain-offer")).to_contain_text("€ 1800 gross a month")
    expect(candidate.locator("ul.shared")).to_contain_text(people["name"])
    assert_accessible(axe, candidate)
    shot(candidate, "2-candidate-request")
    candidate.get_by_role("button", name="Accept").click()
    expect(candidate.locator("#error-consent")).to_have_text("Tick the box to confirm that you agree to share these details.")
    candidate.get_by_label("I agree to this and accept the offer.").check()
    candidate.get_by_role("button", name="Accept").click()
    expect(candidate.get_by_role("status")).to_contain_text("You accepted on")
    shot(candidate, "3-candidate-accepted")

    # The employer now sees the name — and the candidate can read that they did.
    page.goto(f"/offers/{people['offer_id']}/interest")
    expect(page.locator(".candidate-name")).to_have_text(people["name"])
    assert_accessible(axe, page)
    shot(page, "4-employer-sees-name")
    candidate.goto("/me")
    expect(candidate.locator(".disclosures")).to_contain_text(f"{people['organisation']} saw your name")
    assert_accessible(axe, candidate)
    shot(candidate, "5-candidate-portal-disclosures")

    # The employer nominates the workplace mentor and starts the placement.
    page.get_by_role("link", name=f"Placement {people['ref']}").click()
    expect(page.get_by_role("button", name="Start the placement")).to_be_visible()
    page.get_by_label("Mentor's name").fill("Ilse Maes")
    page.get_by_label("Role in your organisation").fill("Head nurse")
    page.get_by_label("Mentor's e-mail address").fill(f"ilse{people['suffix']}@zonnebloem.example")
    page.get_by_label("Dutch", exact=True).check()
    page.get_by_label("French", exact=True).check()
    page.get_by_label("Completed mentor training").check()
    page.get_by_label("Training completed on").fill("2026-01-20")
    assert_accessible(axe, page)
    shot(page, "6-employer-nominates-mentor")
    page.get_by_role("button", name="Nominate the mentor").click()
    expect(page.locator(".mentor-name")).to_have_text("Ilse Maes")
    page.get_by_role("button", name="Start the placement").click()
    expect(page.locator("#placement .status-bar")).to_contain_text("Under way")

    # The mentor records a check-in through the e-mailed link, without an account.
    # The mentor speaks Dutch and French and has no account: the e-mail is in Dutch, a language they speak.
    mentor_url = mailed_link(browser, base_url, people["admin"],
                             f"U bent de mentor op de werkvloer voor “Zorgkundige {people['suffix']}”", "/mentor/")
    mentor_context = browser.new_context(base_url=base_url)
    mentor = mentor_context.new_page()
    mentor.goto(mentor_url)
    expect(mentor.get_by_text(f"You are the workplace mentor of {people['name']}")).to_be_visible()
    mentor.get_by_label("Going well").check()
    mentor.get_by_label("Note for the coach").fill("Warm with residents; asks good questions.")
    assert_accessible(axe, mentor)
    mentor.get_by_role("button", name="Save check-in").click()
    expect(mentor.get_by_role("status")).to_contain_text("Your check-in is saved")
    shot(mentor, "7-mentor-check-in")

    # The placement completes: hired, open-ended.
    page.reload()
    expect(page.locator(".check-ins")).to_contain_text("Warm with residents")
    page.get_by_role("radio", name="Hired", exact=True).check()
    page.get_by_label("Contract (when hired)").select_option("open_ended")
    page.get_by_role("button", name="Complete").click()
    expect(page.locator("#placement .status-bar")).to_contain_text("Completed")
    expect(page.locator(".outcome")).to_contain_text("Hired · Open-ended employment contract")
    assert_accessible(axe, page)
    shot(page, "8-employer-completed")
    candidate_context.close()
    mentor_context.close()
