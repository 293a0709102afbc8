"""Skills the traineeship teaches (issue 13): "learned here" on the offer form and the API, "will learn here"
and the learning plan on every match card, the offer's own facts on the candidate's lists, and the printable
training plan of a work-based training (IBO) placement: who may open it, and what the employer sees."""

import re

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from domain.accounts import Role
from domain.offers import OfferType
from domain.services.api_tokens import create_token
from domain.services.portal import set_candidate_password
from domain.tables import AuditEntry, OfferSkill, Skill
from search.sync import drain
from seed.builders import (
    accept,
    candidate_login,
    make_candidate,
    make_employer,
    make_interest,
    make_offer,
    make_user,
)
from tests.conftest import csrf_of, log_in
from tests.web.support import offer_form, offer_id_from
from web.app import create_app

PASSWORD = "a-long-password"


def skills(session, n=3) -> list[Skill]:
    return session.exec(select(Skill).order_by(Skill.uri).limit(n)).all()


def test_the_offer_form_keeps_learned_here_per_skill(employer_client, session):
    first, second = skills(session, 2)
    token = csrf_of(employer_client, "/offers/new")
    form = employer_client.get("/offers/new")
    assert form.status_code == 200
    response = employer_client.post("/offers", data=offer_form(
        token, skill=[first.uri, second.uri], skill_essential=["1", "1"], skill_taught=[second.uri]),
        follow_redirects=False)
    offer_id = offer_id_from(response)
    rows = session.exec(select(OfferSkill).where(OfferSkill.offer_id == offer_id).order_by(OfferSkill.position)).all()
    assert [(r.skill_uri, r.essential, r.taught) for r in rows] == [(first.uri, True, False), (second.uri, True, True)]

    edit = employer_client.get(f"/offers/{offer_id}/edit").text
    boxes = dict(re.findall(r'name="skill_taught" value="([^"]+)" ?(checked)?', edit))
    assert boxes == {first.uri: "", second.uri: "checked"}

    # Unticking it on the edit form saves it as not taught.
    employer_client.post(f"/offers/{offer_id}/edit", data=offer_form(
        csrf_of(employer_client, f"/offers/{offer_id}/edit"), skill=[first.uri, second.uri], skill_essential=["1", "1"]))
    rows = session.exec(select(OfferSkill).where(OfferSkill.offer_id == offer_id)
                        .execution_options(populate_existing=True)).all()
    assert not any(r.taught for r in rows)


@pytest.fixture
def taught_world(session, connection, search):
    """A published offer with essential skills A (not taught) and B (taught); a candidate holding only A."""
    a, b, c = skills(session)
    employer = make_employer(session, organisation="Atelier Leerwerk")
    offer_id = make_offer(session, employer, publish=True, title="Leerwerkplek lasser", postcode="9000",
                          skills=[(a.uri, True, False), (b.uri, True, True), (c.uri, False, False)])
    coach = make_user(session, role=Role.COACH)
    created = make_candidate(session, coach, skills=[a.uri], postcode="9000", max_commute_km=20,
                             identity={"email": "learner@example.org"})
    set_candidate_password(session, candidate_login(session, created.id), PASSWORD)
    session.flush()
    drain(connection, search)
    return dict(a=a, b=b, c=c, employer=employer, coach=coach, offer_id=offer_id, candidate=created)


def card_of(page: str, ref: str) -> str:
    """The match card of ``ref`` on a match list."""
    start = page.index(ref)
    return page[start:page.find('<li class="match', start) if '<li class="match' in page[start:] else len(page)]


def test_a_missing_taught_skill_is_will_learn_here_on_every_card(settings, connection, search, taught_world):
    w = taught_world
    a_label, b_label, c_label = (w[k].labels["en"] for k in "abc")
    app = create_app(settings, db=connection, search=search)
    for email in (w["employer"].email, w["coach"].email):
        with TestClient(app) as client:
            log_in(client, email)
            page = client.get(f"/offers/{w['offer_id']}/matches").text
            card = card_of(page, w["candidate"].ref)
            assert "Learning plan" in card and "will learn here" in card and b_label in card
            missing = re.search(r'<li class="missing">Missing:([^<]*)</li>', card)
            assert missing is None or b_label not in missing.group(1)  # never "missing"
            assert "Essential skills: 1 of 1" in card
            # Optional C is not taught: it stays "not covered" and is not on the learning plan.
            start = card.index("Learning plan")
            plan = card[start:card.index("</div>", start)]
            assert c_label not in plan and a_label not in plan

    with TestClient(app) as client:  # the candidate's own list: "you will learn here", and the offer's facts
        log_in(client, "learner@example.org", PASSWORD)
        page = client.get("/me").text
        assert "Leerwerkplek lasser" in page and "you will learn here" in page and b_label in page
        assert "€ 1800 gross a month" in page and "4 days a week, 30 hours a week" in page
        assert "12 weeks" in page and "NL at least B1" in page and "Learned here" in page

    with TestClient(app) as client:  # the coach's offers for this candidate show the same offer facts
        log_in(client, w["coach"].email)
        page = client.get(f"/candidates/{w['candidate'].id}/offers").text
        assert "Leerwerkplek lasser" in page and "€ 1800 gross a month" in page and "Learned here" in page
        assert "will learn here" in page


def test_taught_lowers_the_cost_of_a_missing_skill(settings, connection, search, session, taught_world):
    """The same candidate scores higher on the offer that teaches B than on one that does not."""
    w = taught_world
    untaught = make_offer(session, w["employer"], publish=True, title="Zonder opleiding", postcode="9000",
                          skills=[(w["a"].uri, True), (w["b"].uri, True), (w["c"].uri, False)])
    session.flush()
    drain(connection, search)
    with TestClient(create_app(settings, db=connection, search=search)) as client:
        log_in(client, w["employer"].email)
        taught_fit = re.search(r"Skill fit (\d+)%", client.get(f"/offers/{w['offer_id']}/matches").text).group(1)
        plain_fit = re.search(r"Skill fit (\d+)%", client.get(f"/offers/{untaught}/matches").text).group(1)
    assert int(taught_fit) > int(plain_fit)


def test_the_api_takes_and_returns_taught_and_gives_the_learning_plan(settings, connection, search, session,
                                                                     taught_world):
    w = taught_world
    token = create_token(session, w["employer"], "test")
    session.flush()
    with TestClient(create_app(settings, db=connection, search=search)) as client:
        def api(method, path, **kwargs):
            return client.request(method, f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, **kwargs)

        body = {"title": "Trainee welder", "type": "paid_traineeship", "duration": {"value": 8, "unit": "weeks"},
                "skills": [{"uri": w["a"].uri, "essential": True},
                           {"uri": w["b"].uri, "essential": False, "taught": True}],
                "languages": [], "education_min": "none", "postcode": "9000", "places": 1, "sector": "C",
                "monthly_pay_eur": 1700, "days_per_week": 4, "hours_per_week": 30}
        created = api("POST", "/offers", json=body)
        assert created.status_code == 201, created.text
        offer = api("GET", f"/offers/{created.json()['id']}").json()
        assert [(s["uri"], s["essential"], s["taught"]) for s in offer["skills"]] == [
            (w["a"].uri, True, False), (w["b"].uri, False, True)]
        bad = api("POST", "/offers", json={**body, "skills": [{"uri": w["a"].uri, "taught": "yes"}]})
        assert bad.status_code == 422 and "skills" in bad.json()["error"]["fields"]

        matches = api("GET", f"/offers/{w['offer_id']}/matches").json()["results"]
        [mine] = [m for m in matches if m["candidate_ref"] == w["candidate"].ref]
        assert mine["learning_plan"] == [w["b"].uri] == mine["explanation"]["learning_plan"]
        assert w["b"].uri not in mine["explanation"]["essential_missing"]
        spec = api("GET", "/openapi.json").json()
        skill_item = spec["components"]["schemas"]["OfferInput"]["properties"]["skills"]["items"]["properties"]
        assert skill_item["taught"]["type"] == "boolean"
        assert "learning_plan" in spec["components"]["schemas"]["CandidateMatches"]["properties"]["results"][
            "items"]["properties"]


# --- the training plan of an IBO placement ---------------------------------------------------------------

IDENTITY = dict(given_name="Yonas", family_name="Tesfay", email="yonas.tesfay@example.org", phone="+32470554433",
                nationality="ER", address="Dampoortstraat 7, 9000 Gent")


@pytest.fixture
def ibo(session):
    a, b, _ = skills(session)
    employer = make_employer(session, organisation="Bouwbedrijf Schelde")
    offer_id = make_offer(session, employer, publish=True, title="IBO metselaar", type=OfferType.WORK_BASED_TRAINING,
                          duration_value=6, monthly_pay_eur=None, followup_contract_months=12,
                          skills=[(a.uri, True, False), (b.uri, True, True)])
    coach = make_user(session, role=Role.COACH)
    created = make_candidate(session, coach, identity=IDENTITY)
    request = make_interest(session, employer, offer_id, created.ref)
    candidate = candidate_login(session, created.id)
    set_candidate_password(session, candidate, PASSWORD)
    done = accept(session, candidate, request.id)
    session.flush()
    return dict(employer=employer, coach=coach, placement_id=done.placement_id, a=a, b=b, ref=created.ref)


def test_the_training_plan_opens_for_its_employer_coach_and_candidate_only(client, browser, session, ibo):
    path = f"/placements/{ibo['placement_id']}/training-plan"
    log_in(client, ibo["employer"].email)
    placement = client.get(f"/placements/{ibo['placement_id']}").text
    assert f'{path}">Training plan (printable)' in placement
    plan = client.get(path)
    assert plan.status_code == 200
    text = plan.text
    assert "Training plan" in text and "IBO metselaar" in text and ibo["b"].labels["en"] in text
    assert ibo["a"].labels["en"] not in text  # only what is taught is on the plan
    assert "Week" in text and len(re.findall(r"<tr><td>\d+</td>", text)) == 6
    assert "Yonas Tesfay" in text  # the candidate accepted: the name is shared, as on the placement page
    # The privacy probe: nothing beyond the consented name and the reference reaches the plan.
    for value in ("yonas.tesfay@example.org", "+32470554433", "Dampoortstraat", "Eritrea", ">ER<"):
        assert value not in text, value
    disclosures = session.exec(select(AuditEntry).where(AuditEntry.action == "identity.disclosed")).all()
    assert any(d.detail["via"] == "training_plan" for d in disclosures)  # the candidate reads who saw their name

    coach = browser()
    log_in(coach, ibo["coach"].email)
    assert coach.get(path).status_code == 200
    candidate = browser()
    log_in(candidate, IDENTITY["email"], PASSWORD)
    mine = candidate.get(path)
    assert mine.status_code == 200 and "Yonas Tesfay" in mine.text

    for outsider in (make_employer(session), make_user(session, role=Role.COACH)):
        session.flush()
        other = browser()
        log_in(other, outsider.email)
        assert other.get(path).status_code == 404
    other_candidate = make_candidate(session, make_user(session, role=Role.COACH), identity={"email": "x.other@example.org"})
    set_candidate_password(session, candidate_login(session, other_candidate.id), PASSWORD)
    session.flush()
    stranger = browser()
    log_in(stranger, "x.other@example.org", PASSWORD)
    assert stranger.get(path).status_code == 404
    assert browser().get(path, follow_redirects=False).status_code in (302, 303)  # not logged in: to the login


def test_the_employer_sees_no_name_without_consent_to_share_it(client, session, ibo):
    from domain.tables import Consent
    consent = session.exec(select(Consent).where(Consent.organisation_id == ibo["employer"].organisation_id)).one()
    consent.disclosed_fields = ["email"]  # consented fields without the name
    session.add(consent)
    session.flush()
    log_in(client, ibo["employer"].email)
    text = client.get(f"/placements/{ibo['placement_id']}/training-plan").text
    assert "Yonas" not in text and "Tesfay" not in text and ibo["ref"] in text


def test_a_placement_that_is_no_work_based_training_has_no_training_plan(client, session):
    employer = make_employer(session)
    offer_id = make_offer(session, employer, publish=True)
    created = make_candidate(session, make_user(session, role=Role.COACH))
    request = make_interest(session, employer, offer_id, created.ref)
    done = accept(session, candidate_login(session, created.id), request.id)
    session.flush()
    log_in(client, employer.email)
    assert client.get(f"/placements/{done.placement_id}/training-plan").status_code == 404
    assert "training-plan" not in client.get(f"/placements/{done.placement_id}").text


def test_the_offer_csv_carries_learned_here_both_ways(employer_client, employer, session):
    import csv
    import io

    from domain.tables import Offer

    a, b = skills(session, 2)
    header = "title;type;duration_value;duration_unit;postcode;days_per_week;hours_per_week;sector;monthly_pay_eur;" \
             "essential_skills;optional_skills;taught_skills\n"
    text = header + (f"Lasser;paid_traineeship;12;weeks;9000;4;30;C;1850;{a.uri};{b.uri};{b.uri}\n"
                     f"Schrijnwerker;paid_traineeship;12;weeks;9000;4;30;C;1850;{a.uri};;{b.uri}\n")
    from tests.web.test_offers_csv import run_import

    result, _ = run_import(employer_client, text)
    assert "2 of 2 rows read: 1 saved, 1 to fix." in result
    assert "List each skill learned here among the essential or optional skills too." in result
    [offer] = session.exec(select(Offer).where(Offer.organisation_id == employer.organisation_id)).all()
    rows = session.exec(select(OfferSkill).where(OfferSkill.offer_id == offer.id).order_by(OfferSkill.position)).all()
    assert [(r.skill_uri, r.taught) for r in rows] == [(a.uri, False), (b.uri, True)]
    exported = list(csv.DictReader(io.StringIO(employer_client.get("/offers/export.csv").text.lstrip("\ufeff"))))
    assert exported[0]["taught_skills"] == b.uri


def test_how_the_score_is_calculated_shows_the_quarter_weight_of_a_skill_learned_here(settings, connection, search,
                                                                                       taught_world):
    w = taught_world
    b_label = w["b"].labels["en"]
    app = create_app(settings, db=connection, search=search)
    with TestClient(app) as client:
        log_in(client, w["employer"].email)
        card = card_of(client.get(f"/offers/{w['offer_id']}/matches").text, w["candidate"].ref)
    how = card[card.index("How this is calculated"):]
    row = how[how.index(b_label):how.index("</tr>", how.index(b_label))]
    assert "learned here" in row and "× 2 × 0,25 = " in row and "will learn here" in row  # en_BE writes 0,25
    assert "count a quarter of their weight" in how
