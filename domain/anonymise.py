"""The anonymised profile: the only view of a candidate that leaves the coach (SPEC §3).

``anonymised_profile`` is THE function that builds what the index and employers see, from an
explicit allow-list. No name, contact, date of birth, age, nationality, origin, arrival date,
address, photo, gender or religion can pass: they are not in the allow-list, and the free-text
summary is scrubbed of the candidate's own names, e-mail addresses, phone numbers and addresses.
"""

import math
import re
from dataclasses import dataclass, field

from domain.origins import origin_spans

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)(\+|00)?\d[\d\s./()-]{6,}\d(?!\w)")
STREET = re.compile(
    r"\b[\w'-]*(straat|laan|lei|weg|plein|steenweg|dreef|kaai|markt|rue|avenue|chaussée|boulevard|place|street|road)"
    r"\s*\d+\w?(\s*(bus|bte|box)\s*\d+)?",
    re.IGNORECASE,
)
# French-style street names put the kind of street first: "Rue Haute 5", "Chaussée de Wavre 10 bte 2".
# The name must start with a capital, so "first place in 3 categories" is left alone.
STREET_PREFIXED = re.compile(
    r"\b(?i:rue|avenue|av\.|chaussée|boulevard|bd|place|square|quai|chemin|allée|impasse|drève|clos)\s+"
    r"(?:(?i:de\s+la|de\s+l'|du|des|de|d')\s*)?[A-ZÀ-Ý][\w'-]*(?:\s+[A-ZÀ-Ý][\w'-]*){0,3}\s+\d+[a-zA-Z]?"
    r"(?:\s*(?i:bus|bte|box)\s*\d+)?"
)
REDACTED = "[…]"


def scrub(text: str, identity_terms: list[str]) -> str:
    """``text`` without e-mail addresses, phone numbers, street addresses, origins and places
    (countries, nationalities, cities: domain/origins.py) and the given terms.

    ``identity_terms`` are the candidate's own names and address words; each is removed as a
    whole word, case-insensitively.
    """
    text = EMAIL.sub(REDACTED, text)
    text = STREET.sub(REDACTED, text)
    text = STREET_PREFIXED.sub(REDACTED, text)
    text = PHONE.sub(REDACTED, text)
    for start, end in reversed(origin_spans(text)):
        text = text[:start] + REDACTED + text[end:]
    for term in sorted({t.strip() for t in identity_terms if len(t.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", REDACTED, text, flags=re.IGNORECASE)
    return text


def identity_terms(given_name: str, family_name: str, email: str, phone: str, address: str) -> list[str]:
    """The words of a candidate's identity that must never appear in a shared text."""
    terms = [given_name, family_name, f"{given_name} {family_name}", email, phone, address]
    terms += given_name.split() + family_name.split()
    terms += [part for part in re.split(r"[,\n]", address) if part.strip()]
    return [t for t in terms if t and t.strip()]


@dataclass(frozen=True)
class ProfileFacts:
    """Everything the anonymised profile may be built from. Identity is not an input here."""

    id: int
    ref: str
    coaching_service_id: int
    skills: list[str]
    experience: list[tuple[str, int]]
    education_level: str
    education_rank: int
    education_field: str
    diploma_recognition: str
    languages: dict[str, int]  # language code -> CEFR rank 1..6
    municipality: str
    region: str
    lat: float
    lon: float
    max_commute_km: int
    available_from_ts: int
    days_per_week: int
    accepted_offer_types: list[str]
    programme: str
    path: str
    eligible_programmes: list[str]
    sector_preferences: list[str]
    summary_scrubbed: str
    extra: dict = field(default_factory=dict)


INDEXED_LANGUAGES = ("nl", "fr", "en", "de")

ALLOWED_FIELDS = (
    "id", "ref", "coaching_service_id", "skill_ids", "experience", "education_level", "education_rank",
    "education_field", "diploma_recognition", "languages", "lang_nl", "lang_fr", "lang_en", "lang_de",
    "municipality", "region", "_geo", "reach_min_lat", "reach_max_lat", "reach_min_lng", "reach_max_lng",
    "max_commute_km", "available_from_ts", "days_per_week",
    "accepted_types", "programme", "path", "eligible_programmes", "sector_preferences", "summary",
)


KM_PER_DEGREE_LAT = 111.32


def reach_box(lat: float, lon: float, km: float) -> dict[str, float]:
    """The box around a candidate's commute circle, so "is the offer within reach" is four cheap
    number comparisons in the index; the exact circle is checked after retrieval."""
    dlat = km / KM_PER_DEGREE_LAT
    dlon = km / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    return {"reach_min_lat": round(lat - dlat, 4), "reach_max_lat": round(lat + dlat, 4),
            "reach_min_lng": round(lon - dlon, 4), "reach_max_lng": round(lon + dlon, 4)}


def anonymised_profile(facts: ProfileFacts) -> dict:
    """The document for the candidates index and employer pages: allow-listed fields only."""
    document = {
        "id": facts.id,
        "ref": facts.ref,
        "coaching_service_id": facts.coaching_service_id,
        "skill_ids": sorted(facts.skills),
        "experience": [{"occupation": uri, "years": years} for uri, years in facts.experience],
        "education_level": facts.education_level,
        "education_rank": facts.education_rank,
        "education_field": facts.education_field,
        "diploma_recognition": facts.diploma_recognition,
        "languages": dict(sorted(facts.languages.items())),
        **{f"lang_{code}": facts.languages.get(code, 0) for code in INDEXED_LANGUAGES},
        "municipality": facts.municipality,
        "region": facts.region,
        "_geo": {"lat": round(facts.lat, 3), "lng": round(facts.lon, 3)},
        **reach_box(facts.lat, facts.lon, facts.max_commute_km),
        "max_commute_km": facts.max_commute_km,
        "available_from_ts": facts.available_from_ts,
        "days_per_week": facts.days_per_week,
        "accepted_types": sorted(facts.accepted_offer_types),
        "programme": facts.programme,
        "path": facts.path,
        "eligible_programmes": sorted(facts.eligible_programmes),
        "sector_preferences": sorted(facts.sector_preferences),
        "summary": facts.summary_scrubbed,
    }
    return document
