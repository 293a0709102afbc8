"""``match_candidates`` and ``match_offers``: hard filters in Meilisearch, ranking by skill fit.

Retrieval never puts skills into ``q`` (Meilisearch reads only its first 10 words). One query
filtered by the hard rules and ``skill_ids IN [...]`` fetches everyone who has any of the skills;
when that fills a whole page (the filters let too many through), one query per skill follows in a
single multi-search, so the holders of every skill, rare ones included, are seen however common the
others are. The union is ranked in the app by IDF-weighted skill fit (``domain.matching``), with skill
rarity from the candidates index's facet counts. Distance is a box test in the index (the box around
each candidate's commute) and the exact circle in the app.
"""

import time
from dataclasses import dataclass

from domain.anonymise import ProfileFacts
from domain.matching import Explanation, Requirements, distance_km, explain, idf
from domain.services.offers import OfferFacts
from search.client import Search
from search.documents import INDEXED_LANGUAGES, timestamp
from seed.reference import related_map

RETRIEVE_LIMIT = 2000
PER_SKILL_LIMIT = 500
RARITY_TTL_SECONDS = 300
CANDIDATE_FIELDS = ["id", "ref", "skill_ids", "languages", "_geo", "max_commute_km"]
OFFER_FIELDS = ["id", "title", "organisation_name", "type", "municipality", "essential_ids", "optional_ids",
                "languages", "_geo"]


class SearchUnavailable(Exception):
    """Meilisearch did not answer; pages say search is temporarily unavailable."""


@dataclass(frozen=True)
class CandidateMatch:
    candidate_id: int
    ref: str
    explanation: Explanation


@dataclass(frozen=True)
class OfferMatch:
    offer_id: int
    title: str
    organisation_name: str
    type: str
    municipality: str
    explanation: Explanation


_rarity_cache: dict[str, tuple[float, int, dict[str, int]]] = {}


def skill_rarity(search: Search) -> tuple[int, dict[str, int]]:
    """(number of candidates, candidates per skill), from facet counts; cached a few minutes per index."""
    name = search.index_name("candidates")
    cached = _rarity_cache.get(name)
    if cached and time.monotonic() - cached[0] < RARITY_TTL_SECONDS:
        return cached[1], cached[2]
    # Every candidate has exactly one days_per_week, so its facet counts add up to the number of
    # candidates (estimatedTotalHits stops counting at maxTotalHits).
    result = search.reader.index(name).search("", {"limit": 0, "facets": ["skill_ids", "days_per_week"]})
    facets = result.get("facetDistribution", {})
    total = sum(facets.get("days_per_week", {}).values())
    counts = facets.get("skill_ids", {})
    _rarity_cache[name] = (time.monotonic(), total, counts)
    return total, counts


def _weights(search: Search, skills: list[str]) -> dict[str, float]:
    try:
        total, counts = skill_rarity(search)
    except Exception as error:  # noqa: BLE001
        raise SearchUnavailable() from error
    return {s: idf(counts.get(s, 0), total) for s in skills}


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _multi_search(search: Search, queries: list[dict]) -> list[dict]:
    try:
        return search.reader.multi_search(queries)["results"]
    except Exception as error:  # noqa: BLE001 - any failure to reach the index means the same to a user
        raise SearchUnavailable() from error


def _retrieve(search: Search, index: str, base: list[str], skills: list[str], fields: list[str]) -> dict:
    """Hits that pass ``base`` and hold any of ``skills``, by id."""
    any_skill = "skill_ids IN [" + ", ".join(_quote(skill) for skill in skills) + "]"
    first = _multi_search(search, [{"indexUid": index, "q": "", "filter": [*base, any_skill],
                                    "limit": RETRIEVE_LIMIT, "attributesToRetrieve": fields}])[0]
    hits = {hit["id"]: hit for hit in first["hits"]}
    if len(hits) >= RETRIEVE_LIMIT:
        queries = [{"indexUid": index, "q": "", "filter": [*base, f"skill_ids = {_quote(skill)}"],
                    "limit": PER_SKILL_LIMIT, "attributesToRetrieve": fields} for skill in skills]
        hits.update({hit["id"]: hit for result in _multi_search(search, queries) for hit in result["hits"]})
    return hits


def candidate_filters(offer: OfferFacts) -> list[str]:
    filters = [f"accepted_types = {_quote(offer.type)}", f"days_per_week >= {offer.days_per_week}",
               f"education_rank >= {offer.education_rank}",
               f"reach_min_lat <= {offer.lat}", f"reach_max_lat >= {offer.lat}",
               f"reach_min_lng <= {offer.lon}", f"reach_max_lng >= {offer.lon}"]
    if offer.start_until:
        filters.append(f"available_from_ts <= {timestamp(offer.start_until)}")
    filters += [f"lang_{code} >= {level}" for code, level in sorted(offer.languages.items())
                if code in INDEXED_LANGUAGES]
    return filters


def match_candidates(search: Search, offer: OfferFacts, limit: int = 20,
                     coaching_service_id: int | None = None) -> list[CandidateMatch]:
    """The best anonymised candidates for ``offer``, each with its explanation, best first."""
    requirements = Requirements(tuple(offer.essential), tuple(offer.optional), dict(offer.languages))
    skills = list(requirements.essential + requirements.optional)
    if not skills:
        return []
    base = candidate_filters(offer)
    if coaching_service_id is not None:
        base.append(f"coaching_service_id = {coaching_service_id}")
    hits = _retrieve(search, search.index_name("candidates"), base, skills, CANDIDATE_FIELDS)
    weight = _weights(search, skills)
    matches = []
    for hit in hits.values():
        distance = distance_km(offer.lat, offer.lon, hit["_geo"]["lat"], hit["_geo"]["lng"])
        if distance > hit["max_commute_km"]:
            continue
        explanation = explain(requirements, set(hit["skill_ids"]), hit["languages"], weight, distance,
                              related_map(requirements.essential))
        matches.append(CandidateMatch(hit["id"], hit["ref"], explanation))
    matches.sort(key=lambda m: (-m.explanation.score, m.explanation.distance_km or 0, m.candidate_id))
    return matches[:limit]


def offer_filters(candidate: ProfileFacts) -> list[str]:
    filters = [f"education_rank <= {candidate.education_rank}", f"days_per_week <= {candidate.days_per_week}",
               f"_geoRadius({candidate.lat}, {candidate.lon}, {candidate.max_commute_km * 1000})"]
    if candidate.accepted_offer_types:
        filters.append("type IN [" + ", ".join(_quote(t) for t in candidate.accepted_offer_types) + "]")
    else:
        filters.append("type IN []")
    if candidate.available_from_ts:
        filters.append(f"(start_until_ts = 0 OR start_until_ts >= {candidate.available_from_ts})")
    filters += [f"lang_{code} <= {candidate.languages.get(code, 0)}" for code in INDEXED_LANGUAGES]
    return filters


def match_offers(search: Search, candidate: ProfileFacts, limit: int = 20) -> list[OfferMatch]:
    """The published offers that fit ``candidate`` best, each with its explanation, best first."""
    if not candidate.skills:
        return []
    hits = _retrieve(search, search.index_name("offers"), offer_filters(candidate), candidate.skills, OFFER_FIELDS)
    offer_skills = sorted({s for hit in hits.values() for s in hit["essential_ids"] + hit["optional_ids"]})
    weight = _weights(search, offer_skills)
    have = set(candidate.skills)
    matches = []
    for hit in hits.values():
        requirements = Requirements(tuple(hit["essential_ids"]), tuple(hit["optional_ids"]),
                                    {k: int(v) for k, v in hit["languages"].items()})
        distance = distance_km(candidate.lat, candidate.lon, hit["_geo"]["lat"], hit["_geo"]["lng"])
        explanation = explain(requirements, have, candidate.languages, weight, distance,
                              related_map(requirements.essential))
        matches.append(OfferMatch(hit["id"], hit["title"], hit["organisation_name"], hit["type"],
                                  hit["municipality"], explanation))
    matches.sort(key=lambda m: (-m.explanation.score, m.explanation.distance_km or 0, m.offer_id))
    return matches[:limit]


def explain_candidates(search: Search | None, offer: OfferFacts, candidates: list[ProfileFacts]) -> dict[int, Explanation]:
    """The explanation of each candidate against ``offer``, from their profiles, as ``match_candidates`` gives it.

    For candidates chosen already (a shortlist): no retrieval, no hard filters. Skill rarity comes
    from the index; when search is down every skill weighs the same and the coach's work still goes out.
    """
    requirements = Requirements(tuple(offer.essential), tuple(offer.optional), dict(offer.languages))
    try:
        weight = _weights(search, list(requirements.essential + requirements.optional)) if search else {}
    except SearchUnavailable:
        weight = {}
    related = related_map(requirements.essential)
    return {c.id: explain(requirements, set(c.skills), c.languages, weight,
                          distance_km(offer.lat, offer.lon, c.lat, c.lon), related) for c in candidates}
