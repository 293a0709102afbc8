"""``match_candidates`` and ``match_offers``: hard filters in Meilisearch, exact ranking by skill fit.

The ranking is exactly the brute-force ranking of ``domain.matching.skill_score`` over everyone who
passes the hard rules (ties aside), at any pool size. Nothing is capped silently:

- **Rarity** (IDF) is the exact number of candidates holding each skill, counted in the candidates
  index by filter (``totalHits`` of ``skill_nums = N``, no facet, no value limit), cached a minute
  per skill in the process.
- **Retrieval is bounded by score** (MaxScore): the offer's skills are taken by contribution
  (essential 2 x IDF, optional 1 x IDF), rarest and heaviest first. Round one fetches everyone who
  passes the filters and holds one of the first skills (as many as an estimated few thousand holders
  allow). Someone who holds none of them scores at most the sum of the other skills' contributions;
  when the 20th best score found is above that, nobody left out can enter the top 20 and we stop
  (almost always after one round trip). Otherwise the next skills follow, excluding those already
  seen (``NOT skill_nums IN [...]``), until the bound holds or every skill is covered.
- **Every answer is complete**: page mode returns the exact ``totalHits``, and the remaining pages
  are fetched when a page falls short; the indexes allow far more hits than any pool holds.

Skills travel as integers (``search.documents.skill_number``); hits carry only what ranking and the
explanation need. Distance is a box test in the index (the box around each candidate's commute) and
the exact circle in the app. Hard filters live in ``candidate_filters`` and ``offer_filters`` only.
"""

import time
from dataclasses import dataclass, field

from domain.anonymise import ALLOWED_FIELDS, ProfileFacts
from domain.match_filters import MatchFilters, page_window, sort_key
from domain.matching import (
    ESSENTIAL_WEIGHT,
    OPTIONAL_WEIGHT,
    TAUGHT_FACTOR,
    Explanation,
    Requirements,
    distance_km,
    explain,
    idf,
    skill_weight,
)
from domain.reference import related_map
from domain.services.offers import OfferFacts
from search.client import Search, multi_search
from search.documents import INDEXED_LANGUAGES, skill_number, timestamp
from search.index_settings import CANDIDATE_DISPLAYED

ROUND_BUDGET = 4000  # holders (before filters) one retrieval round may expect, from the rarity counts
PAGE = 2000  # hits per page when nothing bounds the answer beforehand
MAX_PAGE = 100_000
RARITY_TTL_SECONDS = 60
CANDIDATE_FIELDS = ["id", "ref", "skill_nums", "languages", "_geo", "max_commute_km"]
# The anonymised facts a match card shows: fetched for the shown candidates only, from the allow-list.
FACT_FIELDS = ["id", "experience", "education_level", "education_rank", "education_field", "diploma_recognition",
               "languages", "max_commute_km", "available_from_ts", "days_per_week", "accepted_types",
               "eligible_programmes"]
assert set(FACT_FIELDS) <= set(ALLOWED_FIELDS)
assert set(CANDIDATE_FIELDS + FACT_FIELDS) <= set(CANDIDATE_DISPLAYED)  # a hit holds only displayed fields
OFFER_RANK_FIELDS = ["id", "essential_nums", "optional_nums", "taught_nums", "_geo"]
OFFER_FIELDS = ["id", "title", "organisation_name", "type", "municipality", "essential_ids", "optional_ids",
                "taught_ids", "languages", "_geo", "monthly_pay_eur", "hours_per_week", "days_per_week",
                "duration_value", "duration_unit"]


class SearchUnavailable(Exception):
    """Meilisearch did not answer; pages say search is temporarily unavailable."""


@dataclass(frozen=True)
class CandidateMatch:
    candidate_id: int
    ref: str
    explanation: Explanation
    facts: dict = field(default_factory=dict, compare=False)  # FACT_FIELDS of the anonymised profile


@dataclass(frozen=True)
class CandidatePage:
    matches: list[CandidateMatch]
    next_offset: int | None  # where the next page starts, None on the last


@dataclass(frozen=True)
class OfferSide:
    """The offer's own facts on a candidate's list (issue 13): pay, schedule, duration, languages, what is taught."""

    monthly_pay_eur: int | None
    hours_per_week: int
    days_per_week: int
    duration_value: int
    duration_unit: str
    languages: dict[str, int]  # language -> minimum CEFR rank
    taught: tuple[str, ...]


@dataclass(frozen=True)
class OfferMatch:
    offer_id: int
    title: str
    organisation_name: str
    type: str
    municipality: str
    explanation: Explanation
    offer: OfferSide | None = None


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _search(search: Search, queries: list[dict]) -> list[dict]:
    try:
        return multi_search(search, queries)
    except Exception as error:  # noqa: BLE001 - any failure to reach the index means the same to a user
        raise SearchUnavailable() from error


# --- rarity -------------------------------------------------------------------------------------

_rarity_cache: dict[str, dict[int | None, tuple[float, int]]] = {}


def skill_counts(search: Search, numbers: list[int]) -> tuple[int, dict[int, int]]:
    """(candidates in the index, candidates holding each skill number): exact counts, cached a minute.

    ``totalHits`` in page mode is exhaustive; ``None`` keys the total in the cache.
    """
    name = search.index_name("candidates")
    cache = _rarity_cache.setdefault(name, {})
    now = time.monotonic()
    wanted = [None, *dict.fromkeys(numbers)]
    missing = [n for n in wanted if n not in cache or now - cache[n][0] > RARITY_TTL_SECONDS]
    if missing:
        queries = [{"indexUid": name, "q": "", "page": 1, "hitsPerPage": 0,
                    **({} if n is None else {"filter": f"skill_nums = {n}"})} for n in missing]
        for n, result in zip(missing, _search(search, queries), strict=True):
            cache[n] = (now, result["totalHits"])
    return cache[None][1], {n: cache[n][1] for n in wanted if n is not None}


def forget_rarity(search: Search) -> None:
    """Drop the cached counts of ``search``'s candidates index (tests and benchmarks that refill it)."""
    _rarity_cache.pop(search.index_name("candidates"), None)


def _weights(search: Search, uris: list[str]) -> dict[str, float]:
    """IDF weight of each skill URI."""
    total, counts = skill_counts(search, [skill_number(u) for u in uris])
    return {u: idf(counts[skill_number(u)], total) for u in uris}


# --- retrieval ------------------------------------------------------------------------------------

def _fetch_all(search: Search, index: str, filters: list[str], fields: list[str], expected: int) -> list[dict]:
    """Every hit passing ``filters``: one page sized for ``expected`` hits, more pages when short."""
    per_page = max(100, min(MAX_PAGE, expected + 100))
    query = {"indexUid": index, "q": "", "filter": filters, "attributesToRetrieve": fields, "hitsPerPage": per_page}
    first = _search(search, [{**query, "page": 1}])[0]
    hits = first["hits"]
    if first["totalPages"] > 1:
        rest = _search(search, [{**query, "page": page} for page in range(2, first["totalPages"] + 1)])
        hits += [hit for result in rest for hit in result["hits"]]
    if len(hits) != first["totalHits"]:  # the index changed between pages, or a cap: never rank a part silently
        raise SearchUnavailable(f"got {len(hits)} of {first['totalHits']} hits")
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


def filter_expressions(filters: MatchFilters, offer: OfferFacts) -> list[str]:
    """``domain.match_filters.passes`` as index filters on the candidate documents, so retrieval (and its
    bound) works over the filtered set. Distance: a radius a little wider than asked here; the exact
    circle is checked in ``_best``."""
    expressions = [f"lang_{code} >= {rank}" for code, rank in filters.languages]
    if filters.education_rank is not None:
        expressions.append(f"education_rank >= {filters.education_rank}")
    if filters.max_km is not None:
        expressions.append(f"_geoRadius({offer.lat}, {offer.lon}, {filters.max_km * 1000 + 500})")
    if filters.eligible_for:
        expressions.append(f"eligible_programmes = {_quote(filters.eligible_for)}")
    if filters.available_by:
        expressions.append(f"available_from_ts <= {timestamp(filters.available_by)}")
    if filters.offer_type:
        expressions.append(f"accepted_types = {_quote(filters.offer_type)}")
    return expressions


def _contributions(requirements: Requirements, weight: dict[str, float]) -> dict[int, float]:
    """What holding each skill adds to ``skill_score``'s numerator, by skill number (taught skills at
    ``TAUGHT_FACTOR``, through ``skill_weight``, so the retrieval bound uses the score's own weights)."""
    contribution: dict[int, float] = {}
    for uris, essential in ((requirements.essential, True), (requirements.optional, False)):
        for uri in uris:
            number = skill_number(uri)
            contribution[number] = contribution.get(number, 0.0) + skill_weight(requirements, uri, weight[uri], essential)
    return contribution


def _best(scored: list[tuple[float, dict]], total: float, limit: int, lat: float, lon: float,
          max_km: float | None = None) -> list[tuple]:
    """The ``limit`` best (score, distance, hit) within each candidate's commute (and ``max_km``)."""
    scored.sort(key=lambda entry: -entry[0])
    chosen: list[tuple] = []
    cut = None
    for have, hit in scored:
        score = round(have / total, 4)
        if cut is not None and score < cut:
            break
        distance = distance_km(lat, lon, hit["_geo"]["lat"], hit["_geo"]["lng"])
        if distance > hit["max_commute_km"] or (max_km is not None and distance > max_km):
            continue
        chosen.append((score, round(distance, 1), hit))
        if cut is None and len(chosen) == limit:
            cut = score
    chosen.sort(key=lambda c: (-c[0], c[1], c[2]["id"]))
    return chosen[:limit]


def match_candidates(search: Search, offer: OfferFacts, limit: int = 20,
                     coaching_service_id: int | None = None, filters: MatchFilters | None = None) -> list[CandidateMatch]:
    """The best anonymised candidates for ``offer`` (meeting ``filters``), each with its explanation, best first."""
    filters = filters or MatchFilters()
    requirements = Requirements(tuple(offer.essential), tuple(offer.optional), dict(offer.languages),
                                frozenset(offer.taught))
    uris = list(dict.fromkeys(requirements.essential + requirements.optional))
    if not uris or limit < 1:
        return []
    weight = _weights(search, uris)
    contribution = _contributions(requirements, weight)
    total = sum(contribution.values())
    _, counts = skill_counts(search, list(contribution))
    order = sorted(contribution, key=lambda n: (-contribution[n], counts[n], n))
    base = candidate_filters(offer) + filter_expressions(filters, offer)
    if coaching_service_id is not None:
        base.append(f"coaching_service_id = {coaching_service_id}")
    index = search.index_name("candidates")
    scored: list[tuple[float, dict]] = []
    done = 0
    best: list[tuple] = []
    while done < len(order):
        batch, expected = [order[done]], counts[order[done]]
        while done + len(batch) < len(order) and expected + counts[order[done + len(batch)]] <= ROUND_BUDGET:
            expected += counts[order[done + len(batch)]]
            batch.append(order[done + len(batch)])
        round_filters = [*base, "skill_nums IN [" + ", ".join(map(str, batch)) + "]"]
        if done:
            round_filters.append("NOT skill_nums IN [" + ", ".join(map(str, order[:done])) + "]")
        for hit in _fetch_all(search, index, round_filters, CANDIDATE_FIELDS, expected):
            scored.append((sum(contribution.get(n, 0.0) for n in hit["skill_nums"]), hit))
        done += len(batch)
        best = _best(scored, total, limit, offer.lat, offer.lon, filters.max_km)
        # Whoever holds none of the skills seen so far scores at most the rest of the contributions.
        bound = round((sum(contribution[n] for n in order[done:]) + 1e-9) / total, 4)
        if len(best) == limit and best[-1][0] > bound:
            break
    related = related_map(requirements.essential)
    # The offer's skills and the skills related to its essential ones (for the "related: ..." line).
    by_number = {skill_number(u): u for u in [*uris, *(r for rs in related.values() for r in rs)]}
    matches = []
    for _, distance, hit in best:
        held = {by_number[n] for n in hit["skill_nums"] if n in by_number}
        matches.append(CandidateMatch(hit["id"], hit["ref"],
                                      explain(requirements, held, hit["languages"], weight, distance, related)))
    return matches


def candidate_facts(search: Search, ids: list[int]) -> dict[int, dict]:
    """The anonymised facts (``FACT_FIELDS``) of these candidates, by id."""
    if not ids:
        return {}
    query = {"indexUid": search.index_name("candidates"), "q": "", "filter": f"id IN [{', '.join(map(str, ids))}]",
             "attributesToRetrieve": FACT_FIELDS, "limit": len(ids)}
    return {hit["id"]: hit for hit in _search(search, [query])[0]["hits"]}


def match_candidates_page(search: Search, offer: OfferFacts, filters: MatchFilters,
                          coaching_service_id: int | None = None) -> CandidatePage:
    """One page of ``match_candidates`` under ``filters``, sorted as asked, each match with its facts."""
    wanted, end = page_window(filters)
    ranked = match_candidates(search, offer, limit=wanted, coaching_service_id=coaching_service_id, filters=filters)
    facts = candidate_facts(search, [m.candidate_id for m in ranked])
    ranked = [CandidateMatch(m.candidate_id, m.ref, m.explanation, facts.get(m.candidate_id, {})) for m in ranked]
    if filters.sort != "fit":
        ranked.sort(key=lambda m: sort_key(filters.sort, m.explanation.score, m.explanation.distance_km or 0.0,
                                           m.facts.get("available_from_ts", 0), m.candidate_id))
    shown = ranked[filters.offset:end]
    return CandidatePage(shown, end if len(ranked) > end else None)


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
    """The published offers that fit ``candidate`` best, each with its explanation, best first.

    Each offer's score is a share of its own skills, so no bound by skill applies: every offer that
    passes the filters and asks for one of the candidate's skills is ranked (offers are few beside
    candidates), with integers only; the details of the top ``limit`` follow in a second query.
    """
    if not candidate.skills or limit < 1:
        return []
    mine = sorted({skill_number(u) for u in candidate.skills})
    index = search.index_name("offers")
    filters = [*offer_filters(candidate), "skill_nums IN [" + ", ".join(map(str, mine)) + "]"]
    hits = _fetch_all(search, index, filters, OFFER_RANK_FIELDS, PAGE)
    if not hits:
        return []
    total, counts = skill_counts(search, sorted({n for h in hits for n in h["essential_nums"] + h["optional_nums"]}))
    weight = {n: idf(c, total) for n, c in counts.items()}
    have = set(mine)
    ranked = []
    for hit in hits:
        essential, optional = hit["essential_nums"], hit["optional_nums"]
        taught = set(hit.get("taught_nums", ()))

        def w(n: int, factor: float, taught=taught) -> float:
            return factor * weight[n] * (TAUGHT_FACTOR if n in taught else 1.0)

        whole = sum(w(n, ESSENTIAL_WEIGHT) for n in essential) + sum(w(n, OPTIONAL_WEIGHT) for n in optional)
        held = (sum(w(n, ESSENTIAL_WEIGHT) for n in essential if n in have)
                + sum(w(n, OPTIONAL_WEIGHT) for n in optional if n in have))
        distance = distance_km(candidate.lat, candidate.lon, hit["_geo"]["lat"], hit["_geo"]["lng"])
        ranked.append((round(held / whole, 4) if whole else 0.0, round(distance, 1), hit["id"]))
    ranked.sort(key=lambda r: (-r[0], r[1], r[2]))
    top = ranked[:limit]
    ids = ", ".join(str(r[2]) for r in top)
    details = {hit["id"]: hit for hit in _search(search, [{"indexUid": index, "q": "", "filter": f"id IN [{ids}]",
                                                            "attributesToRetrieve": OFFER_FIELDS,
                                                            "limit": len(top)}])[0]["hits"]}
    held_uris = set(candidate.skills)
    matches = []
    for _, _, offer_id in top:
        hit = details.get(offer_id)
        if hit is None:  # unpublished between the two queries
            continue
        requirements = Requirements(tuple(hit["essential_ids"]), tuple(hit["optional_ids"]),
                                    {k: int(v) for k, v in hit["languages"].items()},
                                    frozenset(hit.get("taught_ids", ())))
        uri_weight = {u: weight[skill_number(u)] for u in requirements.essential + requirements.optional
                      if skill_number(u) in weight}
        distance = distance_km(candidate.lat, candidate.lon, hit["_geo"]["lat"], hit["_geo"]["lng"])
        side = OfferSide(hit.get("monthly_pay_eur"), hit.get("hours_per_week", 0), hit.get("days_per_week", 0),
                         hit.get("duration_value", 0), hit.get("duration_unit", ""), requirements.languages,
                         tuple(hit.get("taught_ids", ())))
        matches.append(OfferMatch(hit["id"], hit["title"], hit["organisation_name"], hit["type"], hit["municipality"],
                                  explain(requirements, held_uris, candidate.languages, uri_weight, distance,
                                          related_map(requirements.essential)), side))
    return matches


def explain_candidates(search: Search | None, offer: OfferFacts, candidates: list[ProfileFacts]) -> dict[int, Explanation]:
    """The explanation of each candidate against ``offer``, from their profiles, as ``match_candidates`` gives it.

    For candidates chosen already (a shortlist): no retrieval, no hard filters. Skill rarity comes
    from the index; when search is down every skill weighs the same and the coach's work still goes out.
    """
    requirements = Requirements(tuple(offer.essential), tuple(offer.optional), dict(offer.languages), frozenset(offer.taught))
    try:
        weight = _weights(search, list(requirements.essential + requirements.optional)) if search else {}
    except SearchUnavailable:
        weight = {}
    related = related_map(requirements.essential)
    return {c.id: explain(requirements, set(c.skills), c.languages, weight,
                          distance_km(offer.lat, offer.lon, c.lat, c.lon), related) for c in candidates}
