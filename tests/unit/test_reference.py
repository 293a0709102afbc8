"""Reference data shipped in seed/data (no network)."""

import math

import pytest

from domain import reference
from seed.build_reference import DEFAULT_ESCO_DIR, haversine_km, main, multipolygon_centroid


def _km(lat1, lon1, lat2, lon2):
    return haversine_km(lat1, lon1, lat2, lon2)


def test_esco_loads():
    skills = reference.esco_skills()
    occupations = reference.esco_occupations()
    assert len(skills) > 500
    assert len(occupations) > 50
    skill = next(iter(skills.values()))
    assert isinstance(skill, reference.Skill)
    assert skill.uri.startswith("http://data.europa.eu/esco/skill/")
    assert skill.label("en")
    assert all(isinstance(v, tuple) for s in skills.values() for v in s.alt.values())


def test_every_occupation_skill_exists():
    skills = reference.esco_skills()
    occupations = reference.esco_occupations()
    assert sum(len(o.essential) for o in occupations.values()) > 0
    for occ in occupations.values():
        assert occ.label("en")
        assert occ.isco is None or occ.isco.isdigit()
        for uri in occ.essential + occ.optional:
            assert uri in skills, (occ.uri, uri)
        assert not set(occ.essential) & set(occ.optional)


def test_labels_fall_back_to_english():
    skill = next(iter(reference.esco_skills().values()))
    assert skill.label("nl") == (skill.labels.get("nl") or skill.labels["en"])
    assert skill.label("xx") == skill.labels["en"]
    occ = next(iter(reference.esco_occupations().values()))
    assert occ.label("fr") == (occ.labels.get("fr") or occ.labels["en"])
    fake = reference.Skill(uri="u", type="skill", labels={"en": "cook", "nl": "koken"}, alt={})
    assert fake.label("nl") == "koken"
    assert fake.label("fr") == "cook"


def test_gent_9000():
    [gent] = reference.places_by_postcode("9000")
    assert gent.nis == "44021"
    assert gent.name("nl") == "Gent"
    assert gent.name("fr") == "Gand"
    assert gent.region == "flanders"
    assert gent.province is not None and gent.province["nl"] == "Oost-Vlaanderen"
    assert _km(gent.lat, gent.lon, 51.05, 3.72) < 10


def test_brussels_1000():
    [brussels] = reference.places_by_postcode("1000")
    assert brussels.region == "brussels"
    assert brussels.province is None
    assert brussels.name("fr") == "Bruxelles"
    assert _km(brussels.lat, brussels.lon, 50.85, 4.35) < 10


def test_unknown_postcode():
    assert reference.places_by_postcode("0000") == []
    assert reference.places_by_postcode("99999") == []


def test_places_shape():
    places = reference.places()
    assert len(places) > 1000
    assert {p.region for p in places} == {"flanders", "brussels", "wallonia"}
    for p in places:
        assert len(p.postcode) == 4 and p.postcode.isdigit()
        assert len(p.nis) == 5 and p.nis.isdigit()
        assert 49.4 < p.lat < 51.6 and 2.5 < p.lon < 6.5
        assert p.municipality["nl"] and p.municipality["fr"]
    # a postcode shared by two municipalities
    assert len(reference.places_by_postcode("1040")) == 2
    # the cached lists are copies
    reference.places().clear()
    assert reference.places()


def test_multipolygon_centroid_square_with_hole():
    square = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    area, lon, lat = multipolygon_centroid([[square, hole]])
    assert area == pytest.approx(12)
    # (16*(2,2) - 4*(1,1)) / 12
    assert (lon, lat) == (pytest.approx(28 / 12), pytest.approx(28 / 12))
    assert math.isclose(
        multipolygon_centroid([[square], [[[10, 0], [12, 0], [12, 2], [10, 2], [10, 0]]]])[0], 20
    )


ESCO_DIR = DEFAULT_ESCO_DIR
NURSE = "http://data.europa.eu/esco/occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50"  # nurse responsible for general care
JAVA = "http://data.europa.eu/esco/skill/19a8293b-8e95-4de3-983f-77484079c389"  # Java (computer programming)
PROGRAMMING = "http://data.europa.eu/esco/skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97"  # computer programming


def test_the_whole_official_classification_is_shipped():
    skills = reference.esco_skills()
    occupations = reference.esco_occupations()
    assert len(skills) == 13_896 and len(occupations) == 3_007
    assert all(o.labels.get("nl") and o.labels.get("fr") for o in occupations.values())
    assert sum(1 for s in skills.values() if s.labels.get("nl")) == 2_218  # ESCO's Dutch collections only
    assert sum(1 for s in skills.values() if s.labels.get("fr")) > 13_000
    nurse = occupations[NURSE]
    assert nurse.labels["nl"] == "algemeen verpleegkundige" and nurse.isco == "2221"
    assert len(nurse.essential) == 88 and nurse.optional
    assert sum(len(o.essential) + len(o.optional) for o in occupations.values()) == 123_855 - 67


def test_missing_translation_is_english_never_invented():
    skill = next(s for s in reference.esco_skills().values() if "nl" not in s.labels)
    assert skill.label("nl") == skill.labels["en"]
    java = reference.esco_skills()[JAVA]
    assert java.labels["nl"] == "Java (computerprogrammering)"
    assert java.alt["nl"] == ("Java Posse", "Javax")  # the collections' " | " lists are split


def test_skill_group_and_related_skills():
    assert reference.skill_group(JAVA).labels["nl"] == "ontwikkeling en analyse van software en toepassingen"
    related = reference.related_skills(JAVA)
    assert related["broader"] == (PROGRAMMING,)
    assert JAVA in reference.related_skills(PROGRAMMING)["narrower"]
    python = next(s.uri for s in reference.esco_skills().values() if s.labels["en"] == "Python (computer programming)")
    assert python in related["sibling"] and JAVA not in related["sibling"]


def test_build_is_deterministic_and_matches_the_shipped_file(tmp_path):
    if not ESCO_DIR.is_dir():
        pytest.fail(f"the ESCO data folder {ESCO_DIR} is missing")
    (tmp_path / "SOURCE.md").write_text((reference.DATA_DIR / "SOURCE.md").read_text(encoding="utf-8"))
    assert main(["--esco-dir", str(ESCO_DIR), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "esco.json.gz").read_bytes() == reference.ESCO_FILE.read_bytes()
    assert (tmp_path / "SOURCE.md").read_text() == (reference.DATA_DIR / "SOURCE.md").read_text()


def test_search_labels_in_three_languages():
    def find(term):
        term = term.lower()
        return {s.uri for s in reference.esco_skills().values()
                if any(term in t.lower() for t in (*s.labels.values(), *(a for v in s.alt.values() for a in v)))}
    assert JAVA in find("computerprogrammering") & find("programmation informatique") & find("java")


@pytest.mark.parametrize("french, dutch, postcode", [
    ("Bruxelles", "Brussel", "1000"), ("Anvers", "Antwerpen", "2000"), ("Gand", "Gent", "9000"),
    ("Louvain", "Leuven", "3000"), ("Malines", "Mechelen", "2800"), ("Courtrai", "Kortrijk", "8500"),
])
def test_places_are_typed_in_dutch_or_french(french, dutch, postcode):
    from domain.places import locate, place_names
    for typed in (french, dutch, french.upper(), f"{postcode} {dutch}"):
        found = locate(typed, "nl")
        assert found is not None and (found.postcode, found.municipality) == (postcode, dutch), typed
    assert locate(dutch, "fr").municipality == french
    assert place_names(french) == place_names(dutch) == [dutch, french]
    assert locate("Atlantis") is None and locate("1") is None and locate("90000") is None and locate("") is None
