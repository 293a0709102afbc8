"""In Dutch: an employer picks the occupation "verpleegkundige", keeps the ESCO skills it proposes, publishes
and sees matches; a coach imports the README's CSV example unchanged."""

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from domain.accounts import Role
from domain.db import session_scope
from domain.offers import EducationLevel
from domain.reference import esco_occupations
from e2e.conftest import _wait_until_indexed
from seed.builders import DEFAULT_PASSWORD, make_candidate, make_employer, make_user

NURSE = "http://data.europa.eu/esco/occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50"
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def world(engine, server_settings, live_server):
    stamp = str(time.time_ns())[-8:]
    nurse = esco_occupations()[NURSE]
    with session_scope(engine) as session:
        employer = make_employer(session, email=f"zorg{stamp}@journey.example.be", organisation=f"WZC {stamp}",
                                 postcode="9000")
        coach = make_user(session, role=Role.COACH, email=f"coach{stamp}@journey.example.be",
                          organisation=f"Traject {stamp}")
        candidate = make_candidate(session, coach, skills=list(nurse.essential[:40]), postcode="9000",
                                   languages=[("nl", "B2")], education_level=EducationLevel.BACHELOR)
    _wait_until_indexed(server_settings, deadline=time.monotonic() + 60)
    return {"employer": employer, "coach": coach, "ref": candidate.ref, "stamp": stamp}


def log_in_dutch(page: Page, base_url: str, email: str) -> None:
    page.context.add_cookies([{"name": "opstap_lang", "value": "nl", "url": base_url}])
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()


def test_employer_chooses_the_occupation_first_and_sees_matches(page: Page, world, base_url):
    log_in_dutch(page, base_url, world["employer"].email)
    page.goto("/offers/new")
    page.get_by_text("Betaalde stage (BIO)", exact=True).click()
    page.get_by_label("Titel").fill(f"Verpleegkundige {world['stamp']}")
    page.get_by_role("textbox", name="Duur", exact=True).fill("12")
    page.get_by_label("Bruto maandbedrag (euro)").fill("1900")
    page.get_by_label("Aantal plaatsen").fill("1")
    page.locator("#f-sector").select_option("Q")

    page.get_by_label("Zoek een beroep").fill("verpleegkundige")
    page.get_by_role("button", name="algemeen verpleegkundige", exact=True).click()
    checklist = page.locator("#occupation-field .occupation-skills")
    expect(checklist).to_be_visible()
    nurse = esco_occupations()[NURSE]
    expect(checklist.locator("input[type=checkbox]:checked")).to_have_count(len(nurse.essential))

    page.get_by_label("Nederlands").select_option("B1")
    page.get_by_label("Postcode van de werkplek").fill("9000")
    page.get_by_role("textbox", name="Dagen per week", exact=True).fill("4")
    page.get_by_label("Uren per week").fill("30")
    page.get_by_role("button", name="Opslaan als ontwerp").click()

    expect(page.get_by_role("heading", name=f"Verpleegkundige {world['stamp']}")).to_be_visible()
    page.get_by_role("button", name="Publiceren").click()
    page.get_by_role("link", name="Geanonimiseerde matches bekijken").click()
    expect(page.get_by_text(world["ref"]).first).to_be_visible(timeout=20_000)


def test_coach_imports_the_readme_example_unchanged(page: Page, world, base_url, tmp_path):
    example = re.search(r"```csv\n(.*?)```", README.read_text(), re.S).group(1)
    path = tmp_path / "caseload.csv"
    path.write_text(example, encoding="utf-8")  # unchanged
    log_in_dutch(page, base_url, world["coach"].email)
    page.goto("/candidates/import")
    page.get_by_label("CSV-bestand", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Importeren").click()
    expect(page.locator("#progress-text")).to_contain_text("3 opgeslagen", timeout=30_000)
    expect(page.locator("#import-nothing-saved")).to_have_count(0)
