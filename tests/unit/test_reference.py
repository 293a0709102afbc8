"""Reference data shipped in seed/data (no network)."""

import csv
import math

import pytest

from seed import reference
from seed.build_reference import build_esco_from_csv, haversine_km, multipolygon_centroid


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


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_build_from_official_csv_layout(tmp_path):
    s1, s2 = "http://data.europa.eu/esco/skill/1", "http://data.europa.eu/esco/skill/2"
    occ = "http://data.europa.eu/esco/occupation/1"
    _write(
        tmp_path / "skills_en.csv",
        [
            {"conceptUri": s1, "skillType": "skill/competence", "preferredLabel": "cook",
             "altLabels": "prepare food\ncook", "status": "released"},
            {"conceptUri": s2, "skillType": "knowledge", "preferredLabel": "food safety",
             "altLabels": "", "status": "released"},
        ],
    )  # fmt: skip
    _write(
        tmp_path / "skills_nl.csv",
        [{"conceptUri": s1, "preferredLabel": "koken", "altLabels": "eten bereiden"}],
    )
    _write(
        tmp_path / "ISCOGroups_en.csv",
        [{"conceptUri": "http://data.europa.eu/esco/isco/C5120", "code": "5120"}],
    )
    _write(
        tmp_path / "occupations_en.csv",
        [{"conceptUri": occ, "iscoGroup": "5120", "preferredLabel": "cook", "altLabels": "chef"}],
    )
    _write(
        tmp_path / "occupationSkillRelations_en.csv",
        [
            {"occupationUri": occ, "relationType": "essential", "skillUri": s1},
            {"occupationUri": occ, "relationType": "optional", "skillUri": s2},
            {"occupationUri": occ, "relationType": "optional", "skillUri": "http://x/unknown"},
        ],
    )
    doc, stats = build_esco_from_csv(tmp_path)
    assert stats["dropped_relations"] == 1
    [cook, safety] = doc["skills"]
    assert cook == {
        "uri": s1,
        "type": "skill",
        "labels": {"en": "cook", "nl": "koken"},
        "alt": {"en": ["prepare food"], "nl": ["eten bereiden"]},
    }
    assert safety["type"] == "knowledge" and safety["alt"] == {}
    [o] = doc["occupations"]
    assert o["isco"] == "5120"
    assert o["essential"] == [s1] and o["optional"] == [s2]
    assert o["alt"] == {"en": ["chef"]}
