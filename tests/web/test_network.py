"""Sector networks' pages: who may see them, and every figure on them for a known world (tests/engagement_data.py)."""

import csv
import html
import io
import re

import pytest
from starlette.testclient import TestClient

from domain.accounts import Role
from domain.engagement import FUNNEL_STAGES
from search.index_settings import apply_index_settings
from search.sync import drain
from seed.builders import make_employer, make_offer, make_user
from tests.conftest import csrf_of, log_in
from tests.engagement_data import EXPECTED, FREE_TEXT_REASON, IDENTITY_VALUES, MENTOR_VALUES, build_world
from web.app import create_app

HX = {"HX-Request": "true"}
NETWORK_PAGES = ["/network/employers", "/network/employers.csv", "/network/employers/{care}", "/network/dashboard"]
EVIDENCE_LABELS = {
    "Offers open now or published in the last 12 months": "offers", "Open offers": "open_offers",
    "Placements started": "placements_started", "Placements completed": "placements_completed", "Hires": "hires",
    "Work-based trainings followed by a contract": "ibo_with_contract", "Mentors nominated": "mentors_nominated",
    "Mentors who completed mentor training": "mentors_trained",
    "Interest requests sent": "interest_sent", "Interest requests accepted by candidates": "interest_accepted",
}


@pytest.fixture
def world(session):
    return build_world(session)


@pytest.fixture
def network_app(settings, connection, search, world):
    """The app on this test's own indexes, with the world indexed."""
    drain(connection, search)
    return create_app(settings, db=connection, search=search)


@pytest.fixture
def as_role(network_app, session, world):
    """A browser signed in as ``role`` (the world's network member, its care employer, or a fresh user)."""
    clients = []

    def sign_in(role: str) -> TestClient:
        client = TestClient(network_app, base_url="http://testserver", raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        if role == "anonymous":
            return client
        actor = {"network": world.network, "employer": world.care}.get(role)
        if actor is None:
            actor = make_user(session, role=Role(role))
            session.flush()
        log_in(client, actor.email)
        return client

    yield sign_in
    for client in clients:
        client.__exit__(None, None, None)


def rows_of(page: str, table_id: str | None = None) -> dict[str, list[str]]:
    """{row header: [cells]} of the tables on the page (or of the section with ``table_id``)."""
    if table_id:
        page = re.search(rf'id="{table_id}".*?</section>', page, re.S).group(0)
    rows = {}
    for header, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', page, re.S):
        rows[html.unescape(header.strip())] = [html.unescape(c.strip()) for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                                             cells, re.S)]
    return rows


def shown(value) -> str:
    return str(value)


# --- who may see what (a light world: one listed employer, the shared indexes) ---------------------------

@pytest.fixture
def listed_employer(session, shared_search):
    apply_index_settings(shared_search.writer, "employers", shared_search.index_name("employers"))  # empty
    actor = make_employer(session, organisation="Listed Care")
    make_offer(session, actor, publish=True)
    session.flush()
    return actor


def signed_in(client, session, role: str, employer) -> TestClient:
    if role == "employer":
        log_in(client, employer.email)
    elif role != "anonymous":
        actor = make_user(session, role=Role(role))
        session.flush()
        log_in(client, actor.email)
    return client


@pytest.mark.parametrize("path", NETWORK_PAGES)
@pytest.mark.parametrize("role,status", [("network", 200), ("admin", 200), ("employer", 403), ("coach", 403),
                                         ("candidate", 403)])
def test_network_pages_by_role(client, session, listed_employer, path, role, status):
    signed_in(client, session, role, listed_employer)
    response = client.get(path.format(care=listed_employer.organisation_id), follow_redirects=False)
    assert response.status_code == status, (path, role)
    if status == 403:
        assert "Not allowed" in response.text


@pytest.mark.parametrize("path", [*NETWORK_PAGES, "/organisation/engagement"])
def test_anonymous_users_are_sent_to_login(client, listed_employer, path):
    response = client.get(path.format(care=listed_employer.organisation_id), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].split("?next=")[1] == path.format(care=listed_employer.organisation_id)


@pytest.mark.parametrize("role,status", [("employer", 200), ("network", 403), ("admin", 403), ("coach", 403),
                                         ("candidate", 403)])
def test_the_own_engagement_page_is_for_employers_only(client, session, listed_employer, role, status):
    signed_in(client, session, role, listed_employer)
    assert client.get("/organisation/engagement").status_code == status


def test_the_network_nav_and_home(client, session, listed_employer):
    signed_in(client, session, "network", listed_employer)
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 200 and "employers engaged for the first time this month" in home.text
    page = client.get("/network/employers").text
    nav = re.search(r'<nav aria-label="Main"[^>]*>.*?</nav>', page, re.S).group(0)
    assert "/network/employers" in nav and "/network/dashboard" in nav
    assert "Listed Care" in client.get(f"/network/employers/{listed_employer.organisation_id}").text


def test_an_empty_dashboard_says_so(client, session, listed_employer):
    signed_in(client, session, "network", listed_employer)
    page = client.get("/network/dashboard").text
    assert "No placement ended early." in page
    assert rows_of(page, "funnel-total") == {"All sectors": ["1", "0", "0", "0", "0", "0"]}


# --- the employer's page (the known world) -------------------------------------------------------------

def test_employer_pages_show_every_figure_and_nothing_about_candidates(as_role, world):
    client = as_role("network")
    for who in ("care", "building"):
        page = client.get(f"/network/employers/{getattr(world, who).organisation_id}").text
        figures = {EVIDENCE_LABELS[label]: cells[0] for label, cells in rows_of(page, "employer-engagement").items()}
        interest = (figures.pop("interest_sent"), figures.pop("interest_accepted"))
        assert interest == tuple(shown(value) for value in EXPECTED["interest"][who]), who
        assert figures == {key: shown(value) for key, value in EXPECTED[who].items()}, who
        for value in (*IDENTITY_VALUES, *MENTOR_VALUES, *world.candidate_refs, FREE_TEXT_REASON):
            assert value not in page, value

    page = client.get(f"/network/employers/{world.care.organisation_id}").text
    assert "<h1>Zorghuis Anemoon</h1>" in page
    assert "Q · Human health and social work activities" in page
    assert "Schaarbeek · Brussels-Capital Region" in page
    assert "We train newcomers as care assistants." in page
    assert "NL, FR" in page
    offers = re.search(r'id="employer-offers".*?</section>', page, re.S).group(0)
    assert "Zorgkundige (betaald)" in offers
    for closed in ("Zorgkundige IBO", "Old getting-to-know", "Still a draft"):
        assert closed not in offers

    # Not in the directory (chose not to, not engaged now, not an employer, no such id): not found.
    for organisation_id in (world.hidden.organisation_id, world.dormant.organisation_id,
                            world.network.organisation_id, 987654):
        response = client.get(f"/network/employers/{organisation_id}")
        assert response.status_code == 404
        assert "Verborgen Zorg" not in response.text and "Slapend Atelier" not in response.text


def test_an_employer_sees_its_own_page_as_the_network_does(as_role, network_app, world):
    client = as_role("employer")
    own = client.get("/organisation/engagement").text
    figures = {EVIDENCE_LABELS[label]: cells[0] for label, cells in rows_of(own, "employer-engagement").items()}
    assert figures == {key: shown(value) for key, value in EXPECTED["care"].items()}
    assert "This is your organisation as sector networks see it." in own
    assert "Sector networks find you in the directory of engaged employers." in own
    assert 'href="http://testserver/organisation#f-in_directory"' in own
    assert "Zorgkundige (betaald)" in own
    assert 'href="http://testserver/organisation/engagement"' in client.get("/organisation").text

    with TestClient(network_app, base_url="http://testserver") as hidden:
        log_in(hidden, world.hidden.email)
        page = hidden.get("/organisation/engagement").text
    assert "You chose not to appear in the directory of engaged employers." in page
    figures = {EVIDENCE_LABELS[label]: cells[0] for label, cells in rows_of(page, "employer-engagement").items()}
    assert figures == {key: shown(value) for key, value in EXPECTED["hidden"].items()}


def test_unticking_the_box_on_the_profile_takes_the_employer_out_of_the_directory(as_role, connection, network_app,
                                                                                   world):
    employer = as_role("employer")
    token = csrf_of(employer, "/organisation")
    employer.post("/organisation", data={"csrf_token": token, "name": "Zorghuis Anemoon", "sector": "Q",
                                         "postcode": "1030"}, headers=HX)
    drain(connection, network_app.state.search)
    network = as_role("network")
    assert "Zorghuis Anemoon" not in network.get("/network/employers").text
    assert network.get(f"/network/employers/{world.care.organisation_id}").status_code == 404
    assert "You chose not to appear" in employer.get("/organisation/engagement").text


# --- the dashboard ---------------------------------------------------------------------------------------

def test_every_figure_on_the_dashboard(as_role, world):
    page = as_role("network").get("/network/dashboard").text
    stages = [label for _key, label in FUNNEL_STAGES]

    def table(section: str) -> dict[str, tuple]:
        return {header: tuple(cells) for header, cells in rows_of(page, section).items()}

    def expected(values) -> tuple:
        return tuple(shown(v) for v in values)

    assert table("funnel-total") == {"All sectors": expected(EXPECTED["total"])}
    assert table("funnel-sector") == {"F · Construction": expected(EXPECTED["sector"]["F"]),
                                      "Q · Human health and social work activities": expected(EXPECTED["sector"]["Q"])}
    assert table("funnel-type") == {
        "Getting-to-know traineeship": expected(EXPECTED["type"]["getting_to_know"]),
        "Paid traineeship (BIO)": expected(EXPECTED["type"]["paid_traineeship"]),
        "Work-based training (IBO)": expected(EXPECTED["type"]["work_based_training"]),
    }
    # 7 ended early = 5 + two "fewer than 5": both would be 1, so the 5 and the total are hidden too
    assert table("end-reasons") == {"Language difficulties": ("hidden",), "Other reason": ("fewer than 5",),
                                    "Personal or family circumstances": ("fewer than 5",)}
    assert "Placements that ended early: <strong>hidden</strong>" in page
    assert f"{EXPECTED['employers']} engaged employers" in page

    # The charts carry the same numbers beside their bars, and say what they show.
    total = re.search(r'<svg[^>]*aria-labelledby="chart-total-title chart-total-desc".*?</svg>', page, re.S).group(0)
    assert '<title id="chart-total-title">Placement funnel, all sectors</title>' in total
    desc = "; ".join(f"{label}: {value}" for label, value in zip(stages, EXPECTED["total"], strict=True))
    assert f'<desc id="chart-total-desc">{desc}</desc>' in total
    values = re.findall(r'<text class="value"[^>]*>(.*?)</text>', total)
    assert values == [str(v) for v in EXPECTED["total"]]
    sector_f = re.search(r'<svg[^>]*chart-sector-F-title.*?</svg>', page, re.S).group(0)
    assert re.findall(r'<text class="value"[^>]*>(.*?)</text>', sector_f) == [
        "2", "fewer than 5", "fewer than 5", "fewer than 5", "0", "0"]
    assert sector_f.count('class="bar withheld"') == 3
    for value in (*IDENTITY_VALUES, *MENTOR_VALUES, *world.candidate_refs, FREE_TEXT_REASON):
        assert value not in page, value


# --- the directory ------------------------------------------------------------------------------------

def test_the_directory_searches_filters_and_counts(as_role, world):
    client = as_role("network")
    page = client.get("/network/employers").text
    assert '<p id="directory-count" class="count" role="status">2 employers</p>' in page
    names = re.findall(r'<a href="http://testserver/network/employers/\d+">(.*?)</a>', page)
    assert names == ["Bouwbedrijf Beton", "Zorghuis Anemoon"]
    assert "Verborgen Zorg" not in page and "Slapend Atelier" not in page
    counts = dict(re.findall(r'id="f-[a-z]+-?(\w*)"[^>]*>\s*[^<]*?<span class="facet-count">\((\d+)\)</span>', page))
    assert counts == {"F": "1", "Q": "1", "brussels": "1", "flanders": "1", "wallonia": "0", "VOV": "1",
                      "getting_to_know": "1", "paid_traineeship": "2", "work_based_training": "1", "": "1"}

    # htmx asks for the results region only; the count is updated out of band.
    response = client.get("/network/employers?sector=Q&area=brussels", headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="directory-results"')
    assert '<p id="directory-count" hx-swap-oob="innerHTML">1 employer</p>' in response.text
    assert "Zorghuis Anemoon" in response.text and "Bouwbedrijf Beton" not in response.text
    assert 'id="f-sector-Q" name="sector" value="Q" checked' in response.text
    assert 'id="f-area-brussels" name="area" value="brussels" checked' in response.text
    assert 'href="http://testserver/network/employers.csv?sector=Q&amp;area=brussels"' in response.text
    assert response.headers["vary"].startswith("HX-Request")

    typo = client.get("/network/employers?q=Anemon").text  # a typo still finds the care home
    assert "Zorghuis Anemoon" in typo and "Bouwbedrijf Beton" not in typo
    assert "2 employers" in client.get("/network/employers?sector=ZZ&area=mars&type=x&page=-3").text  # ignored
    assert "No engaged employer matches this search." in client.get("/network/employers?q=qqqqqqqq").text


@pytest.mark.parametrize("q, found", [("Gand", "Bouwbedrijf Beton"), ("Gent", "Bouwbedrijf Beton"),
                                      ("Schaerbeek", "Zorghuis Anemoon"), ("Schaarbeek", "Zorghuis Anemoon")])
def test_the_directory_finds_a_place_by_its_dutch_or_french_name(as_role, world, q, found):
    page = as_role("network").get(f"/network/employers?q={q}").text
    names = re.findall(r'<a href="http://testserver/network/employers/\d+">(.*?)</a>', page)
    assert names == [found]


def test_the_csv_export_follows_the_filters(as_role, world):
    client = as_role("network")
    response = client.get("/network/employers.csv?area=flanders")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="engaged-employers-')
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows == [
        ["name", "sector", "sector_name", "municipality", "province", "region", "offer_types", "open_offers",
         "offers", "placements_started", "placements_completed", "hires", "ibo_with_contract", "mentors_nominated",
         "mentors_trained"],
        ["Bouwbedrijf Beton", "F", "Construction", "Gent", "East Flanders", "Flanders",
         "Getting-to-know traineeship | Paid traineeship (BIO)", "1", "2", "<5", "0", "0", "0", "0", "0"],
    ]
    everyone = client.get("/network/employers.csv").text
    assert [row[0] for row in csv.reader(io.StringIO(everyone.lstrip("\ufeff")))] == [
        "name", "Bouwbedrijf Beton", "Zorghuis Anemoon"]
    for value in (*IDENTITY_VALUES, *MENTOR_VALUES, *world.candidate_refs):
        assert value not in everyone


def test_search_down_says_so(settings, connection, session, world):
    app = create_app(settings, db=connection, search=None)
    with TestClient(app, base_url="http://testserver") as client:
        log_in(client, world.network.email)
        page = client.get("/network/employers")
        assert page.status_code == 200
        assert "Search is temporarily unavailable." in page.text
        export = client.get("/network/employers.csv")
        assert export.status_code == 503 and "Search is temporarily unavailable." in export.text
        # The employer pages and the dashboard come from the database and still work.
        assert client.get(f"/network/employers/{world.care.organisation_id}").status_code == 200
        assert client.get("/network/dashboard").status_code == 200
