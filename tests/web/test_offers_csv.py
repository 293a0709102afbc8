"""Employers import offers from CSV (the candidate import's ESCO resolution, errors per row) and export them."""

import csv
import io

from sqlmodel import select

from domain.accounts import Role
from domain.tables import Offer, OfferSkill, Skill
from seed.builders import make_user
from tests.conftest import csrf_of, log_in

HEADER = "title;type;duration_value;duration_unit;postcode;days_per_week;hours_per_week;sector;monthly_pay_eur;" \
         "languages;essential_skills;optional_skills\n"


def upload(client, text: str):
    return client.post("/offers/import", data={"csrf_token": csrf_of(client, "/offers/import")},
                       files={"file": ("offers.csv", text.encode(), "text/csv")})


def test_three_offers_one_with_an_error(employer_client, employer, session):
    nursing = next(s for s in session.exec(select(Skill)).all() if s.labels.get("en") == "nursing science")
    text = HEADER + (
        f"Zorgkundige in opleiding;paid_traineeship;12;weeks;9000;4;30;Q;1850;nl:B1;{nursing.labels['fr']};\n"
        f"Kennismaking keuken;getting_to_know;5;days;2000;5;38;I;;nl:A2|fr:A2;;{nursing.uri}\n"
        "Magazijnier;paid_traineeship;12;weeks;9999;4;30;H;;en:B1;no such skill;\n"
    )
    response = upload(employer_client, text)
    assert response.status_code == 422
    page = response.text
    assert "3 rows read: 2 saved as drafts, 1 to fix." in page
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
    again = upload(employer_client, exported.text.replace("id,status,", "", 1).replace(f"{offers[0].id},draft,", "")
                   .replace(f"{offers[1].id},draft,", ""))
    assert "2 rows read: 2 saved as drafts, 0 to fix." in again.text  # the export reads back in


def test_an_unreadable_file_is_refused_with_a_message(employer_client):
    response = upload(employer_client, "name;colour\nx;y\n")
    assert response.status_code == 422 and "Unknown columns: name, colour." in response.text
    assert "Required columns are missing" in upload(employer_client, "title\nx\n").text


def test_only_employers_import_offers(client, session):
    coach = make_user(session, role=Role.COACH)
    session.flush()
    log_in(client, coach.email)
    assert client.get("/offers/import").status_code == 403
