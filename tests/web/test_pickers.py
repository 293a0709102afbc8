"""The htmx pickers: ESCO skills and occupations (Meilisearch), occupation first, postcode to municipality."""

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


NURSE = "http://data.europa.eu/esco/occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50"  # nurse responsible for general care
BAKER = "http://data.europa.eu/esco/occupation/1aadb308-432a-4d01-b54b-b4f7f76dd419"
JAVA = "http://data.europa.eu/esco/skill/19a8293b-8e95-4de3-983f-77484079c389"  # Java (computer programming)


@pytest.mark.parametrize("query, uri, shown", [
    ("verpleegkundige", NURSE, "algemeen verpleegkundige"),
    ("infirmier", NURSE, "algemeen verpleegkundige"),
    ("nurse", NURSE, "algemeen verpleegkundige"),
    ("verplegkundige", NURSE, "algemeen verpleegkundige"),  # a typo
    ("bakken", BAKER, "bakker"),
    ("boulanger", BAKER, "bakker"),
    ("baker", BAKER, "bakker"),
])
def test_occupation_picker_finds_every_language_and_typos(employer_client, query, uri, shown):
    employer_client.cookies.set("opstap_lang", "nl")
    response = employer_client.get("/pickers/occupations", params={"occupation_q": query}, headers=HX)
    assert f'?uri={quote(uri, safe="")}' in response.text or f"?uri={quote(uri)}" in response.text
    assert f">{shown}</button>" in response.text  # in the page's language


@pytest.mark.parametrize("query, lang, shown", [
    ("java", "nl", "+ Java (computerprogrammering)"),
    ("programmation informatique", "fr", "+ Java (programmation informatique)"),
    ("Java computer programing", "en", "+ Java (computer programming)"),  # a typo
])
def test_skill_picker_is_multilingual_and_shows_the_group(employer_client, query, lang, shown):
    employer_client.cookies.set("opstap_lang", lang)
    response = employer_client.get("/pickers/skills", params={"skill_q": query}, headers=HX)
    assert f"/pickers/skills/row?uri={quote(JAVA)}" in response.text
    assert shown in response.text
    if lang == "nl":
        assert "· ontwikkeling en analyse van software en toepassingen" in response.text  # its ESCO group


def test_a_skill_without_a_dutch_label_shows_english_marked(employer_client, session):
    employer_client.cookies.set("opstap_lang", "nl")
    response = employer_client.get("/pickers/skills", params={"skill_q": "nursing science"}, headers=HX)
    assert "+ nursing science (EN)" in response.text  # never an invented translation


def test_preferred_label_ranks_above_an_alternative_label(employer_client):
    # "supply chain management" is one skill's preferred label and another's alternative label
    response = employer_client.get("/pickers/skills", params={"skill_q": "supply chain management"}, headers=HX)
    labels = re.findall(r"\+ ([^<]+)</button>", response.text)
    assert labels[0] == "supply chain management" and "manage supplies" in labels


def test_a_chosen_skill_is_not_proposed_or_added_twice(employer_client):
    response = employer_client.get("/pickers/skills", params={"skill_q": "java", "skill": JAVA}, headers=HX)
    assert quote(JAVA) not in response.text
    again = employer_client.get("/pickers/skills/row", params={"uri": JAVA, "skill": JAVA}, headers=HX)
    assert again.status_code == 204 and again.text == ""


def test_choosing_an_occupation_proposes_its_esco_skills(employer_client, session):
    from domain.reference import esco_occupations
    nurse = esco_occupations()[NURSE]
    employer_client.cookies.set("opstap_lang", "nl")
    chosen = employer_client.get("/pickers/occupations/choose", params={"uri": NURSE}, headers=HX)
    ticked = re.findall(r'name="suggested_skill" value="([^"]+)\|1" checked', chosen.text)
    unticked = re.findall(r'name="suggested_skill" value="([^"]+)\|0" >', chosen.text)
    assert set(ticked) == set(nurse.essential) and set(unticked) == set(nurse.optional)
    assert "algemeen verpleegkundige" in chosen.text
    # a candidate's work experience: the same skills, nothing ticked, already chosen skills left out
    row = employer_client.get("/pickers/occupations/choose",
                              params={"uri": NURSE, "row": "experience", "skill": nurse.essential[0]}, headers=HX)
    assert 'checked' not in row.text and 'name="experience_uri"' in row.text
    assert f'value="{nurse.essential[0]}|0"' not in row.text and f'value="{nurse.essential[1]}|0"' in row.text
