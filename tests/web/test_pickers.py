"""The htmx pickers: ESCO skills (Meilisearch) and occupations (database), postcode to municipality."""

import re
from urllib.parse import quote

import pytest
from sqlmodel import select

from domain.tables import Occupation, Skill

HX = {"HX-Request": "true"}


@pytest.fixture
def skill(session) -> Skill:
    """A skill with a two-word English label, found in the database."""
    for row in session.exec(select(Skill).order_by(Skill.uri)).all():
        if len(row.labels.get("en", "").split()) >= 3:
            return row
    pytest.fail("no multi-word skill in the database")


def test_skill_picker_finds_a_skill_by_its_label(employer_client, skill):
    label = skill.labels["en"]
    response = employer_client.get("/pickers/skills", params={"skill_q": label}, headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<ul id="skill-results"')
    assert label in response.text
    assert f"/pickers/skills/row?uri={quote(skill.uri)}" in response.text  # choosing it adds this skill


def test_skill_picker_forgives_case_and_typos(employer_client, skill):
    words = skill.labels["en"].split()
    last = words[-1]
    query = f"{words[0].upper()} {last[:2] + last[3:]}"  # any case, and a letter left out
    response = employer_client.get("/pickers/skills", params={"skill_q": query}, headers=HX)
    assert skill.labels["en"] in response.text


def test_skill_picker_says_when_nothing_matches(employer_client):
    response = employer_client.get("/pickers/skills", params={"skill_q": "qqqzzzxxx"}, headers=HX)
    assert response.status_code == 200
    assert "No skill found for “qqqzzzxxx”." in response.text
    assert "<li><button" not in response.text


def test_skill_picker_limits_the_results(employer_client):
    response = employer_client.get("/pickers/skills", params={"skill_q": "e"}, headers=HX)
    assert 1 <= response.text.count("<li><button") <= 10


def test_skill_picker_with_an_empty_query_returns_an_empty_list(employer_client):
    response = employer_client.get("/pickers/skills", params={"skill_q": ""}, headers=HX)
    assert response.status_code == 200
    assert "<li" not in response.text


def test_skill_picker_escapes_the_query(employer_client):
    response = employer_client.get("/pickers/skills", params={"skill_q": "<img src=x onerror=alert(1)>"},
                                   headers=HX)
    assert "<img src=x" not in response.text


def test_chosen_skill_row(employer_client, skill):
    response = employer_client.get("/pickers/skills/row", params={"uri": skill.uri}, headers=HX)
    assert response.status_code == 200
    assert f'<input type="hidden" name="skill" value="{skill.uri}">' in response.text
    assert skill.labels["en"] in response.text
    assert re.search(r'<option value="1"\s+selected', response.text)  # essential by default


def test_chosen_skill_row_for_an_unknown_uri_adds_nothing(employer_client):
    response = employer_client.get("/pickers/skills/row", params={"uri": "http://example.org/nope"}, headers=HX)
    assert response.status_code == 204
    assert response.text == ""


def test_occupation_picker(employer_client, session):
    occupation = session.exec(select(Occupation).order_by(Occupation.uri)).first()
    label = occupation.labels["en"]
    response = employer_client.get("/pickers/occupations", params={"occupation_q": label}, headers=HX)
    assert response.status_code == 200
    assert label in response.text and "<html" not in response.text

    chosen = employer_client.get("/pickers/occupations/choose", params={"uri": occupation.uri}, headers=HX)
    assert chosen.status_code == 200
    assert f'name="occupation_uri" value="{occupation.uri}"' in chosen.text
    assert label in chosen.text


@pytest.mark.parametrize("postcode,municipality", [("9000", "Gent"), ("2000", "Antwerpen"), ("8000", "Brugge")])
def test_postcode_lookup_shows_the_municipality(employer_client, postcode, municipality):
    response = employer_client.get("/pickers/postcode", params={"postcode": postcode}, headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert re.search(rf'<p id="postcode-place"[^>]*>\s*{municipality}\s*</p>', response.text)


def test_postcode_lookup_of_an_unknown_postcode_shows_nothing(employer_client):
    response = employer_client.get("/pickers/postcode", params={"postcode": "9999"}, headers=HX)
    assert response.status_code == 200
    assert re.search(r'<p id="postcode-place"[^>]*>\s*</p>', response.text)


def test_postcode_lookup_in_french(employer_client):
    employer_client.cookies.set("opstap_lang", "fr")
    response = employer_client.get("/pickers/postcode", params={"postcode": "1000"}, headers=HX)
    assert "Bruxelles" in response.text


@pytest.mark.parametrize("path", ["/pickers/skills?skill_q=data", "/pickers/postcode?postcode=9000",
                                  "/pickers/occupations?occupation_q=nurse", "/pickers/skills/row?uri={skill}",
                                  "/pickers/occupations/choose?uri={occupation}"])
def test_pickers_opened_without_htmx_do_not_crash(employer_client, session, path):
    """A picker URL opened directly (or on htmx history restore) renders without the form's context."""
    skill = session.exec(select(Skill.uri).order_by(Skill.uri)).first()
    occupation = session.exec(select(Occupation.uri).order_by(Occupation.uri)).first()
    path = path.format(skill=quote(skill, safe=""), occupation=quote(occupation, safe=""))
    response = employer_client.get(path)
    assert response.status_code != 500, f"GET {path} without HX-Request answers 500 (UndefinedError)"


@pytest.mark.parametrize("query, lang", [
    ("nursing", "en"),
    ("verpleegkunde", "nl"),
    ("soins infirmiers", "fr"),
    ("verplegkunde", "en"),  # a typo, from an English page
])
def test_skill_picker_is_multilingual(employer_client, session, query, lang):
    nursing = next(s for s in session.exec(select(Skill)).all() if s.labels.get("en") == "nursing science")
    employer_client.cookies.set("opstap_lang", lang)
    response = employer_client.get("/pickers/skills", params={"skill_q": query}, headers=HX)
    assert f"/pickers/skills/row?uri={quote(nursing.uri)}" in response.text
    assert f"+ {nursing.labels[lang]}" in response.text  # shown in the page's language
