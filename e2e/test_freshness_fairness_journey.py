"""Issue 17 in the browser: a candidate answers "Still looking?" from the e-mail link in one click; a network member
opens the fairness view, filters the care sector and reads the table."""

import os
import re
import time
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import select

from domain.accounts import Role
from domain.db import session_scope
from domain.links import Links
from domain.services.freshness import refresh_candidates
from domain.services.proposals import pin
from domain.tables import Candidate, OutgoingMail, utcnow
from e2e.conftest import assert_accessible
from e2e.test_self_service_journey import log_in
from seed.builders import make_candidate, make_employer, make_offer, make_user

SHOTS = Path(os.environ.get("OPSTAP_SHOTS", "/tmp/i17-shots"))


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_candidate_answers_still_looking_from_the_email_link(page: Page, axe, engine, server_settings, live_server):
    stamp = str(time.time_ns())[-8:]
    email = f"still{stamp}@journey.example.org"
    with session_scope(engine) as session:  # one transaction: the server's own job never sees this candidate due
        coach = make_user(session, role=Role.COACH, organisation=f"Atlas {stamp}")
        created = make_candidate(session, coach, identity={"email": email})
        candidate = session.get(Candidate, created.id)
        candidate.created_at = utcnow() - timedelta(weeks=7)
        session.add(candidate)
        session.flush()
        assert refresh_candidates(session, Links(server_settings.secret_key, live_server)) >= 1
    with session_scope(engine) as session:
        body = session.exec(select(OutgoingMail.body).where(OutgoingMail.recipient == email)).one()
    yes = re.findall(r"http://127\.0\.0\.1:\d+/still-looking/\S+", body)[0]
    page.context.add_cookies([{"name": "opstap_lang", "value": "nl", "url": live_server}])
    page.goto(yes)
    expect(page.get_by_role("heading", name="Bedankt voor je antwoord")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("je zoekt nog")
    assert_accessible(axe, page)
    shot(page, "still-looking-nl")
    with session_scope(engine) as session:
        assert session.get(Candidate, created.id).still_looking_at is not None


def test_a_network_member_filters_the_care_sector_and_reads_the_fairness_table(page: Page, axe, engine):
    stamp = str(time.time_ns())[-8:]
    with session_scope(engine) as session:
        network = make_user(session, role=Role.NETWORK, organisation=f"Sectornetwerk Zorg {stamp}")
        coach = make_user(session, role=Role.COACH, organisation=f"Trajectbegeleiding {stamp}")
        employer = make_employer(session, sector="Q")
        offer = make_offer(session, employer, publish=True, title="Zorgkundige in opleiding")
        for _ in range(12):  # twelve matched in the care sector, none with a diploma
            created = make_candidate(session, coach, education_level="none")
            pin(session, coach, offer, created.id)
    log_in(page, network.email)
    page.goto("/network/fairness")
    expect(page.get_by_role("heading", name="Fairness monitoring", level=1)).to_be_visible()
    page.get_by_label("Sector").select_option("Q")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"sector=Q"))
    expect(page.get_by_role("table", name="Pass-through rate per step: Education level")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Hired").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"\b(1[2-9]|[2-9]\d|\d{3,}) candidates matched or proposed"))).to_be_visible()
    expect(page.get_by_role("table", name="Pass-through rate per step: Education level")
           .get_by_role("rowheader", name="No diploma")).to_be_visible()
    assert_accessible(axe, page)
    shot(page, "fairness-en")
    page.context.add_cookies([{"name": "opstap_lang", "value": "fr", "url": page.url}])
    page.reload()
    expect(page.get_by_role("heading", name="Suivi de l'égalité des chances", level=1)).to_be_visible()
    shot(page, "fairness-fr")
