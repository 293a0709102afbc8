"""Employers import offers from CSV (the candidate import's ESCO resolution, errors per row) and export them."""

import csv
import io
import re

from sqlmodel import func, select

from domain.accounts import Role
from domain.services.offers_csv import CHUNK
from domain.tables import CandidateImport, Offer, OfferSkill, Skill
from seed.builders import make_user
from tests.conftest import csrf_of, log_in

HEADER = "title;type;duration_value;duration_unit;postcode;days_per_week;hours_per_week;sector;monthly_pay_eur;" \
         "languages;essential_skills;optional_skills\n"


def upload(client, text: str):
    return client.post("/offers/import", data={"csrf_token": csrf_of(client, "/offers/import")},
                       follow_redirects=False, files={"file": ("offers.csv", text.encode(), "text/csv")})


def run_import(client, text: str, max_polls=200) -> tuple[str, list[str]]:
    """Upload, then poll the progress region like htmx until it is done: (last region, each step's status)."""
    response = upload(client, text)
    assert response.status_code == 303, response.text[:1000]
    url = response.headers["location"]
    page = client.get(url)
    assert page.status_code == 200 and 'hx-trigger="load' in page.text
    token = csrf_of(client, url)
    steps = []
    for _ in range(max_polls):
        region = client.post(url + "/next", headers={"HX-Request": "true", "X-CSRF-Token": token})
        assert region.status_code == 200 and region.text.lstrip().startswith('<section id="import-progress"')
        steps.append(re.search(r'role="status">(.*?)</p>', region.text, re.S).group(1).split(".")[0].strip())
        if "hx-trigger" not in region.text.split(">", 1)[0]:
            return region.text, steps
    raise AssertionError("the import did not finish")


def test_three_offers_one_with_an_error(employer_client, employer, session):
    nursing = next(s for s in session.exec(select(Skill)).all() if s.labels.get("en") == "nursing science")
    text = HEADER + (
        f"Zorgkundige in opleiding;paid_traineeship;12;weeks;9000;4;30;Q;1850;nl:B1;{nursing.labels['fr']};\n"
        f"Kennismaking keuken;getting_to_know;5;days;2000;5;38;I;;nl:A2|fr:A2;;{nursing.uri}\n"
        "Magazijnier;paid_traineeship;12;weeks;9999;4;30;H;;en:B1;no such skill;\n"
    )
    page, _ = run_import(employer_client, text)
    assert "3 of 3 rows read: 2 saved, 1 to fix." in page and "Import finished." in page
    assert "<td>4</td><td><code>postcode</code></td><td>9999 is not a Belgian postcode we know.</td>" in page
    assert ("“no such skill” does not name one ESCO skill. Did you mean: " in page
            or "“no such skill” matches no ESCO skill" in page)
    assert "<code>monthly_pay_eur</code></td><td>A paid traineeship needs a gross monthly amount.</td>" in page
    offers = session.exec(select(Offer).where(Offer.organisation_id == employer.organisation_id)
                          .order_by(Offer.id)).all()
    assert [(o.title, o.status) for o in offers] == [("Zorgkundige in opleiding", "draft"),
                                                    ("Kennismaking keuken", "draft")]
    skills = {(s.offer_id, s.skill_uri, s.essential) for s in session.exec(select(OfferSkill)).all()}
    assert skills == {(offers[0].id, nursing.uri, True), (offers[1].id, nursing.uri, False)}

    exported = employer_client.get("/offers/export.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert [r["title"] for r in rows] == ["Zorgkundige in opleiding", "Kennismaking keuken"]
    assert rows[0]["essential_skills"] == nursing.uri and rows[1]["languages"] == "fr:A2|nl:A2"
    again, _ = run_import(employer_client, exported.text.replace("id,status,", "", 1)
                          .replace(f"{offers[0].id},draft,", "").replace(f"{offers[1].id},draft,", ""))
    assert "2 of 2 rows read: 2 saved, 0 to fix." in again  # the export reads back in


def test_more_than_500_offers_are_imported_in_steps_with_progress(employer_client, employer, session):
    rows = [f"Kennismaking {i};getting_to_know;5;days;9000;5;38;I;;nl:A2;;" for i in range(CHUNK * 6 + 20)]
    rows[7] = "Kapot;getting_to_know;5;days;9999;5;38;I;;nl:A2;;"
    total = len(rows)
    region, steps = run_import(employer_client, HEADER + "\n".join(rows) + "\n")
    assert steps[0] == f"{CHUNK} of {total} rows read: {CHUNK - 1} saved, 1 to fix"  # progress after the first step
    assert len(steps) == 7 and steps[-1] == f"{total} of {total} rows read: {total - 1} saved, 1 to fix"
    assert problems_of(region) == [(9, "postcode", "9999 is not a Belgian postcode we know.")]
    count = session.exec(select(func.count()).select_from(Offer)
                         .where(Offer.organisation_id == employer.organisation_id)).one()
    assert count == total - 1
    job = session.exec(select(CandidateImport).where(CandidateImport.kind == "offers")).one()
    assert (job.status, job.content) == ("done", "")


def test_nothing_saved_is_not_shown_as_finished(employer_client):
    region, _ = run_import(employer_client, HEADER + "Magazijnier;paid_traineeship;12;weeks;9000;4;30;H;1900;en:B1;"
                                                     "qqqzzz xxyyw;\n")
    assert "Import finished." not in region and 'class="notice"' not in region
    assert "Nothing was imported: no row could be saved." in region
    assert problems_of(region) == [(2, "essential_skills", "“qqqzzz xxyyw” matches no ESCO skill: check the "
                                                           "spelling, or use its URI.")]


def test_another_employers_import_is_not_found(employer_client, client, session):
    response = upload(employer_client, HEADER + "Kennismaking;getting_to_know;5;days;9000;5;38;I;;nl:A2;;\n")
    url = response.headers["location"]
    other = make_user(session, role=Role.EMPLOYER, organisation="Other Bakery")
    session.flush()
    log_in(employer_client, other.email)
    assert employer_client.get(url).status_code == 404


def problems_of(html: str) -> list[tuple[int, str, str]]:
    return [(int(row), column, re.sub(r"\s+", " ", message).strip()) for row, column, message in re.findall(
        r"<tr><td>(\d+)</td><td><code>([a-z_]+)</code></td><td>(.*?)</td></tr>", html, re.S)]


def test_an_unreadable_file_is_refused_with_a_message(employer_client):
    response = upload(employer_client, "name;colour\nx;y\n")
    assert response.status_code == 422 and "Unknown columns: name, colour." in response.text
    assert "Required columns are missing" in upload(employer_client, "title\nx\n").text


def test_only_employers_import_offers(client, session):
    coach = make_user(session, role=Role.COACH)
    session.flush()
    log_in(client, coach.email)
    assert client.get("/offers/import").status_code == 403
