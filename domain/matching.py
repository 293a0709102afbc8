"""How well a candidate fits an offer, and why, in words a coach can check (SPEC §4). Pure.

Skill fit weights each skill by its rarity among candidates (inverse document frequency),
so a rare, specific skill counts for more than one everybody has; essential skills count twice.
"""

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0
ESSENTIAL_WEIGHT = 2.0
OPTIONAL_WEIGHT = 1.0


def idf(document_frequency: int, total: int) -> float:
    """Smoothed inverse document frequency: always positive, larger for rarer skills."""
    return math.log((total + 1) / (document_frequency + 1)) + 1.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Requirements:
    essential: tuple[str, ...]
    optional: tuple[str, ...]
    languages: dict[str, int]  # language -> minimum CEFR rank (1 = A1 … 6 = C2)


@dataclass(frozen=True)
class Explanation:
    score: float
    essential_covered: tuple[str, ...]
    essential_missing: tuple[str, ...]
    optional_covered: tuple[str, ...]
    optional_missing: tuple[str, ...]
    languages_ok: bool
    languages_missing: tuple[str, ...]  # languages below the minimum, e.g. ("nl",)
    distance_km: float | None


def skill_score(requirements: Requirements, skills: set[str], weight: dict[str, float]) -> float:
    """Weighted share of the offer's skills the candidate has, from 0.0 to 1.0."""
    total = (sum(ESSENTIAL_WEIGHT * weight.get(s, 1.0) for s in requirements.essential)
             + sum(OPTIONAL_WEIGHT * weight.get(s, 1.0) for s in requirements.optional))
    if total == 0:
        return 0.0
    have = (sum(ESSENTIAL_WEIGHT * weight.get(s, 1.0) for s in requirements.essential if s in skills)
            + sum(OPTIONAL_WEIGHT * weight.get(s, 1.0) for s in requirements.optional if s in skills))
    return have / total


def explain(requirements: Requirements, skills: set[str], languages: dict[str, int], weight: dict[str, float],
            distance: float | None) -> Explanation:
    missing_languages = tuple(sorted(code for code, minimum in requirements.languages.items()
                                     if languages.get(code, 0) < minimum))
    return Explanation(
        score=round(skill_score(requirements, skills, weight), 4),
        essential_covered=tuple(s for s in requirements.essential if s in skills),
        essential_missing=tuple(s for s in requirements.essential if s not in skills),
        optional_covered=tuple(s for s in requirements.optional if s in skills),
        optional_missing=tuple(s for s in requirements.optional if s not in skills),
        languages_ok=not missing_languages,
        languages_missing=missing_languages,
        distance_km=None if distance is None else round(distance, 1),
    )
