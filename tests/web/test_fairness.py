"""Fairness monitoring (issue 17) at /network/fairness: network members read pass-through rates per group, small
groups hidden; employers never see these figures: no employer page and no search document carries group data."""

from datetime import date

import pytest
from starlette.routing import Route

from domain.accounts import Role
from domain.services.proposals import pin
from search.index_settings import INDEXES
from search.sync import drain
from seed.builders import make_candidate, make_employer, make_interest, make_offer, make_user
from tests.conftest import log_in
from web.templating import COOKIE

GROUP_FIELDS = {"date_of_birth", "age", "age_band", "country_of_origin", "region_of_origin", "nationality",
                "level_at_work", "eligible", "screening", "gender"}


@pytest.fixture
def world(session):
    coach = make_user(session, role=Role.COACH)
    employer = make_employer(session, sector="Q")
    offer = make_offer(session, employer, publish=True)
    second = make_offer(session, employer, publish=True)  # a shortlist holds at most 20
    for i in range(24):
        level = "bachelor" if i < 20 else "secondary"
        created = make_candidate(session, coach, education_level=level,
                                 identity={"given_name": f"Person{i}", "family_name": "Fairness",
                                           "date_of_birth": date(1990, 1, 1 + i),
                                           "country_of_origin": "SY" if i < 12 else "ER"})
        target = offer if i < 12 else second
        pin(session, coach, target, created.id)  # every one of them is matched: on the coach's shortlist
        if i % 2 == 0 or level == "secondary":
            make_interest(session, employer, target, created.ref)
    network = make_user(session, role=Role.NETWORK)
    session.flush()
    return {"employer": employer, "network": network, "offer": offer, "coach": coach}


def test_a_network_member_reads_the_table_with_small_groups_hidden(client, world):
    log_in(client, world["network"].email)
    page = client.get("/network/fairness").text
    assert "Fairness monitoring" in page and "Education level" in page and "Level@work eligibility" in page
    # 24 matched: 20 bachelor (10 had a request), 4 secondary (all 4): secondary is too small, so the bachelor
    # figures are hidden too (otherwise the total would give the secondary ones away)
    assert "14 of 24" in page
    interest_row = page.split("Secondary school")[1].split("</tr>")[0]
    assert "hidden" in interest_row and "4 of 4" not in interest_row
    assert "10 of 20" not in page
    # region of origin as UN M49 sub-regions, named from CLDR: 12 from Syria (Western Asia), 12 from Eritrea
    region = page.split('id="fairness-region"')[1].split("</section>")[0]
    assert "Western Asia" in region and "Eastern Africa" in region and "Syria" not in region
    # 12 people each: shown; 6 and 8 of them had a request: fewer than 10, so hidden ("hidden of 12")
    assert region.count("hidden of 12") >= 2 and "6 of 12" not in region and "8 of 12" not in region
    assert "<svg" in region and 'role="img"' in region  # the chart, with the table as its alternative
    care = client.get("/network/fairness?sector=Q", headers={"HX-Request": "true"})
    assert care.status_code == 200 and 'id="fairness-tables"' in care.text and "<html" not in care.text
    assert "24 candidates matched" in care.text and "14 of 24" in care.text
    other = client.get("/network/fairness?sector=C", headers={"HX-Request": "true"})
    assert "0 candidates" in other.text
    client.cookies.set(COOKIE, "nl")
    dutch = client.get("/network/fairness").text
    assert "West-Azië" in dutch and "Oost-Afrika" in dutch  # the group names in the page language


def test_filters_offer_type_and_period_with_clear_messages_for_a_bad_month(client, world):
    log_in(client, world["network"].email)
    this_month = date.today().strftime("%Y-%m")
    same = client.get(f"/network/fairness?type=paid_traineeship&from={this_month}&to={this_month}").text
    other_type = client.get("/network/fairness?type=getting_to_know").text
    assert ("24 candidates matched" in same) != ("24 candidates matched" in other_type)
    past = client.get("/network/fairness?from=2020-01&to=2020-02").text
    assert "every figure is hidden" in past or "0 candidates" in past
    bad = client.get("/network/fairness?from=2026-13&to=march")
    assert bad.status_code == 200
    assert "Give a month as YYYY-MM" in bad.text and 'value="march"' in bad.text  # nothing typed is lost
    backwards = client.get("/network/fairness?from=2026-05&to=2026-02").text
    assert "cannot come before the first" in backwards


def test_a_coach_sees_only_their_own_services_candidates(client, session, world):
    log_in(client, world["coach"].email)
    own = client.get("/coaching/fairness")
    assert own.status_code == 200 and "24 candidates matched" in own.text and "your own coaching service" in own.text
    other_coach = make_user(session, role=Role.COACH)  # another coaching service: none of these candidates
    session.flush()
    client.cookies.clear()
    log_in(client, other_coach.email)
    assert "0 candidates matched" in client.get("/coaching/fairness").text
    assert client.get("/network/fairness").status_code in (403, 404)


@pytest.mark.parametrize("who", ["employer", "network"])
def test_employers_and_networks_may_not_open_the_coaching_view(client, world, who):
    log_in(client, world[who].email)
    assert client.get("/coaching/fairness").status_code in (403, 404)


def test_without_logging_in_no_fairness_view_opens(client, world):
    for path in ("/network/fairness", "/coaching/fairness"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code in (302, 303, 401, 403) and "Fairness" not in response.text


def test_employers_never_see_fairness_figures(client, app, world):
    log_in(client, world["employer"].email)
    assert client.get("/network/fairness").status_code in (403, 404)
    markers = ("Fairness monitoring", "Level@work eligibility", "Age band", "Pass-through rate")
    opened = 0
    for route in app.routes:
        if not isinstance(route, Route) or "{" in route.path or "GET" not in (route.methods or set()):
            continue
        response = client.get(route.path)
        opened += 1
        assert not any(marker in response.text for marker in markers), route.path
    for path in (f"/offers/{world['offer']}", f"/offers/{world['offer']}/interest", f"/offers/{world['offer']}/matches"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not any(marker in response.text for marker in markers), path
    assert opened > 20


def test_no_search_document_carries_group_data(connection, search, world):
    drain(connection, search)
    seen = 0
    for base in INDEXES:
        for document in search.writer.index(search.index_name(base)).get_documents({"limit": 1000}).results:
            fields = set(dict(document).keys()) if not hasattr(document, "__dict__") else set(vars(document))
            assert not fields & GROUP_FIELDS, (base, fields & GROUP_FIELDS)
            assert "1990-01-01" not in str(vars(document) if hasattr(document, "__dict__") else document)
            seen += 1
    assert seen >= 14


def test_dashboards_show_the_share_of_the_pool_confirmed_in_the_last_six_weeks(client, session, world):
    from datetime import timedelta

    from sqlmodel import select

    from domain.tables import Candidate, utcnow

    rows = session.exec(select(Candidate).order_by(Candidate.id)).all()
    for row in rows[:6]:  # six of the 24 made their profile long ago and never answered
        row.created_at = utcnow() - timedelta(days=120)
        session.add(row)
    rows[0].still_looking_at = utcnow() - timedelta(days=3)  # one of them answered three days ago
    session.add(rows[0])
    session.flush()
    log_in(client, world["network"].email)
    dashboard = client.get("/network/dashboard").text
    assert "A pool that stays fresh" in dashboard
    assert "79%" in dashboard and "of the 24 candidates in matching" in dashboard  # 19 of 24
    client.cookies.clear()
    log_in(client, world["coach"].email)
    own = client.get("/coaching/fairness").text
    assert "79%" in own and "(19)" in own


def test_a_network_member_compares_whom_each_employer_asked_with_the_pool_it_was_shown(
        settings, connection, search, session, world):
    from sqlmodel import select
    from starlette.testclient import TestClient

    from domain.tables import MatchShown, Organisation, Skill
    from web.app import create_app

    client = TestClient(create_app(settings, db=connection, search=search), base_url="http://testserver")

    skill = session.exec(select(Skill.uri).order_by(Skill.uri)).first()
    employer = make_employer(session, sector="Q")
    offer = make_offer(session, employer, publish=True, skills=[(skill, True)], education_min="none")
    refs = []
    for i in range(16):  # 12 with a bachelor, 4 with secondary school; 8 from Syria, 8 from Eritrea
        refs.append(make_candidate(session, world["coach"], skills=[skill],
                                   education_level="bachelor" if i < 12 else "secondary",
                                   identity={"country_of_origin": "SY" if i % 2 else "ER"}).ref)
    session.flush()
    drain(connection, search)
    log_in(client, employer.email)
    for _ in range(2):  # a second view adds nothing
        page = client.get(f"/offers/{offer}/matches").text
    on_list = set(session.exec(select(MatchShown.candidate_id).where(MatchShown.offer_id == offer)).all())
    assert len(on_list) == 16  # everyone the list showed, once
    for ref in refs[:6]:
        make_interest(session, employer, offer, ref)
    session.flush()

    client.cookies.clear()
    log_in(client, world["network"].email)
    page = client.get("/network/fairness/employers").text
    name = session.get(Organisation, employer.organisation_id).name
    row = page.split(name)[1].split("</tr>")[0]
    assert ">16<" in row  # shown
    assert "fewer than 10" in row or "hidden" in row  # 6 asked: fewer than 10, not published
    assert ">6 " not in row and "(38%)" not in row
    assert world["employer"].email not in page
    # one employer's groups: 4 with secondary school, fewer than 10, so hidden with their complement
    one = client.get(f"/network/fairness/employers?employer={employer.organisation_id}").text
    groups = one.split('id="groups"')[1]
    assert "Education level" in groups and "Region of origin" in groups and "Eastern Africa" in groups
    assert "hidden" in groups.split("Secondary school")[1].split("</tr>")[0]
    assert "4 of 4" not in groups and "of 12" not in groups.split("Education level")[1].split("</section>")[0]
    fragment = client.get("/network/fairness/employers?sector=Q", headers={"HX-Request": "true"})
    assert 'id="employer-fairness"' in fragment.text and "<html" not in fragment.text and name in fragment.text
    assert name not in client.get("/network/fairness/employers?sector=C").text
    client.cookies.clear()
    log_in(client, employer.email)
    assert client.get("/network/fairness/employers").status_code in (403, 404)


def test_erasure_removes_what_the_match_lists_showed(session, world):
    from sqlmodel import select

    from domain.services.accounts import actor_by_id
    from domain.services.fairness import record_shown
    from domain.services.portal import ensure_candidate_account
    from domain.services.privacy import erase_candidate
    from domain.tables import Candidate, MatchShown

    candidate = session.exec(select(Candidate)).first()
    record_shown(session, world["offer"], [candidate.id, candidate.id])
    record_shown(session, world["offer"], [candidate.id])  # once only
    assert len(session.exec(select(MatchShown).where(MatchShown.candidate_id == candidate.id)).all()) == 1
    user_id = ensure_candidate_account(session, candidate)
    erase_candidate(session, actor_by_id(session, user_id), True)
    assert session.exec(select(MatchShown).where(MatchShown.candidate_id == candidate.id)).all() == []
