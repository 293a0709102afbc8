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

GROUP_FIELDS = {"date_of_birth", "age", "age_band", "country_of_origin", "region_of_origin", "nationality",
                "level_at_work", "eligible", "screening", "gender"}


@pytest.fixture
def world(session):
    coach = make_user(session, role=Role.COACH)
    employer = make_employer(session, sector="Q")
    offer = make_offer(session, employer, publish=True)
    for i in range(14):
        level = "bachelor" if i < 11 else "secondary"
        created = make_candidate(session, coach, education_level=level,
                                 identity={"given_name": f"Person{i}", "family_name": "Fairness",
                                           "date_of_birth": date(1990, 1, 1 + i)})
        pin(session, coach, offer, created.id)  # every one of them is matched: on the coach's shortlist
        if i % 2 == 0 or level == "secondary":
            make_interest(session, employer, offer, created.ref)
    network = make_user(session, role=Role.NETWORK)
    session.flush()
    return {"employer": employer, "network": network, "offer": offer}


def test_a_network_member_reads_the_table_with_small_groups_hidden(client, world):
    log_in(client, world["network"].email)
    page = client.get("/network/fairness").text
    assert "Fairness monitoring" in page and "Education level" in page and "Level@work eligibility" in page
    # 14 matched: 11 bachelor (6 had a request), 3 secondary (all 3): secondary is too small, so the bachelor
    # figure is hidden too (otherwise the total would give the secondary one away)
    assert "9 of 14" in page
    interest_row = page.split("Secondary school")[1].split("</tr>")[0]
    assert "hidden" in interest_row and "3 of 3" not in interest_row
    assert "6 of 11" not in page
    care = client.get("/network/fairness?sector=Q", headers={"HX-Request": "true"})
    assert care.status_code == 200 and 'id="fairness-tables"' in care.text and "<html" not in care.text
    assert "14 candidates matched" in care.text and "9 of 14" in care.text
    other = client.get("/network/fairness?sector=C", headers={"HX-Request": "true"})
    assert "0 candidates" in other.text


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
