"""Reference data shipped in seed/data (no network)."""

import csv
import json
import math

import pytest

from seed import reference
from seed.build_reference import (
    SUPPLEMENT_FILE,
    build_esco_from_csv,
    haversine_km,
    load_esco_supplement,
    merge_esco_supplement,
    multipolygon_centroid,
)


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


# --------------------------------------------------------------------------
# Hand-curated supplement (seed/data/esco_supplement.json), merged in the
# wheel fallback build
# --------------------------------------------------------------------------


def _supplement():
    return json.loads(SUPPLEMENT_FILE.read_text(encoding="utf-8"))


def _search_skills(term):
    """Skill URIs whose label or alt label, in any language, contains ``term``."""
    term = term.lower()
    return {
        s.uri
        for s in reference.esco_skills().values()
        if any(term in t.lower() for t in (*s.labels.values(), *(a for v in s.alt.values() for a in v)))
    }


def test_supplement_file_shape():
    text = SUPPLEMENT_FILE.read_text(encoding="utf-8")
    sup = json.loads(text)
    # committed pretty-printed and sorted, so diffs stay readable
    assert text == json.dumps(sup, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert "Opstap" in sup["note"] and "ESCO" in sup["note"]
    skill_uris = [s["uri"] for s in sup["skills"]]
    occ_uris = [o["uri"] for o in sup["occupations"]]
    assert skill_uris == sorted(set(skill_uris)) and occ_uris == sorted(set(occ_uris))
    assert len(skill_uris) >= 100 and len(occ_uris) >= 20
    for s in sup["skills"]:
        assert s["uri"].startswith("http://data.europa.eu/esco/skill/")
        assert s["type"] in {"skill", "knowledge"}
        assert all(s["labels"][lang] for lang in ("en", "nl", "fr"))
        assert s["alt"]["nl"] and s["alt"]["fr"]
    for o in sup["occupations"]:
        assert o["uri"].startswith("http://data.europa.eu/esco/occupation/")
        assert o["isco"] is None or (len(o["isco"]) == 4 and o["isco"].isdigit())
        assert all(o["labels"][lang] for lang in ("en", "nl", "fr"))
        assert 5 <= len(o["essential"]) <= 10 and 2 <= len(o["optional"]) <= 5
        assert set(o["essential"] + o["optional"]) <= set(skill_uris)
        assert not set(o["essential"]) & set(o["optional"])
    load_esco_supplement()  # the builder's own checks pass


def test_supplement_skills_present_with_nl_and_fr_labels():
    skills = reference.esco_skills()
    occupations = reference.esco_occupations()
    sup = _supplement()
    for s in sup["skills"]:
        skill = skills[s["uri"]]
        assert skill.labels["en"] == s["labels"]["en"]
        assert skill.label("nl") == s["labels"]["nl"]
        assert skill.label("fr") == s["labels"]["fr"]
        assert set(s["alt"]["nl"]) <= set(skill.alt["nl"])
    for o in sup["occupations"]:
        occ = occupations[o["uri"]]
        assert occ.label("nl") == o["labels"]["nl"] and occ.label("fr") == o["labels"]["fr"]
        assert set(occ.essential) == set(o["essential"])
    # e.g. a Dutch-speaking coach and a French-speaking employer find the same skill
    forklift = _search_skills("heftruck") & _search_skills("chariot élévateur") & _search_skills("forklift")
    assert forklift


def test_nursing_found_in_nl_fr_and_en():
    nl = _search_skills("verpleegkunde")
    fr = _search_skills("soins infirmiers")
    en = _search_skills("nursing")
    assert nl and fr and en
    assert nl & fr & en


def test_supplement_occupation_skills_exist():
    skills = reference.esco_skills()
    occupations = reference.esco_occupations()
    for o in _supplement()["occupations"]:
        occ = occupations[o["uri"]]
        assert occ.essential and occ.optional
        for uri in occ.essential + occ.optional:
            assert uri in skills, (occ.uri, uri)


def test_merge_supplement():
    s_old = "http://data.europa.eu/esco/skill/old"
    s_new = "http://data.europa.eu/esco/skill/new"
    occ = "http://data.europa.eu/esco/occupation/o"
    doc = {
        "source": "wheels",
        "skills": [{"uri": s_old, "type": "unknown", "labels": {"en": "cook"}, "alt": {"en": ["a"]}}],
        "occupations": [],
    }
    sup = {
        "skills": [
            {"uri": s_new, "type": "knowledge", "labels": {"en": "food safety", "nl": "voedselveiligheid",
             "fr": "sécurité alimentaire"}, "alt": {"nl": ["HACCP"], "fr": ["HACCP"]}},
            {"uri": s_old, "type": "skill", "labels": {"en": "cook", "nl": "koken", "fr": "cuisiner"},
             "alt": {"en": ["b", "cook"], "nl": ["kokkerellen"], "fr": ["faire la cuisine"]}},
        ],
        "occupations": [
            {"uri": occ, "isco": "5120", "labels": {"en": "cook", "nl": "kok", "fr": "cuisinier"},
             "alt": {"nl": [], "fr": ["chef"]}, "essential": [s_old], "optional": [s_new]},
        ],
    }  # fmt: skip
    stats = merge_esco_supplement(doc, sup)
    assert stats == {
        "skills_added": 1, "skills_merged": 1, "occupations_added": 1,
        "occupations_merged": 0, "label_conflicts": [],
    }  # fmt: skip
    assert [s["uri"] for s in doc["skills"]] == sorted([s_old, s_new])
    old = next(s for s in doc["skills"] if s["uri"] == s_old)
    assert old == {
        "uri": s_old,
        "type": "skill",
        "labels": {"en": "cook", "nl": "koken", "fr": "cuisiner"},
        "alt": {"en": ["a", "b"], "fr": ["faire la cuisine"], "nl": ["kokkerellen"]},
    }
    [o] = doc["occupations"]
    assert o["essential"] == [s_old] and o["optional"] == [s_new] and o["isco"] == "5120"
    assert o["alt"] == {"fr": ["chef"]}
    assert "esco_supplement.json" in doc["source"]
    # a differing English label is reported, the base label kept
    sup["skills"][1]["labels"]["en"] = "cook food"
    assert merge_esco_supplement(doc, {"skills": [sup["skills"][1]], "occupations": []})["label_conflicts"]
    assert old["labels"]["en"] == "cook"
