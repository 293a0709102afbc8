"""How good is Opstap's ranking? The one evaluation of matching quality, on synthetic sets grounded in the
official ESCO v1.1.1 occupation profiles (the shipped data, ``domain/reference.py``). Two ways to run it:

    python -m bench.quality [--offers N] [--per-occupation 1] [--distractors 1000] [--out bench/results/quality_profiles.json]
        every official occupation with at least 8 essential skills as an offer, ranked offline by the
        matcher's scoring ("opstap") beside the plain-overlap and IDF baselines of the same run, with and
        without related-skill credit (section "quality over every official occupation profile" below);
    python -m bench.quality --matcher [--candidates 8000] [--offers 120] [--out bench/out/quality.json]
        ``match_candidates`` itself through a temporary Meilisearch, beside brute-force baselines (below).

The generator of the second set (``build_dataset``) is also what tests/integration/test_matching_exact.py uses.

``--matcher``: no database: a Meilisearch server is started in a temporary directory and filled directly with
documents built by ``candidate_document(ProfileFacts(...))`` and ``offer_document(OfferFacts(...))``.

The set (fixed random seed), from the official ESCO v1.1.1 files in ``ESCO_DIR``
(occupationSkillRelations, occupations_en with their ISCO-08 unit group, skills_en):

- **Offers**: ``--offers`` offers over up to 40 occupations that have a sibling in their ISCO unit
  group. Essential skills: a random 4-8 of the occupation's essential skills; optional: up to 10 of its
  optional skills, 2-5 of the remaining essential ones, and 2 of the ``COMMON_SKILLS`` skills most
  occupations ask for.
- **Occupation candidates**: about 30 % of ``--candidates``, from the offers' occupations and their
  unit-group siblings, each holding a random 40-80 % of the occupation's skills plus 0-3 unrelated ones.
- **Distractors**: the rest, each with 3-15 skills drawn uniformly from all 13,896 skills.
- Everyone holds each common skill with probability ``COMMON_SHARE`` (so some skills have thousands of
  holders), and every hard filter is permissive (same place, every language at C2, doctorate, every
  offer type, available now), so only skill fit decides the ranking.

Graded relevance of a candidate for an offer: 2 if the candidate was generated from the offer's
occupation, 1 if from another occupation of the same ISCO-08 unit group, else 0. Skill overlap is
deliberately not used to define relevance, since all three rankers score skill overlap.

Metrics, averaged over offers: nDCG@10 (gain 2^grade - 1, log2 discount, ideal from all
candidates' grades) and recall@10 (same-occupation candidates in the top 10, divided by
min(10, number of same-occupation candidates)). Two brute-force baselines score every candidate in
the same run: plain weighted overlap (essential 2, optional 1) and IDF-weighted overlap (the same
formula as the matcher, ``domain.matching.skill_score``, with rarity counted over all candidates).
Ties are broken by candidate id in all three, as in the matcher (distances are all 0).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from domain import reference
from domain.anonymise import ProfileFacts
from domain.matching import Requirements, distance_km, idf, skill_score
from domain.reference import Occupation, related_map
from domain.services.offers import OfferFacts
from search.client import Search, admin_client, ensure_scoped_keys
from search.documents import candidate_document, offer_document
from search.index_settings import INDEXES, apply_settings, wait_for
from search.matching import match_candidates, skill_counts
from search.server import MeiliServer

DEFAULT_SEED = 20260401
DEFAULT_CANDIDATES = 8000
DEFAULT_OFFERS = 120
DEFAULT_OUT = Path("bench/out/quality.json")
MAX_OCCUPATIONS = 40
MIN_SKILLS = 6
OCCUPATION_SHARE = 0.3  # of --candidates generated from occupations; the rest are distractors
SHARE_RANGE = (0.4, 0.8)  # part of its occupation's skills a candidate holds
COMMON_SKILLS = 6  # the skills most occupations ask for: many candidates hold them, offers ask for some
COMMON_SHARE = 0.35  # chance that a candidate holds each common skill
K = 10
BATCH = 5000
OFFER_TYPES = ["getting_to_know", "paid_traineeship", "work_based_training"]
GENT = (51.0543, 3.7174)


@lru_cache(maxsize=1)
def esco_skills() -> tuple[str, ...]:
    """Every official ESCO v1.1.1 skill URI (the shipped data), sorted."""
    return tuple(sorted(reference.esco_skills()))


def esco_occupations() -> dict[str, Occupation]:
    """Official occupations with their ISCO-08 unit group and essential and optional skills (the shipped data)."""
    return reference.esco_occupations()


@lru_cache(maxsize=1)
def common_skills() -> tuple[str, ...]:
    """The ``COMMON_SKILLS`` skills that the most occupations relate to."""
    counts = Counter(s for o in esco_occupations().values() for s in set(o.essential + o.optional))
    return tuple(uri for uri, _ in counts.most_common(COMMON_SKILLS))


def occupation_group(occupation: Occupation) -> str:
    """The ISCO-08 unit group (4 digits), from the official data."""
    return occupation.isco or ""


def skill_pool(occupation: Occupation) -> list[str]:
    return list(dict.fromkeys(occupation.essential + occupation.optional))


def eligible_occupations() -> list[Occupation]:
    """Occupations with at least ``MIN_SKILLS`` skills, in a stable order."""
    return sorted((o for o in esco_occupations().values() if len(skill_pool(o)) >= MIN_SKILLS), key=lambda o: o.uri)


# --- the synthetic set ----------------------------------------------------------------------

@dataclass
class Dataset:
    candidates: list[ProfileFacts]
    candidate_occupation: dict[int, str | None]  # candidate id -> occupation URI (None: distractor)
    offers: list[OfferFacts]
    offer_occupation: dict[int, str]
    groups: dict[str, str]  # occupation URI -> unit group
    parameters: dict


def permissive_candidate(candidate_id: int, skills: list[str]) -> ProfileFacts:
    return ProfileFacts(
        id=candidate_id, ref=f"E-{candidate_id}", coaching_service_id=1, skills=skills, experience=[],
        education_level="doctorate", education_rank=4, education_field="", diploma_recognition="obtained",
        languages={"nl": 6, "fr": 6, "en": 6, "de": 6}, municipality="Gent", region="flanders",
        lat=GENT[0], lon=GENT[1], max_commute_km=100, available_from_ts=0, days_per_week=5,
        accepted_offer_types=list(OFFER_TYPES), programme="", path="", eligible_programmes=[],
        sector_preferences=[], summary_scrubbed="",
    )


def permissive_offer(offer_id: int, title: str, essential: list[str], optional: list[str]) -> OfferFacts:
    return OfferFacts(
        id=offer_id, organisation_id=1, organisation_name="Evaluation", title=title, type="paid_traineeship",
        status="published", sector="J", municipality="Gent", region="flanders", lat=GENT[0], lon=GENT[1],
        essential=essential, optional=optional, languages={"nl": 3}, education_rank=0, days_per_week=4,
        hours_per_week=30, duration_value=12, duration_unit="weeks", start_from=None, start_until=None,
        places=1, published_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def offer_requirements(occupation: Occupation, rng: random.Random) -> tuple[list[str], list[str]]:
    """Essential: a random subset of the occupation's essential skills; optional: its optional ones
    plus a few of the remaining essential skills."""
    essential_pool = list(occupation.essential)
    n_essential = min(len(essential_pool), rng.randint(4, 8))
    essential = rng.sample(essential_pool, n_essential)
    rest = [s for s in essential_pool if s not in essential]
    optional = [s for s in occupation.optional if s not in essential]
    optional = rng.sample(optional, min(len(optional), 10))
    optional += rng.sample(rest, min(len(rest), rng.randint(2, 5)))
    return essential, optional


def build_dataset(n_candidates: int = DEFAULT_CANDIDATES, n_offers: int = DEFAULT_OFFERS,
                  seed: int = DEFAULT_SEED) -> Dataset:
    rng = random.Random(seed)
    all_skills = list(esco_skills())
    common = list(common_skills())
    occupations = eligible_occupations()
    by_group: dict[str, list[Occupation]] = {}
    for occupation in occupations:
        by_group.setdefault(occupation_group(occupation), []).append(occupation)
    # Offers come from occupations that have a sibling in their ISCO unit group (grade 1 exists).
    with_siblings = [o for o in occupations if len(by_group[occupation_group(o)]) > 1]
    n_occupations = max(1, min(MAX_OCCUPATIONS, n_offers))
    chosen = rng.sample(with_siblings, min(len(with_siblings), n_occupations))
    sources = list({o.uri: o for o in chosen + [s for o in chosen for s in by_group[occupation_group(o)]]}.values())
    groups = {o.uri: occupation_group(o) for o in occupations}

    per_occupation = max(2, round(n_candidates * OCCUPATION_SHARE / len(sources)))
    n_distractors = max(0, n_candidates - per_occupation * len(sources))
    total = per_occupation * len(sources) + n_distractors
    ids = list(range(1, total + 1))
    rng.shuffle(ids)  # ids carry no signal: ties are broken by id
    next_id = iter(ids)

    def with_common(skills: list[str]) -> list[str]:
        return list(dict.fromkeys(skills + [s for s in common if rng.random() < COMMON_SHARE]))

    candidates: list[ProfileFacts] = []
    candidate_occupation: dict[int, str | None] = {}
    for occupation in sources:
        pool = skill_pool(occupation)
        for _ in range(per_occupation):
            share = rng.uniform(*SHARE_RANGE)
            skills = rng.sample(pool, max(1, round(share * len(pool))))
            skills += rng.sample(all_skills, rng.randint(0, 3))  # unrelated ones
            candidate = permissive_candidate(next(next_id), with_common(skills))
            candidates.append(candidate)
            candidate_occupation[candidate.id] = occupation.uri
    for _ in range(n_distractors):
        candidate = permissive_candidate(next(next_id), with_common(rng.sample(all_skills, rng.randint(3, 15))))
        candidates.append(candidate)
        candidate_occupation[candidate.id] = None

    offers: list[OfferFacts] = []
    offer_occupation: dict[int, str] = {}
    for position in range(n_offers):
        occupation = chosen[position % len(chosen)]
        essential, optional = offer_requirements(occupation, rng)
        optional += [s for s in rng.sample(common, 2) if s not in essential and s not in optional]
        offer = permissive_offer(position + 1, occupation.labels.get("en", ""), essential, optional)
        offers.append(offer)
        offer_occupation[offer.id] = occupation.uri

    parameters = {
        "candidates": len(candidates), "occupation_candidates": per_occupation * len(sources),
        "candidates_per_occupation": per_occupation, "distractors": n_distractors,
        "candidate_occupations": len(sources), "offer_occupations": len(chosen), "offers": len(offers),
        "share_of_occupation_skills": list(SHARE_RANGE), "noise_skills": [0, 3], "distractor_skills": [3, 15],
        "common_skills": len(common), "common_share": COMMON_SHARE, "offer_essential": [4, 8],
        "offer_extra_optional": [2, 5], "offer_common_optional": 2,
        "distinct_skills_held": len({s for c in candidates for s in c.skills}),
        "unit_groups": len({groups[o.uri] for o in sources}),
        "source": "official ESCO v1.1.1 as shipped in seed/data/esco.json.gz (domain/reference.py)",
    }
    return Dataset(candidates, candidate_occupation, offers, offer_occupation, groups, parameters)


# --- metrics ----------------------------------------------------------------------------------

def grade(dataset: Dataset, offer_id: int, candidate_id: int) -> int:
    wanted = dataset.offer_occupation[offer_id]
    have = dataset.candidate_occupation.get(candidate_id)
    if have is None:
        return 0
    if have == wanted:
        return 2
    return 1 if dataset.groups[have] == dataset.groups[wanted] else 0


def dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(position + 2) for position, g in enumerate(grades))


def ndcg_at(ranked_grades: list[int], all_grades: list[int], k: int = K) -> float:
    ideal = dcg(sorted(all_grades, reverse=True)[:k])
    return dcg(ranked_grades[:k]) / ideal if ideal > 0 else 0.0


def recall_at(ranked_grades: list[int], all_grades: list[int], k: int = K) -> float:
    relevant = sum(1 for g in all_grades if g == 2)
    if relevant == 0:
        return 0.0
    return sum(1 for g in ranked_grades[:k] if g == 2) / min(k, relevant)


def brute_force(offer: OfferFacts, candidates: list[ProfileFacts], weight: dict[str, float],
                k: int = K) -> list[int]:
    """Score every candidate with ``skill_score``; rounding and tie-break as in the matcher."""
    return [candidate_id for _, candidate_id in brute_force_scored(offer, candidates, weight, k)]


def brute_force_scored(offer: OfferFacts, candidates: list[ProfileFacts], weight: dict[str, float],
                       k: int = K) -> list[tuple[float, int]]:
    """(score, candidate id) of the ``k`` best by ``skill_score`` over every candidate passing the commute,
    ordered as the matcher orders (score, then distance, then id)."""
    requirements = Requirements(tuple(offer.essential), tuple(offer.optional), dict(offer.languages),
                                frozenset(offer.taught))
    wanted = set(offer.essential) | set(offer.optional)
    scored = []
    for candidate in candidates:
        if wanted.isdisjoint(candidate.skills):
            continue  # score 0: never ranked (the matcher only sees candidates with a wanted skill)
        distance = distance_km(offer.lat, offer.lon, candidate.lat, candidate.lon)
        if distance > candidate.max_commute_km:
            continue
        score = round(skill_score(requirements, set(candidate.skills), weight), 4)
        scored.append((-score, round(distance, 1), candidate.id))
    scored.sort()
    return [(-score, candidate_id) for score, _, candidate_id in scored[:k]]


def agreement(matched: list[tuple[float, int]], exact: list[tuple[float, int]]) -> dict:
    """How a ranking compares with the exact one, ties aside: same scores position by position, and
    the same candidates above the score at the cut (at the cut, equal scores may be anyone)."""
    same_scores = [round(s, 4) for s, _ in matched] == [round(s, 4) for s, _ in exact]
    cut = exact[-1][0] if exact else 0.0
    above = {i for s, i in exact if s > cut}
    mine_above = {i for s, i in matched if s > cut}
    tied_ok = len(matched) == len(exact)
    share = len({i for _, i in matched} & {i for _, i in exact}) / len(exact) if exact else 1.0
    return {"exact": same_scores and above == mine_above and tied_ok, "overlap": share}


class _Unweighted(dict):
    def get(self, key, default=None):
        return 1.0


def _mean(values: list[float]) -> float:
    return round(statistics.fmean(values), 4) if values else 0.0


def _paired(a: list[float], b: list[float]) -> dict:
    wins = sum(1 for x, y in zip(a, b, strict=True) if x > y + 1e-9)
    losses = sum(1 for x, y in zip(a, b, strict=True) if x < y - 1e-9)
    return {"wins": wins, "ties": len(a) - wins - losses, "losses": losses,
            "mean_difference": round(statistics.fmean(x - y for x, y in zip(a, b, strict=True)), 4) if a else 0.0}


# --- running it -------------------------------------------------------------------------------

def git_commit() -> str:
    try:
        root = Path(__file__).resolve().parent.parent
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True).stdout
        return commit + ("-dirty" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def index_documents(search: Search, index: str, documents: list[dict]) -> None:
    writer = search.writer
    target = writer.index(search.index_name(index))
    for start in range(0, len(documents), BATCH):
        task = target.add_documents(documents[start:start + BATCH], primary_key=INDEXES[index]["primaryKey"])
        wait_for(writer, task.task_uid, timeout_s=600)


def evaluate(dataset: Dataset, search: Search) -> dict:
    """Rank every offer three ways and score the rankings."""
    counts = Counter(s for c in dataset.candidates for s in set(c.skills))
    counts.update({s: 0 for o in dataset.offers for s in o.essential + o.optional})  # skills nobody holds
    n = len(dataset.candidates)
    idf_weight = {s: idf(df, n) for s, df in counts.items()}
    rankers = ("matcher", "idf_overlap", "weighted_overlap")
    ndcg: dict[str, list[float]] = {r: [] for r in rankers}
    recall: dict[str, list[float]] = {r: [] for r in rankers}
    latencies = []
    same_top10 = 0
    for offer in dataset.offers:
        all_grades = [grade(dataset, offer.id, c.id) for c in dataset.candidates]
        began = time.perf_counter()
        matches = match_candidates(search, offer, limit=K)
        latencies.append((time.perf_counter() - began) * 1000)
        ranked = {
            "matcher": [m.candidate_id for m in matches],
            "idf_overlap": brute_force(offer, dataset.candidates, idf_weight),
            "weighted_overlap": brute_force(offer, dataset.candidates, _Unweighted()),
        }
        same_top10 += ranked["matcher"] == ranked["idf_overlap"]
        for ranker, ids in ranked.items():
            grades = [grade(dataset, offer.id, i) for i in ids]
            ndcg[ranker].append(ndcg_at(grades, all_grades))
            recall[ranker].append(recall_at(grades, all_grades))
    metrics = {r: {"ndcg@10": _mean(ndcg[r]), "recall@10": _mean(recall[r])} for r in rankers}
    latencies.sort()
    return {
        "metrics": metrics,
        "matcher_vs_idf_overlap_ndcg@10": _paired(ndcg["matcher"], ndcg["idf_overlap"]),
        "matcher_vs_weighted_overlap_ndcg@10": _paired(ndcg["matcher"], ndcg["weighted_overlap"]),
        "matcher_top10_identical_to_idf_overlap": same_top10,
        "matcher_latency_ms": {"p50": round(latencies[len(latencies) // 2], 2),
                               "p95": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 2)},
    }


def exactness(dataset: Dataset, search: Search, k: int = 20) -> dict:
    """``match_candidates``' top ``k`` against the brute-force ranking of the same score (IDF counted
    over every candidate), offer by offer, ties aside."""
    counts = Counter(s for c in dataset.candidates for s in set(c.skills))
    counts.update({s: 0 for o in dataset.offers for s in o.essential + o.optional})  # skills nobody holds
    n = len(dataset.candidates)
    weight = {s: idf(df, n) for s, df in counts.items()}
    exact, overlaps, mismatches = 0, [], []
    for offer in dataset.offers:
        matched = [(m.explanation.score, m.candidate_id) for m in match_candidates(search, offer, limit=k)]
        truth = brute_force_scored(offer, dataset.candidates, weight, k)
        verdict = agreement(matched, truth)
        exact += verdict["exact"]
        overlaps.append(verdict["overlap"])
        if not verdict["exact"]:
            mismatches.append({"offer": offer.id, "matcher": matched, "brute_force": truth})
    return {"offers": len(dataset.offers), "exact": exact, "mean_overlap": _mean(overlaps),
            "mismatches": mismatches[:5]}


def run(n_candidates: int = DEFAULT_CANDIDATES, n_offers: int = DEFAULT_OFFERS, seed: int = DEFAULT_SEED,
        out: Path | None = DEFAULT_OUT, verbose: bool = True) -> dict:
    began = time.perf_counter()
    dataset = build_dataset(n_candidates, n_offers, seed)
    with tempfile.TemporaryDirectory(prefix="opstap-eval-") as tmp, MeiliServer(tmp) as server:
        search = Search.from_keys(server.url, ensure_scoped_keys(admin_client(server.url, server.master_key)),
                                  index_prefix=f"eval{uuid.uuid4().hex[:8]}_", timeout=30)
        apply_settings(search.writer, search.index_prefix)
        indexing_began = time.perf_counter()
        index_documents(search, "candidates", [candidate_document(c) for c in dataset.candidates])
        index_documents(search, "offers", [offer_document(o) for o in dataset.offers])
        indexing_s = time.perf_counter() - indexing_began
        results = evaluate(dataset, search)
        results["top20_vs_brute_force"] = exactness(dataset, search)
        rarity_total = skill_counts(search, [])[0]
    report = {
        "kind": "matching quality",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "seed": seed,
        "parameters": dataset.parameters,
        "relevance": "2 = candidate generated from the offer's occupation, 1 = from another occupation of the "
                     "same ISCO-08 unit group, 0 = otherwise; nDCG gain 2^grade-1; recall@10 counts grade 2 "
                     "and divides by min(10, grade-2 candidates)",
        **results,
        "target": {"matcher_ndcg_at_least_idf_overlap":
                   results["metrics"]["matcher"]["ndcg@10"] >= results["metrics"]["idf_overlap"]["ndcg@10"]},
        # The number of candidates the matcher's IDF divides by (from Meilisearch's estimatedTotalHits),
        # next to the true number: they differ when the index caps the hit count (pagination.maxTotalHits).
        "rarity_total_seen_by_matcher": rarity_total,
        "rarity_total_actual": len(dataset.candidates),
        "indexing_s": round(indexing_s, 2),
        "elapsed_s": round(time.perf_counter() - began, 2),
    }
    if out is not None:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2) + "\n")
    if verbose:
        print_table(report, out)
    return report


def print_table(report: dict, out: Path | None) -> None:
    p = report["parameters"]
    print(f"Matching quality: {p['offers']} offers over {p['offer_occupations']} occupations, "
          f"{p['candidates']} candidates ({p['distractors']} distractors), seed {report['seed']}")
    print(f"{'ranker':<20}{'nDCG@10':>10}{'recall@10':>12}")
    for ranker, values in report["metrics"].items():
        print(f"{ranker:<20}{values['ndcg@10']:>10.4f}{values['recall@10']:>12.4f}")
    versus = report["matcher_vs_idf_overlap_ndcg@10"]
    print(f"matcher vs IDF overlap per offer: {versus['wins']} better, {versus['ties']} equal, "
          f"{versus['losses']} worse; target matcher >= IDF: "
          f"{'met' if report['target']['matcher_ndcg_at_least_idf_overlap'] else 'MISSED'}")
    if report["rarity_total_seen_by_matcher"] != report["rarity_total_actual"]:
        print(f"note: the matcher's IDF counts {report['rarity_total_seen_by_matcher']} candidates, "
              f"not {report['rarity_total_actual']} (estimatedTotalHits is capped by pagination.maxTotalHits)")
    if out is not None:
        print(f"Written to {out}")


# --- quality over every official occupation profile (offline: no Meilisearch) --------------------
#
# ``python -m bench.quality`` (the default). Every candidate is scored with the pure scoring of
# ``domain.matching`` (``skill_score``), which is what ``match_candidates`` ranks by once it has retrieved
# candidates ("opstap": IDF rarity, related skills credited with ``MATCHER_RELATED_CREDIT``; that the
# matcher's top is exactly this ranking is ``exactness`` above, tested in tests/integration/test_matching_exact.py).
#
# The set (fixed seed):
#
# - **Offers**: every official occupation with at least 8 essential skills (``--offers N``: a seeded sample of N). Each offer's essential skills are
#   a random 60-100 % of the occupation's essential skills; its optional skills a random half of its optional
#   ones (at most 15).
# - **Candidates**: ``--per-occupation`` per occupation with at least 6 skills, each holding a random 40-80 %
#   of the occupation's essential and optional skills plus 0-3 random "noise" skills; and ``--distractors``
#   candidates with 3-15 skills drawn uniformly from all ESCO skills.
# - Two pools: **exact** (as above) and **granular**: each held skill is, with probability 0.3, replaced by a
#   skill next to it in ESCO (narrower, broader or sibling) when it has one: people describe what they can
#   do at another level of detail than the occupation profile. Related credit can only help where that
#   happens; the exact pool checks that it does not hurt where it does not.
#
# Graded relevance of a candidate for an offer: 2 if generated from the offer's occupation, 1 if from another
# occupation of the same ISCO-08 unit group (ESCO's own ``iscoGroup``), else 0. Metrics, averaged over
# offers: nDCG@10 (gain 2^grade - 1, log2 discount, ideal from all candidates) and recall@10 (own-occupation
# candidates in the top 10 / min(10, their number)). Ties are broken by candidate id.
#
# Candidates are those sharing at least one skill with the offer (as the matcher retrieves them). Rankers, all in the same run: plain overlap (essential 2, optional 1, every skill weighing 1), IDF (the
# matcher's formula: ``skill_score`` with rarity over all candidates), and IDF with related credit c for
# c in {0.25, 0.5}: a missing skill of which the candidate holds a related one counts for c of its weight.

MIN_ESSENTIAL = 8
CREDITS = (0.25, 0.5)
MATCHER_RELATED_CREDIT = 0.0  # the matcher names related skills in its explanation but does not count them
PROFILES_SEED = 20261204
PROFILES_OUT = Path(__file__).resolve().parent / "results" / "quality_profiles.json"


def build_profiles(per_occupation: int, distractors: int, seed: int, granular: bool, n_offers: int):
    rng = random.Random(seed)
    occupations = sorted(esco_occupations().values(), key=lambda o: o.uri)
    all_skills = sorted(esco_skills())
    related = related_map(all_skills)
    related_list = {uri: sorted(values) for uri, values in related.items()}
    offers = []
    eligible = [occ for occ in occupations if len(occ.essential) >= MIN_ESSENTIAL]
    chosen = set(o.uri for o in rng.sample(eligible, min(n_offers or len(eligible), len(eligible))))
    for occ in eligible:
        if occ.uri not in chosen:
            continue
        essential = rng.sample(occ.essential, max(1, round(len(occ.essential) * rng.uniform(0.6, 1.0))))
        optional = rng.sample(occ.optional, min(15, len(occ.optional) // 2))
        offers.append((occ, Requirements(tuple(essential), tuple(optional), {})))
    candidates: list[tuple[str | None, set[str]]] = []  # (source occupation, skills)
    rng_swap = random.Random(seed + 1)
    for occ in occupations:
        pool = list(occ.essential + occ.optional)
        if len(pool) < 6:
            continue
        for _ in range(per_occupation):
            held = rng.sample(pool, max(1, round(len(pool) * rng.uniform(0.4, 0.8))))
            held += rng.sample(all_skills, rng.randint(0, 3))
            if granular:
                held = [rng_swap.choice(related_list[s]) if related_list.get(s) and rng_swap.random() < 0.3 else s
                        for s in held]
            candidates.append((occ.uri, set(held)))
    for _ in range(distractors):
        candidates.append((None, set(rng.sample(all_skills, rng.randint(3, 15)))))
    return offers, candidates, related


def evaluate_profiles(offers, candidates, related) -> dict:
    occupations = esco_occupations()
    frequency = Counter(s for _, skills in candidates for s in skills)
    weight = {s: idf(n, len(candidates)) for s, n in frequency.items()}
    holders: dict[str, list[int]] = defaultdict(list)
    for i, (_, skills) in enumerate(candidates):
        for s in skills:
            holders[s].append(i)
    rankers = {"opstap": dict(weight=weight, credit=MATCHER_RELATED_CREDIT),
               "plain_overlap": dict(weight={}, credit=0.0), "idf": dict(weight=weight, credit=0.0),
               **{f"idf_related_{c}": dict(weight=weight, credit=c) for c in CREDITS}}
    scores: dict[str, dict[str, list[float]]] = {name: {"ndcg": [], "recall": []} for name in rankers}
    sources = Counter(source for source, _ in candidates if source)
    by_isco = defaultdict(set)
    for occ in occupations.values():
        by_isco[occ.isco].add(occ.uri)
    for occ, requirements in offers:
        wanted = requirements.essential + requirements.optional
        reach = {i for s in wanted for i in holders.get(s, ())}  # retrieval: at least one skill in common
        same_group = by_isco[occ.isco]
        grade = {i: 2 if candidates[i][0] == occ.uri else 1 if candidates[i][0] in same_group else 0 for i in reach}
        own = sources[occ.uri]
        group = sum(sources[u] for u in by_isco[occ.isco] if u != occ.uri)
        ideal = dcg(([2] * own + [1] * group)[:K])
        for name, spec in rankers.items():
            scored = sorted((-skill_score(requirements, candidates[i][1], spec["weight"], related, spec["credit"]), i)
                             for i in reach)
            top = [i for score, i in scored[:K] if score < 0]
            grades = [grade[i] for i in top]
            scores[name]["ndcg"].append(dcg(grades) / ideal if ideal else 0.0)
            scores[name]["recall"].append(sum(1 for g in grades if g == 2) / min(K, own) if own else 0.0)
    return {name: {"ndcg@10": round(statistics.fmean(v["ndcg"]), 4), "recall@10": round(statistics.fmean(v["recall"]), 4)}
            for name, v in scores.items()}


def run_profiles(per_occupation: int, distractors: int, seed: int, n_offers: int | None) -> dict:
    started = time.monotonic()
    report = {"kind": "ranking quality over official occupation profiles", "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
              "git_commit": git_commit(), "data": "official ESCO v1.1.1 (seed/data/esco.json.gz)", "seed": seed, "k": K,
              "min_essential_skills": MIN_ESSENTIAL, "eligible_occupations": sum(
                  1 for o in esco_occupations().values() if len(o.essential) >= MIN_ESSENTIAL), "per_occupation": per_occupation, "distractors": distractors,
              "pools": {}}
    for pool in ("exact", "granular"):
        offers, candidates, related = build_profiles(per_occupation, distractors, seed, pool == "granular", n_offers)
        report["offers"], report["candidates"] = len(offers), len(candidates)
        report["pools"][pool] = evaluate_profiles(offers, candidates, related)
    report["seconds"] = round(time.monotonic() - started, 1)
    return report



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.split("\n")[0])
    parser.add_argument("--matcher", action="store_true",
                        help="rank through match_candidates in a temporary Meilisearch (a synthetic set of --candidates)")
    parser.add_argument("--candidates", type=int, default=DEFAULT_CANDIDATES)
    parser.add_argument("--offers", type=int, default=None,
                        help=f"offers (default: every eligible occupation; with --matcher {DEFAULT_OFFERS})")
    parser.add_argument("--per-occupation", type=int, default=1)
    parser.add_argument("--distractors", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.matcher:
        run(args.candidates, args.offers or DEFAULT_OFFERS, args.seed or DEFAULT_SEED, args.out or DEFAULT_OUT)
        return 0
    report = run_profiles(args.per_occupation, args.distractors, args.seed or PROFILES_SEED, args.offers)
    out = args.out or PROFILES_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{report['offers']} offers, {report['candidates']} candidates, {report['seconds']} s; written to {out}")
    print(f"{'pool':10} {'ranker':18} {'nDCG@10':>8} {'recall@10':>9}")
    for pool, rows in report["pools"].items():
        for name, row in rows.items():
            print(f"{pool:10} {name:18} {row['ndcg@10']:8.4f} {row['recall@10']:9.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
