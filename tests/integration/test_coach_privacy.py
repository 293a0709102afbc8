"""The coach workspace against a real Meilisearch: shortlists from real matches, and privacy — no identity
value reaches an index, an employer's page or the log, whatever the coach does with the candidate."""

import json
import logging
import re

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from domain.accounts import Role
from domain.coaching import LogEntryInput, LogKind
from domain.services.coaching import add_log_entry
from domain.services.offers import offer_facts
from domain.services.proposals import pin, send_proposal, shortlist_to_send
from domain.services.screening import programmes, screen_candidate
from domain.tables import Candidate, Skill, utcnow
from search.matching import explain_candidates, match_candidates
from search.sync import drain
from seed.builders import make_candidate, make_employer, make_offer, make_user
from tests.conftest import csrf_of, log_in
from web.app import create_app

# Values that cannot occur by chance in any other field, index document or page.
UNUSUAL = dict(given_name="Zyxquorra", family_name="Vlumptonikh", email="zyx.vlump@nowhere-qq.be",
               phone="+32 499 87 65 43", nationality="KP", country_of_origin="TV",
               address="Qwertyplein 77, 9000 Gent")
LEAKS = ("Zyxquorra", "Vlumptonikh", "zyx.vlump", "nowhere-qq", "499 87 65 43", "87 65 43", "Qwertyplein",
         '"KP"', '"TV"', "1991-04-02", "North Korea", "Tuvalu")
SUMMARY = ("Zyxquorra Vlumptonikh was a head nurse for 8 years. Call +32 499 87 65 43 or write to "
           "zyx.vlump@nowhere-qq.be; lives at Qwertyplein 77.")


@pytest.fixture
def skills(session):
    uris = session.exec(select(Skill.uri).order_by(Skill.uri).limit(6)).all()
    assert len(uris) == 6
    return uris


@pytest.fixture
def world(session, skills):
    coach = make_user(session, role=Role.COACH, organisation="Coaching Privacy")
    employer = make_employer(session, organisation="Employer Privacy", postcode="9000")
    offer = make_offer(session, employer, publish=True, skills=[(skills[0], True), (skills[1], True), (skills[2], False)])
    session.flush()
    return {"coach": coach, "employer": employer, "offer": offer}


def level_at_work(session) -> int:
    return next(p.id for p in programmes(session) if p.key == "level_at_work")


def documents(search) -> str:
    return json.dumps([dict(d) for index in ("skills", "offers", "candidates", "employers")
                       for d in search.writer.index(search.index_name(index)).get_documents({"limit": 1000}).results],
                      default=str)


def test_shortlist_explanations_are_the_match_explanations(session, connection, search, world, skills):
    coach = world["coach"]
    full = make_candidate(session, coach, skills=skills[:3])
    partial = make_candidate(session, coach, skills=skills[:1])
    session.flush()
    drain(connection, search)

    matches = match_candidates(search, offer_facts(session, [world["offer"]])[world["offer"]],
                               coaching_service_id=coach.organisation_id)
    assert [m.ref for m in matches] == [full.ref, partial.ref]
    for match in reversed(matches):  # the coach puts the weaker candidate first
        pin(session, coach, world["offer"], match.candidate_id)
    offer, facts = shortlist_to_send(session, coach, world["offer"])
    assert [f.ref for f in facts] == [partial.ref, full.ref]
    explained = explain_candidates(search, offer, facts)
    assert {i: e for i, e in explained.items()} == {m.candidate_id: m.explanation for m in matches}


def test_no_identity_value_reaches_any_index_after_screening_logging_and_proposing(session, connection, search,
                                                                                   world, skills):
    coach = world["coach"]
    created = make_candidate(session, coach, identity=UNUSUAL, skills=skills[:2], summary=SUMMARY)
    screening = screen_candidate(session, coach, created.id, level_at_work(session), "career")
    assert screening.eligible
    add_log_entry(session, coach, created.id, LogEntryInput(utcnow().date(), LogKind.INTAKE,
                                                            "Zyxquorra Vlumptonikh, Qwertyplein 77, call +32 499 87 65 43"))
    pin(session, coach, world["offer"], created.id)
    offer, facts = shortlist_to_send(session, coach, world["offer"])
    send_proposal(session, coach, world["offer"], "Zyxquorra is great", explain_candidates(search, offer, facts))
    session.flush()
    drain(connection, search)

    every_document = documents(search)
    assert created.ref in every_document
    for value in LEAKS:
        assert value not in every_document, value
    candidate_document = next(d for d in search.writer.index(search.index_name("candidates"))
                              .get_documents({"limit": 1000}).results if d.id == created.id)
    assert candidate_document.eligible_programmes == ["level_at_work"]  # the outcome, never the data behind it
    assert (candidate_document.programme, candidate_document.path) == ("level_at_work", "career")
    assert "head nurse for 8 years" in candidate_document.summary


@pytest.fixture
def live_client(settings, connection, search, meili):
    """An app on this test's own (empty, real) indexes, so matches come from what the test indexed."""
    app = create_app(settings, db=connection, search=search)
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        yield client


def test_employer_pages_never_show_identity(live_client, session, connection, search, world, skills):
    coach = world["coach"]
    created = make_candidate(session, coach, identity=UNUSUAL, skills=skills[:3], summary=SUMMARY)
    screen_candidate(session, coach, created.id, level_at_work(session), "career")
    session.flush()
    drain(connection, search)

    log_in(live_client, coach.email)
    token = csrf_of(live_client, "/candidates")
    hx = {"HX-Request": "true", "X-CSRF-Token": token}
    matches = live_client.get(f"/offers/{world['offer']}/matches")
    assert created.ref in matches.text and "Pin to shortlist" in matches.text
    live_client.post(f"/offers/{world['offer']}/shortlist/{created.id}/pin", headers=hx)
    sent = live_client.post(f"/offers/{world['offer']}/proposals", headers=hx,
                            data={"note": "Zyxquorra Vlumptonikh (zyx.vlump@nowhere-qq.be, +32 499 87 65 43) "
                                          "lives at Qwertyplein 77 and is ready."})
    assert "Proposal sent to the employer." in sent.text
    live_client.post("/logout", data={"csrf_token": token})

    log_in(live_client, world["employer"].email)
    pages = {path: live_client.get(path) for path in (f"/offers/{world['offer']}", f"/offers/{world['offer']}/matches",
                                                      "/offers", "/")}
    offer_page = pages[f"/offers/{world['offer']}"].text
    assert created.ref in offer_page and "Eligible for Level@work" in offer_page and "and is ready." in offer_page
    assert created.ref in pages[f"/offers/{world['offer']}/matches"].text
    for path, page in pages.items():
        assert page.status_code == 200, path
        for value in LEAKS:
            assert value not in page.text, (path, value)


def test_no_identity_value_reaches_the_log(live_client, session, connection, search, world, skills, caplog):
    """Registration, screening, log entry, shortlist and proposal, and the employer's view, at DEBUG."""
    caplog.set_level(logging.DEBUG)
    coach = world["coach"]
    log_in(live_client, coach.email)
    token = csrf_of(live_client, "/candidates/new")
    hx = {"HX-Request": "true", "X-CSRF-Token": token}
    form = {"csrf_token": token, "mode": "register", **UNUSUAL, "date_of_birth": "1991-04-02",
            "arrival_date": "2024-01-15", "education_level": "master", "language_nl": "B2", "postcode": "9000",
            "max_commute_km": "30", "days_per_week": "5", "accepted_offer_types": ["paid_traineeship"],
            "skill": skills[:3], "summary": SUMMARY}
    response = live_client.post("/candidates", data=form, follow_redirects=False)
    assert response.status_code == 303
    candidate_id = int(re.search(r"/candidates/(\d+)$", response.headers["location"]).group(1))
    page = live_client.get(f"/candidates/{candidate_id}")
    programme = re.search(r'<option value="(\d+)"[^>]*>Level@work</option>', page.text).group(1)
    assert "Eligible" in live_client.post(f"/candidates/{candidate_id}/screenings", headers=hx,
                                          data={"programme_id": programme, "path": "career"}).text
    live_client.post(f"/candidates/{candidate_id}/log", headers=hx, data={
        "happened_on": utcnow().date().isoformat(), "kind": "intake", "note": "Met Zyxquorra at Qwertyplein 77."})
    live_client.post("/candidates/validate", headers=hx, data=form)
    session.flush()
    drain(connection, search)
    live_client.post(f"/offers/{world['offer']}/shortlist/{candidate_id}/pin", headers=hx)
    sent = live_client.post(f"/offers/{world['offer']}/proposals", headers=hx, data={"note": "Zyxquorra is ready."})
    assert "Proposal sent" in sent.text
    live_client.get("/candidates/export.csv")
    live_client.post("/logout", data={"csrf_token": token})
    log_in(live_client, world["employer"].email)
    assert live_client.get(f"/offers/{world['offer']}").status_code == 200
    assert session.exec(select(Candidate).where(Candidate.id == candidate_id)).one()

    logged = "\n".join(f"{r.name} {r.levelname} {r.getMessage()} {r.args!r}" for r in caplog.records)
    ref = session.get(Candidate, candidate_id).ref
    assert f"candidate {ref} registered" in logged and f"candidate {ref} screened" in logged  # our own logs ran
    assert re.search(rf"proposal \d+ sent for offer {world['offer']} by user \d+: {ref}", logged)
    for value in LEAKS + ("Zyxquorra", "Qwertyplein"):
        assert value not in logged, value
        assert value not in caplog.text, value


def test_richer_match_cards_compare_and_api_never_show_identity(live_client, session, connection, search, world,
                                                                 skills):
    """The privacy probe over the facts on every card, the filtered list, the compare page and the API."""
    from domain.candidates import Experience
    from domain.services.api_tokens import create_token

    coach = world["coach"]
    created = make_candidate(session, coach, identity=UNUSUAL, skills=skills[:3], summary=SUMMARY,
                             languages=[("nl", "B2")], experience=[Experience(
                                 "http://data.europa.eu/esco/occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50", 8)])
    other = make_candidate(session, coach, skills=skills[:1], languages=[("nl", "C1")])
    screen_candidate(session, coach, created.id, level_at_work(session), "career")
    token = create_token(session, world["employer"], "probe")
    session.flush()
    drain(connection, search)

    log_in(live_client, world["employer"].email)
    offer = world["offer"]
    pages = {path: live_client.get(path) for path in (
        f"/offers/{offer}/matches", f"/offers/{offer}/matches?language=nl:B2&sort=availability&eligible_for=level_at_work",
        f"/offers/{offer}/matches/compare?ref={created.ref}&ref={other.ref}")}
    api = live_client.get(f"/api/v1/offers/{offer}/matches?language=nl:B1", headers={"Authorization": f"Bearer {token}"})
    pages["api"] = api
    compare = pages[f"/offers/{offer}/matches/compare?ref={created.ref}&ref={other.ref}"].text
    assert created.ref in compare and other.ref in compare and "8 years" in compare and "Eligible for Level@work" in compare
    assert "NL: has B2 · needs B1" in pages[f"/offers/{offer}/matches"].text
    assert api.json()["results"][0]["facts"]["eligible_for"] == ["level_at_work"]
    for path, page in pages.items():
        assert page.status_code == 200, path
        assert created.ref in page.text, path
        for value in LEAKS + ("head nurse", "Amal", "Haddad", "1991"):
            assert value not in page.text, (path, value)
