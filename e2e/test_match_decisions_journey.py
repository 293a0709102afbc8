"""An employer decides from the match list: filters by "nl B2" and sees fewer matches, compares three
candidates side by side and sends an interest request from there. Screenshots at 1280 and 390 px, nl and fr."""

import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from domain.accounts import Role
from domain.db import session_scope
from domain.offers import EducationLevel, LanguageRequirement
from domain.tables import CandidateSkill, Skill
from e2e.conftest import _wait_until_indexed, assert_accessible
from seed.builders import DEFAULT_PASSWORD, make_candidate, make_employer, make_offer, make_user

SHOTS = Path(os.environ.get("OPSTAP_SHOTS", "/tmp/match-decisions-shots"))
DUTCH = (
    "B1",
    "B2",
    "C1",
    "A2",
)  # four candidates, one of them below the offer's own minimum (B1) is not matched


@pytest.fixture
def decisions_world(engine, server_settings, live_server):
    """A published offer asking for two nursing skills (and Dutch B1), and candidates with differing Dutch levels."""
    stamp = str(time.time_ns())[-8:]
    with session_scope(engine) as session:
        # Two nursing skills no candidate holds yet: the live server is shared (the ESCO journey's nurse holds
        # the occupation's essentials), and other journeys' candidates must not match this offer.
        held = set(session.exec(select(CandidateSkill.skill_uri)).all())
        unheld = sorted(
            (s.labels["en"], s.uri) for s in session.exec(select(Skill)).all()
            if "nursing" in s.labels.get("en", "") and s.uri not in held
        )
        (nursing_label, nursing), (_, care) = unheld[0], unheld[1]
        coach = make_user(
            session,
            role=Role.COACH,
            email=f"coach{stamp}@decisions.example.be",
            organisation=f"Trajectbegeleiding Decisions {stamp}",
        )
        employer = make_employer(
            session,
            email=f"employer{stamp}@decisions.example.be",
            organisation=f"WZC Decisions {stamp}",
            postcode="9000",
        )
        offer = make_offer(
            session,
            employer,
            publish=True,
            title=f"Zorgkundige {stamp}",
            postcode="9000",
            skills=[(nursing, True), (care, True)],
            languages=[LanguageRequirement("nl", "B1")],
            education_min=EducationLevel.BACHELOR,
        )
        refs = [
            make_candidate(
                session, coach, skills=[nursing, care] if i == 0 else [nursing], languages=[("nl", level)]
            ).ref
            for i, level in enumerate(DUTCH)
        ]
    _wait_until_indexed(server_settings, deadline=time.monotonic() + 30)
    return {"employer": employer, "offer": offer, "refs": refs, "covered_label": nursing_label}


def log_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def shots(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_employer_filters_compares_and_sends_interest(page: Page, axe, decisions_world, live_server):
    refs = decisions_world["refs"]
    log_in(page, decisions_world["employer"].email)
    page.goto(f"/offers/{decisions_world['offer']}/matches")
    cards = page.locator("li.match")
    expect(cards).to_have_count(3)  # the A2 candidate is below the offer's own minimum
    expect(page.get_by_text("NL: has C1 · needs B1")).to_be_visible()
    page.get_by_text("How this is calculated").first.click()
    expect(page.locator("table.weights").first).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_label("Language at least").select_option("nl:B2")
    page.get_by_role("button", name="Show matches").click()
    expect(cards).to_have_count(2)
    expect(page).to_have_url(re.compile(r"language=nl%3AB2"))
    expect(page.get_by_role("heading", name=refs[0])).to_have_count(0)  # B1: filtered out
    page.reload()  # the state is in the URL: a shared link shows the same list
    expect(cards).to_have_count(2)
    expect(page.get_by_label("Language at least")).to_have_value("nl:B2")
    shots(page, "filtered-en")

    page.get_by_role("link", name="Clear filters").click()
    expect(cards).to_have_count(3)
    for ref in refs[:3]:
        page.get_by_role("checkbox", name=f"Compare {ref}").check()
    page.get_by_role("button", name="Compare the chosen candidates (2 to 4)").click()
    expect(page.get_by_role("heading", name="Compare candidates")).to_be_visible()
    header = page.locator("table.compare thead")
    for ref in refs[:3]:
        expect(header).to_contain_text(ref)
    expect(page.get_by_role("row", name=re.compile("^" + re.escape(decisions_world["covered_label"])))).to_contain_text("covered")
    assert_accessible(axe, page)
    shots(page, "compare-en")

    page.get_by_text(f"Send an interest request {refs[1]}").click()
    page.locator(f"#msg-{refs[1]}").fill("We would like to meet you.")
    page.get_by_role("button", name=f"Send interest request {refs[1]}").click()
    expect(page.get_by_text("Interest request sent.")).to_be_visible()

    for lang in ("nl", "fr"):
        page.context.add_cookies([{"name": "opstap_lang", "value": lang, "url": live_server}])
        page.goto(f"/offers/{decisions_world['offer']}/matches?language=nl:B1")
        expect(cards).to_have_count(3)
        shots(page, f"matches-{lang}")
        page.goto(
            f"/offers/{decisions_world['offer']}/matches/compare?ref={refs[0]}&ref={refs[1]}&ref={refs[2]}"
        )
        shots(page, f"compare-{lang}")
    page.context.add_cookies([{"name": "opstap_lang", "value": "en", "url": live_server}])
