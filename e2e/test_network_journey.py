"""A sector network member filters the directory to the care sector in Brussels, opens an employer,
downloads the CSV, and reads the dashboard's charts (screenshots in $OPSTAP_SHOTS, /tmp/network-shots)."""

import csv
import io
import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from domain.db import session_scope
from e2e.conftest import _wait_until_indexed, assert_accessible
from seed.builders import DEFAULT_PASSWORD, make_employer, make_offer
from tests.engagement_data import EXPECTED, IDENTITY_VALUES, build_world

SHOTS = Path(os.environ.get("OPSTAP_NETWORK_SHOTS", "/tmp/network-shots"))


@pytest.fixture
def network_world(engine, server_settings, live_server):
    """The known world of tests/engagement_data.py, plus a care home in Gent, indexed."""
    with session_scope(engine) as session:
        world = build_world(session)
        gent = make_employer(session, organisation="WZC Ter Leie", sector="Q", postcode="9000")
        make_offer(session, gent, publish=True, title="Zorgkundige Gent")
    _wait_until_indexed(server_settings, deadline=time.monotonic() + 30)
    return world


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_network_member_filters_opens_an_employer_and_downloads_the_csv(page: Page, axe, network_world):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(network_world.network.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The home of a network member says what to do next; the directory is one click away.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Employers").click()
    expect(page.get_by_role("heading", name="Directory of engaged employers")).to_be_visible()
    count = page.locator("#directory-count")
    expect(count).to_have_text(re.compile(r"^\d+ employers$"))
    assert_accessible(axe, page)

    page.get_by_role("checkbox", name=re.compile(r"^Q · Human health and social work activities")).check()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Q · Human health"))).to_be_checked()
    results = page.locator("#directory-results tbody tr")
    expect(results.filter(has_text="WZC Ter Leie")).to_have_count(1)
    expect(results.filter(has_text="Bouwbedrijf Beton")).to_have_count(0)
    page.get_by_role("checkbox", name=re.compile(r"^Brussels-Capital Region")).check()
    expect(count).to_have_text("1 employer")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Zorghuis Anemoon")
    expect(page).to_have_url(re.compile(r"sector=Q.*area=brussels"))
    shot(page, "directory-care-brussels")
    assert_accessible(axe, page)

    page.get_by_role("link", name="Zorghuis Anemoon").click()
    expect(page.get_by_role("heading", name="Zorghuis Anemoon", level=1)).to_be_visible()
    evidence = page.locator("#employer-engagement")
    expect(evidence.get_by_role("row", name=re.compile("^Hires"))).to_contain_text(str(EXPECTED["care"]["hires"]))
    expect(evidence.get_by_role("row", name=re.compile("^Work-based trainings"))).to_contain_text("fewer than 5")
    for value in IDENTITY_VALUES:
        expect(page.locator("body")).not_to_contain_text(value)
    shot(page, "employer-page")
    assert_accessible(axe, page)

    # Back in the directory, the filters are still on; the CSV holds what the directory shows.
    page.go_back()
    expect(count).to_have_text("1 employer")
    expect(page.get_by_role("checkbox", name=re.compile(r"^Brussels-Capital Region"))).to_be_checked()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("engaged-employers-")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert [row[0] for row in rows] == ["name", "Zorghuis Anemoon"]
    assert rows[1][9:] == ["12", "6", "5", "<5", "<5", "<5"]  # mentors are people: fewer than 5 stays hidden

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Engagement dashboard")).to_be_visible()
    total = page.get_by_role("img", name="Placement funnel, all sectors")
    expect(total).to_be_visible()
    page.locator("#funnel-total details summary").click()
    expect(page.locator("#funnel-total table")).to_contain_text("All sectors")
    shot(page, "dashboard")
    page.locator("#funnel-sector").screenshot(path=str(SHOTS / "dashboard-sector.png"))
    page.locator("#end-reasons").screenshot(path=str(SHOTS / "dashboard-end-reasons.png"))
    assert_accessible(axe, page)
