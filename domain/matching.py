"""How well a candidate fits an offer, and why, in words a coach can check (SPEC §4). Pure.

Skill fit weights each skill by its rarity among candidates (inverse document frequency),
so a rare, specific skill counts for more than one everybody has; essential skills count twice.

Skills the traineeship teaches ("learned here", issue 13) count at a quarter of their weight
(``TAUGHT_FACTOR``): a taught essential skill weighs 2 x 0.25 = 0.5 x IDF, half of an optional one,
so covering the essential skills that are *not* taught still decides the ranking (an untaught essential
skill outweighs a taught one unless the taught one's IDF weight is over 4 times as high), and a
candidate who lacks a taught skill loses little (they will learn it there). A taught skill the candidate
lacks is not "missing": it is on their learning plan (``Explanation.learning_plan``).
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0
ESSENTIAL_WEIGHT = 2.0
OPTIONAL_WEIGHT = 1.0
TAUGHT_FACTOR = 0.25
# A skill whose rarity weight (idf) is at least this is called "rare" on a match card: it counts at
# least twice as much as a skill every candidate holds (weight 1.0).
RARE_SKILL_WEIGHT = 2.0


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
    taught: frozenset[str] = frozenset()  # skills taught during the traineeship ("learned here")


def skill_weight(requirements: Requirements, uri: str, rarity: float, essential: bool) -> float:
    """What holding ``uri`` adds to the score's numerator: kind (essential x2) x rarity x taught factor."""
    factor = ESSENTIAL_WEIGHT if essential else OPTIONAL_WEIGHT
    return factor * rarity * (TAUGHT_FACTOR if uri in requirements.taught else 1.0)


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
    # (missing essential skill, a skill the candidate has next to it in the ESCO hierarchy: narrower,
    # broader or sibling): "related: ..." in the explanation. Not counted in ``score``.
    essential_related: tuple[tuple[str, str], ...] = ()
    # Taught skills the candidate lacks, in the offer's order: "will learn here", never "missing".
    learning_plan: tuple[str, ...] = ()
    # Each offer skill's rarity weight (idf; 1.0 = everybody holds it), before the essential factor:
    # "rare skill, counts x2.3" and "how this is calculated" on the card, explanation.weights in the API.
    weights: tuple[tuple[str, float], ...] = ()
    # The offer's essential skills and its skills learned here (taught during the traineeship; they count
    # TAUGHT_FACTOR of their weight), so "how this is calculated" shows each skill's whole weight.
    essential: tuple[str, ...] = ()
    taught: tuple[str, ...] = ()

    def weight(self, uri: str) -> float:
        return dict(self.weights).get(uri, 1.0)

    @property
    def taught_factor(self) -> float:
        return TAUGHT_FACTOR  # the cards say "a quarter": change their words with it

    def is_rare(self, uri: str) -> bool:
        return self.weight(uri) >= RARE_SKILL_WEIGHT


def related_held(missing: tuple[str, ...], skills: set[str],
                 related: Mapping[str, frozenset[str] | set[str]] | None) -> tuple[tuple[str, str], ...]:
    """For each missing skill, the first (sorted) skill the candidate holds that ESCO places next to it."""
    if not related:
        return ()
    pairs = []
    for uri in missing:
        held = sorted(set(related.get(uri, ())) & skills)
        if held:
            pairs.append((uri, held[0]))
    return tuple(pairs)


def skill_score(requirements: Requirements, skills: set[str], weight: dict[str, float],
                related: Mapping[str, frozenset[str] | set[str]] | None = None, related_credit: float = 0.0) -> float:
    """Weighted share of the offer's skills the candidate has, from 0.0 to 1.0.

    With ``related_credit`` > 0, a missing skill of which the candidate holds a related one (``related``:
    skill -> its narrower, broader and sibling skills) counts for that fraction of its weight."""
    def w(s: str, essential: bool) -> float:
        return skill_weight(requirements, s, weight.get(s, 1.0), essential)

    total = (sum(w(s, True) for s in requirements.essential)
             + sum(w(s, False) for s in requirements.optional))
    if total == 0:
        return 0.0

    def credit(s: str) -> float:
        if s in skills:
            return 1.0
        if related_credit and related and not skills.isdisjoint(related.get(s, ())):
            return related_credit
        return 0.0

    have = (sum(w(s, True) * credit(s) for s in requirements.essential)
            + sum(w(s, False) * credit(s) for s in requirements.optional))
    return have / total


def explain(requirements: Requirements, skills: set[str], languages: dict[str, int], weight: dict[str, float],
            distance: float | None, related: Mapping[str, frozenset[str] | set[str]] | None = None) -> Explanation:
    missing_languages = tuple(sorted(code for code, minimum in requirements.languages.items()
                                     if languages.get(code, 0) < minimum))
    taught = requirements.taught
    essential_missing = tuple(s for s in requirements.essential if s not in skills and s not in taught)
    return Explanation(
        score=round(skill_score(requirements, skills, weight), 4),
        essential_covered=tuple(s for s in requirements.essential if s in skills),
        essential_missing=essential_missing,
        optional_covered=tuple(s for s in requirements.optional if s in skills),
        optional_missing=tuple(s for s in requirements.optional if s not in skills and s not in taught),
        languages_ok=not missing_languages,
        languages_missing=missing_languages,
        distance_km=None if distance is None else round(distance, 1),
        essential_related=related_held(essential_missing, skills, related),
        learning_plan=tuple(s for s in (*requirements.essential, *requirements.optional)
                            if s in taught and s not in skills),
        weights=tuple((s, round(weight.get(s, 1.0), 2)) for s in dict.fromkeys(requirements.essential
                                                                                + requirements.optional)),
        essential=tuple(requirements.essential),
        taught=tuple(s for s in dict.fromkeys(requirements.essential + requirements.optional) if s in taught),
    )
