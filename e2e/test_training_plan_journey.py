"""Skills the traineeship teaches (issue 13): the employer marks a skill "learned here" on the offer form,
a candidate lacking it then reads "will learn here" on their match card, and the training plan of the
work-based training (IBO) placement opens from the placement page and prints."""

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from domain.accounts import Role
from domain.db import session_scope
from domain.offers import OfferType
from domain.services.outbox import pending_count
from domain.tables import Skill
from e2e.conftest import assert_accessible
from seed.builders import (
    DEFAULT_PASSWORD,
    accept,
    candidate_login,
    make_candidate,
    make_employer,
    make_interest,
    make_offer,
    make_user,
    unique,
)

SHOTS = Path("/tmp/training-plan-shots")


def _indexed(engine) -> None:
    deadline = time.monotonic() + 60
    while True:  # the server's outbox worker indexes the changes
        with session_scope(engine) as session:
            if pending_count(session) == 0:
                return
        assert time.monotonic() < deadline, "the index did not catch up"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def world(engine):
    suffix = unique("")
    with session_scope(engine) as session:
        a, b = session.exec(select(Skill).where(Skill.type == "skill").order_by(Skill.uri).offset(40).limit(2)).all()
        employer = make_employer(session, organisation=f"Bouwbedrijf Schelde {suffix}",
                                 email=f"hr{suffix}@schelde.example")
        offer_id = make_offer(session, employer, publish=True, title=f"IBO metselaar {suffix}", places=3,
                              type=OfferType.WORK_BASED_TRAINING, duration_value=6, monthly_pay_eur=None,
                              followup_contract_months=12, skills=[(a.uri, True), (b.uri, True)])
        coach = make_user(session, role=Role.COACH, email=f"coach{suffix}@traject.example")
        placed = make_candidate(session, coach, skills=[a.uri, b.uri],
                                identity=dict(given_name="Yonas", family_name=f"Tesfay{suffix}"))
        learner = make_candidate(session, coach, skills=[a.uri])
        request = make_interest(session, employer, offer_id, placed.ref)
        placement_id = accept(session, candidate_login(session, placed.id), request.id).placement_id
        labels = (a.labels["en"], b.labels["en"])
    _indexed(engine)
    return dict(employer=employer.email, offer_id=offer_id, learner=learner.ref, placement_id=placement_id,
                a=labels[0], b=labels[1], name=f"Yonas Tesfay{suffix}")


def log_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_learned_here_then_will_learn_here_then_the_printed_training_plan(page: Page, engine, world, axe):
    log_in(page, world["employer"])
    page.goto(f"/offers/{world['offer_id']}/matches")
    card = page.locator("li.match", has=page.get_by_role("heading", name=world["learner"]))
    expect(card.locator(".missing")).to_contain_text(world["b"])  # not taught yet: missing

    # The employer marks B "learned here" on the offer form.
    page.goto(f"/offers/{world['offer_id']}")
    page.get_by_role("link", name="Edit").click()
    row = page.locator("li.skill-row", has_text=world["b"])
    row.get_by_role("checkbox", name=f"learned here {world['b']}").check()
    shot(page, "offer-form-learned-here")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="IBO metselaar")).to_be_visible()
    _indexed(engine)

    page.goto(f"/offers/{world['offer_id']}/matches")
    card = page.locator("li.match", has=page.get_by_role("heading", name=world["learner"]))
    expect(card.locator(".learning-plan")).to_contain_text(world["b"])
    expect(card.locator(".will-learn")).to_contain_text("will learn here")
    expect(card.locator(".missing")).to_have_count(0)
    shot(page, "match-will-learn-here")
    assert_accessible(axe, page)

    # The placement page links to the training plan, which prints.
    page.goto(f"/placements/{world['placement_id']}")
    page.get_by_role("link", name="Training plan (printable)").click()
    expect(page.get_by_role("heading", name="Training plan", exact=True)).to_be_visible()
    expect(page.locator(".taught-skills")).to_contain_text(world["b"])
    expect(page.locator(".candidate-name")).to_have_text(world["name"])
    expect(page.locator("table.plan-weeks tbody tr")).to_have_count(6)
    assert_accessible(axe, page)
    shot(page, "training-plan-screen")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_role("navigation").first).to_be_hidden()
    expect(page.get_by_role("heading", name="Training plan", exact=True)).to_be_visible()
    expect(page.locator("table.plan-weeks")).to_be_visible()
    shot(page, "training-plan-print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
