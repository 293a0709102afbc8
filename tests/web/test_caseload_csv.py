"""CSV import (chunks, progress, per-row errors, skills by URI or label) and the anonymised export."""

import csv
import io
import re
from pathlib import Path

import pytest
from sqlmodel import select

from domain.accounts import Role
from domain.caseload_csv import EXPORT_COLUMNS, IDENTITY_COLUMNS
from domain.services.caseload_csv import CHUNK
from domain.tables import (
    Candidate,
    CandidateExperience,
    CandidateIdentity,
    CandidateImport,
    CandidateImportProblem,
    CandidateSkill,
    Occupation,
    Skill,
)
from seed.builders import make_candidate, make_user
from tests.conftest import csrf_of, log_in
from tests.web.coach_support import HX, labelled_skills

HEADER = ("given_name,family_name,email,phone,date_of_birth,nationality,arrival_date,address,education_level,"
          "languages,postcode,max_commute_km,days_per_week,accepted_offer_types,skills,summary")


@pytest.fixture
def coach(session):
    actor = make_user(session, role=Role.COACH, organisation="OCMW Import")
    session.flush()
    return actor


@pytest.fixture
def coach_client(client, coach):
    log_in(client, coach.email)
    return client


def upload(client, text: str, filename="caseload.csv", encoding="utf-8"):
    token = csrf_of(client, "/candidates/import")
    return client.post("/candidates/import", data={"csrf_token": token}, follow_redirects=False,
                       files={"file": (filename, text.encode(encoding), "text/csv")})


def run_import(client, response, max_polls=50) -> str:
    """Follow the upload to its progress page and poll like htmx until it is done; the last region's HTML."""
    assert response.status_code == 303, response.text[:1000]
    url = response.headers["location"]
    page = client.get(url)
    token = csrf_of(client, url)
    for _ in range(max_polls):
        region = client.post(url + "/next", headers={**HX, "X-CSRF-Token": token})
        assert region.status_code == 200
        if "hx-trigger" not in region.text.split(">", 1)[0]:
            return region.text
    raise AssertionError(f"the import did not finish: {page.text[:500]}")


def problems(html: str) -> list[tuple[int, str, str]]:
    return [(int(row), column, re.sub(r"\s+", " ", message).strip()) for row, column, message in re.findall(
        r"<tr><td>(\d+)</td><td><code>([a-z_]+)</code></td><td>(.*?)</td></tr>", html, re.S)]


def test_import_saves_valid_rows_and_reports_the_others_by_row_and_column(coach_client, coach, session):
    skills = labelled_skills(session, 2)
    nursing = next(s for s in session.exec(select(Skill)).all() if s.labels.get("en") == "nursing science")
    rows = [
        HEADER,
        f"Leyla,Demir,leyla@example.org,+32 470 00 00 01,1990-01-31,TR,2023-03-01,\"Kerkstraat 1, 9000 Gent\",bachelor,"
        f"nl:B1|en:B2,9000,25,5,,{skills[0].uri}|{skills[1].labels['en'].upper()},Nurse for 5 years",
        f"Omar,Haidari,,,15/06/1988,AF,,,master,fr:C1,1000,30,3,paid_traineeship,{nursing.labels['fr']},",
        "Ilse,Broken,,,,,,,,,9999,25,5,,,",
        "Tariq,Unknown,,,,,,,,,9000,25,5,,no such skill at all,",
        "Marta,Dates,,,31-31-1990,,,,phd,xx:B1,9000,25,5,,,",
        ",,,,,,,,,,,,,,,",
    ]
    region = run_import(coach_client, upload(coach_client, "\n".join(rows) + "\n"))

    assert "6 of 6 rows read: 2 saved, 3 to fix." in region and "1 empty rows skipped." in region
    assert "Import finished." in region
    found = problems(region)
    assert (4, "postcode", "9999 is not a Belgian postcode we know.") in found
    [(_, _, unknown)] = [p for p in found if p[:2] == (5, "skills")]
    assert unknown.startswith("“no such skill at all” does not name one ESCO skill. Did you mean: ")
    assert (6, "date_of_birth", "Write the date as YYYY-MM-DD or DD/MM/YYYY.") in found
    assert (6, "education_level", "Use one of: none, secondary, bachelor, master, doctorate.") in found
    assert (6, "languages", "Write languages like nl:B1|en:B2 (levels A1 to C2).") in found
    assert {row for row, _, _ in found} == {4, 5, 6}

    saved = session.exec(select(Candidate, CandidateIdentity).join(CandidateIdentity)
                         .where(Candidate.coaching_service_id == coach.organisation_id)).all()
    by_name = {identity.given_name: candidate for candidate, identity in saved}
    assert set(by_name) == {"Leyla", "Omar"}
    leyla_skills = {r.skill_uri for r in session.exec(select(CandidateSkill).where(CandidateSkill.candidate_id == by_name["Leyla"].id))}
    assert leyla_skills == {skills[0].uri, skills[1].uri}  # by URI and by an English label in any case
    omar_skills = {r.skill_uri for r in session.exec(select(CandidateSkill).where(CandidateSkill.candidate_id == by_name["Omar"].id))}
    assert omar_skills == {nursing.uri}  # by its French label
    assert by_name["Omar"].accepted_offer_types == ["paid_traineeship"]
    assert by_name["Leyla"].summary == "Nurse for 5 years" and by_name["Leyla"].municipality == "Gent"
    identity = session.exec(select(CandidateIdentity).where(CandidateIdentity.candidate_id == by_name["Omar"].id)).one()
    assert identity.date_of_birth.isoformat() == "1988-06-15"
    job = session.exec(select(CandidateImport)).one()
    assert job.status == "done" and job.content == ""  # the file held identity data: erased when finished


README_EXAMPLE = re.search(r"```csv\n(.*?)```", (Path(__file__).parents[2] / "README.md").read_text(), re.S).group(1)


def test_the_readme_example_imports_exactly_as_written(coach_client, coach, session):
    region = run_import(coach_client, upload(coach_client, README_EXAMPLE))
    assert "3 of 3 rows read: 3 saved, 0 to fix." in region and "Import finished." in region
    saved = {identity.given_name: candidate for candidate, identity in session.exec(
        select(Candidate, CandidateIdentity).join(CandidateIdentity)
        .where(Candidate.coaching_service_id == coach.organisation_id)).all()}
    labels = {row.uri: row.labels["en"] for row in session.exec(select(Skill)).all()}
    occupations = {row.uri: row.labels["en"] for row in session.exec(select(Occupation)).all()}

    def skills_of(name):
        return {labels[r.skill_uri] for r in session.exec(select(CandidateSkill)
                                                           .where(CandidateSkill.candidate_id == saved[name].id))}

    assert skills_of("Amina") == {"nursing science", "administer prescribed medication"}  # an alternative label
    assert skills_of("Yusuf") == {"prepare bakery products", "knead food products"}
    def experience_of(name):
        return [(occupations[e.occupation_uri], e.years) for e in session.exec(
            select(CandidateExperience).where(CandidateExperience.candidate_id == saved[name].id))]

    assert experience_of("Amina") == [("nurse responsible for general care", 4)]  # its Dutch name
    assert experience_of("Yusuf") == [("baker", 3)]  # its French name


def test_typos_other_languages_and_ambiguous_names(coach_client, coach, session):
    text = ("given_name,family_name,postcode,skills,experience\n"
            "Ada,Okafor,9000,Pyton (computer programming)|empathie tonen,sofware developer=2\n"
            "Ben,Osei,9000,,nurse=4\n"
            "Cem,Kaya,9000,teamwork,\n")
    region = run_import(coach_client, upload(coach_client, text))
    assert "3 of 3 rows read: 1 saved, 2 to fix." in region
    found = problems(region)
    [(row, column, message)] = [p for p in found if p[0] == 3]
    assert column == "experience" and message.startswith("“nurse” does not name one ESCO occupation. Did you mean: ")
    assert "nurse responsible for general care" in message and message.count(" · ") == 2
    [(row, column, message)] = [p for p in found if p[0] == 4]
    assert column == "skills" and "teamwork principles" in message
    ada = session.exec(select(Candidate).join(CandidateIdentity).where(CandidateIdentity.given_name == "Ada")).one()
    skills = {r.skill_uri for r in session.exec(select(CandidateSkill).where(CandidateSkill.candidate_id == ada.id))}
    labels = {session.get(Skill, uri).labels["en"] for uri in skills}
    assert labels == {"Python (computer programming)", "show empathy"}


def test_a_run_that_saved_nothing_says_so(coach_client, session):
    region = run_import(coach_client, upload(coach_client, "given_name,family_name,postcode,skills\n"
                                                           "Ada,Okafor,9000,qqqzzz xxyyw\n"))
    assert "Import finished." not in region
    assert "Nothing was imported: no row could be saved." in region
    assert (2, "skills", "“qqqzzz xxyyw” matches no ESCO skill: check the spelling, or use its URI.") in problems(region)


def test_large_files_are_imported_in_chunks_with_progress(coach_client, session):
    total = CHUNK + 35
    rows = [HEADER] + [f"Name{i},Family{i},,,,,,,,,9000,25,5,,," for i in range(total)]
    response = upload(coach_client, "\n".join(rows))
    url = response.headers["location"]
    page = coach_client.get(url)
    assert page.status_code == 200 and 'hx-trigger="load' in page.text and f"0 of {total} rows read" in page.text
    token = csrf_of(coach_client, url)
    first = coach_client.post(url + "/next", headers={**HX, "X-CSRF-Token": token})
    assert first.text.lstrip().startswith('<section id="import-progress"')
    assert f"{CHUNK} of {total} rows read: {CHUNK} saved, 0 to fix." in first.text and f'value="{CHUNK}"' in first.text
    assert "hx-post" in first.text  # still polling
    job = session.exec(select(CandidateImport).execution_options(populate_existing=True)).one()
    assert (job.next_row, job.saved, job.status) == (CHUNK, CHUNK, "running")  # the state is in the database
    region = run_import(coach_client, response)
    assert f"{total} of {total} rows read: {total} saved, 0 to fix." in region


def test_semicolons_excel_encoding_and_belgian_dates(coach_client, session):
    text = "\ufeffgiven_name;family_name;postcode;arrival_date\nJosé;Muñoz;2000;01/02/2024\n"
    region = run_import(coach_client, upload(coach_client, text, encoding="utf-8"))
    assert "1 saved" in region
    identity = session.exec(select(CandidateIdentity).where(CandidateIdentity.given_name == "José")).one()
    assert identity.family_name == "Muñoz" and identity.arrival_date.isoformat() == "2024-02-01"
    region = run_import(coach_client, upload(coach_client, "given_name;family_name;postcode\nZoë;Peña;9000\n",
                                             encoding="cp1252"))
    assert "1 saved" in region
    assert session.exec(select(CandidateIdentity).where(CandidateIdentity.given_name == "Zoë")).one()


def test_a_second_import_does_not_duplicate_a_candidate(coach_client, session):
    text = "given_name,family_name,email,postcode\nAda,Okafor,ada@example.org,9000\n"
    run_import(coach_client, upload(coach_client, text))
    region = run_import(coach_client, upload(coach_client, text.replace("Ada", "ADA").replace("ada@", "Ada@")))
    assert "0 saved, 1 to fix" in region
    [(row, column, message)] = problems(region)
    assert (row, column) == (2, "email") and message.startswith("A candidate with this e-mail address is already in your caseload (K-")


@pytest.mark.parametrize("text,message", [
    ("name,postcode\nAda,9000\n", "Unknown columns: name. Use the column names of the layout."),
    ("given_name,postcode\nAda,9000\n", "Required columns are missing: family_name."),
    ("given_name,family_name,postcode\n", "The file has a header but no candidates."),
    ("", "The file is empty."),
])
def test_a_file_with_the_wrong_layout_is_refused_whole(coach_client, session, text, message):
    response = upload(coach_client, text)
    assert response.status_code == 422
    assert message in response.text
    assert session.exec(select(CandidateImport)).first() is None


def test_the_import_page_documents_the_columns(coach_client):
    page = coach_client.get("/candidates/import")
    assert page.status_code == 200
    for column in ("given_name", "family_name", "postcode", "skills", "languages", "experience"):
        assert f"<code>{column}</code>" in page.text
    assert 'enctype="multipart/form-data"' in page.text


def test_import_without_search_waits_and_writes_nothing(app, coach_client, session):
    app.state.search = None
    region = None
    response = upload(coach_client, "given_name,family_name,postcode,skills\nAda,Okafor,9000,nursing science\n")
    url = response.headers["location"]
    token = csrf_of(coach_client, url)
    region = coach_client.post(url + "/next", headers={**HX, "X-CSRF-Token": token})
    assert region.status_code == 200 and "Skill search is temporarily unavailable" in region.text
    assert 'hx-trigger="load delay:3s"' in region.text
    job = session.exec(select(CandidateImport).execution_options(populate_existing=True)).one()
    assert (job.next_row, job.saved) == (0, 0)


# --- export --------------------------------------------------------------------------------------

def test_export_has_anonymised_fields_and_the_reference_only(coach_client, coach, session):
    skills = labelled_skills(session, 1)
    created = make_candidate(session, coach, skills=[skills[0].uri], identity=dict(
        given_name="Xochitl", family_name="Quispe", email="xq@nowhere-zz.be", phone="+32 499 12 12 12",
        nationality="PE", address="Zuidlaan 3, 1000 Brussel"),
        summary="Xochitl Quispe led a surgical ward; =HYPERLINK is not a formula here.")
    session.flush()
    response = coach_client.get("/candidates/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert not set(rows[0]) & set(IDENTITY_COLUMNS)
    row = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == created.ref), strict=True))
    assert row["skills"] == skills[0].uri and row["municipality"] == "Gent" and row["languages"] == "nl:B1"
    assert row["summary"].startswith("[…] led a surgical ward")
    for value in ("Xochitl", "Quispe", "xq@", "nowhere-zz", "499 12 12 12", "Zuidlaan", "1991-04-02"):
        assert value not in response.text, value
    assert "PE" not in {cell for r in rows for cell in r}


def test_a_picture_uploaded_as_csv_is_called_what_it_is(coach_client, session):
    token = csrf_of(coach_client, "/candidates/import")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
    response = coach_client.post("/candidates/import", data={"csrf_token": token}, follow_redirects=False,
                                 files={"file": ("caseload.csv", png, "text/csv")})
    assert response.status_code == 422
    assert "This is not a CSV file." in response.text and "Unknown columns" not in response.text
    assert session.exec(select(CandidateImport)).first() is None


def _row_counts(session) -> dict[str, int]:
    from sqlalchemy import func as sa_func
    from sqlalchemy import select as sa_select
    from sqlmodel import SQLModel

    return {table.name: session.execute(sa_select(sa_func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables}


def test_ten_thousand_unresolvable_rows_finish_with_an_error_per_row_and_nothing_half_saved(coach_client, session):
    import time

    # Half the labels have near namesakes (the search proposes candidates), half match nothing at all.
    rows = ["given_name,family_name,postcode,skills"] + [
        f"Name{i},Family{i},9000,{'nursing zq' if i % 2 else 'qxv'}{i}wq" for i in range(10_000)]
    before = _row_counts(session)
    began = time.monotonic()
    response = upload(coach_client, "\n".join(rows) + "\n")
    url = response.headers["location"]
    token = csrf_of(coach_client, url)
    polls = 0
    while True:
        region = coach_client.post(url + "/next", headers={**HX, "X-CSRF-Token": token})
        polls += 1
        assert region.status_code == 200
        if "hx-trigger" not in region.text.split(">", 1)[0]:
            break
        assert polls < 1000, "the import does not finish"
    elapsed = time.monotonic() - began
    print(f"10,000 unresolvable rows: {elapsed:.1f} s, {polls} polls")

    assert "10000 of 10000 rows read: 0 saved, 10000 to fix." in region.text
    assert "Import finished." not in region.text and 'class="notice"' not in region.text
    assert "Nothing was imported: no row could be saved. Fix the rows listed below" in region.text
    job = session.exec(select(CandidateImport).execution_options(populate_existing=True)).one()
    assert (job.status, job.saved, job.failed, job.content) == ("done", 0, 10_000, "")
    stored = session.exec(select(CandidateImportProblem)).all()
    assert len(stored) == 10_000 and {p.row for p in stored} == set(range(2, 10_002))
    assert {p.column for p in stored} == {"skills"}
    with_candidates = [p for p in stored if p.params.get("candidates")]
    assert {p.row % 2 for p in with_candidates} == {1}  # the nursing-like labels (odd i: odd spreadsheet rows)
    assert len(with_candidates) == 5_000
    assert all(not p.params["candidates"] for p in stored if p.row % 2 == 0)
    shown = problems(region.text)
    assert shown[0][:2] == (2, "skills") and len(shown) == 500  # the page lists the first 500
    after = _row_counts(session)
    changed = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    assert changed == {"candidateimport": 1, "candidateimportproblem": 10_000}  # nothing half-saved
    # Measured 27-35 s at a load average of 8-10 on 2 shared cores (search dominates: one multi-search of
    # 100 queries per step); the bound only catches a run that no longer finishes in reasonable time.
    assert elapsed < 90, f"{elapsed:.1f} s"
