"""Ranking quality on the official ESCO v1.1.1 data, with and without related-skill credit (issue 10).

    python -m bench.quality_esco [--per-occupation 2] [--distractors 2000] [--seed 20261204]
                                 [--out bench/results/quality_esco.json]

Offline: no database, no Meilisearch. Every candidate is scored with the pure scoring of
``domain.matching`` (``skill_score``), which is what the matcher ranks by once it has retrieved candidates.

The set (fixed seed):

- **Offers**: ``--offers`` official occupations (a seeded sample; all of them with ``--offers 3000``) among
  those with at least 8 essential skills. Each offer's essential skills are
  a random 60-100 % of the occupation's essential skills; its optional skills a random half of its optional
  ones (at most 15).
- **Candidates**: ``--per-occupation`` per occupation with at least 6 skills, each holding a random 40-80 %
  of the occupation's essential and optional skills plus 0-3 random "noise" skills; and ``--distractors``
  candidates with 3-15 skills drawn uniformly from all ESCO skills.
- Two pools: **exact** (as above) and **granular**: each held skill is, with probability 0.3, replaced by a
  skill next to it in ESCO (narrower, broader or sibling) when it has one: people describe what they can
  do at another level of detail than the occupation profile. Related credit can only help where that
  happens; the exact pool checks that it does not hurt where it does not.

Graded relevance of a candidate for an offer: 2 if generated from the offer's occupation, 1 if from another
occupation of the same ISCO-08 unit group (ESCO's own ``iscoGroup``), else 0. Metrics, averaged over
offers: nDCG@10 (gain 2^grade - 1, log2 discount, ideal from all candidates) and recall@10 (own-occupation
candidates in the top 10 / min(10, their number)). Ties are broken by candidate id.

Candidates are those sharing at least one skill with the offer (as the matcher retrieves them). Rankers, all in the same run: plain overlap (essential 2, optional 1, every skill weighing 1), IDF (the
matcher's formula: ``skill_score`` with rarity over all candidates), and IDF with related credit c for
c in {0.25, 0.5}: a missing skill of which the candidate holds a related one counts for c of its weight.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

from domain.matching import Requirements, idf, skill_score
from domain.reference import esco_occupations, esco_skills, related_map

K = 10
DEFAULT_SEED = 20261204
MIN_ESSENTIAL = 8
CREDITS = (0.25, 0.5)
OUT = Path(__file__).resolve().parent / "results" / "quality_esco.json"


def build(per_occupation: int, distractors: int, seed: int, granular: bool, n_offers: int):
    rng = random.Random(seed)
    occupations = sorted(esco_occupations().values(), key=lambda o: o.uri)
    all_skills = sorted(esco_skills())
    related = related_map(all_skills)
    related_list = {uri: sorted(values) for uri, values in related.items()}
    offers = []
    eligible = [occ for occ in occupations if len(occ.essential) >= MIN_ESSENTIAL]
    chosen = set(o.uri for o in rng.sample(eligible, min(n_offers, len(eligible))))
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


def dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def evaluate(offers, candidates, related) -> dict:
    occupations = esco_occupations()
    frequency = Counter(s for _, skills in candidates for s in skills)
    weight = {s: idf(n, len(candidates)) for s, n in frequency.items()}
    holders: dict[str, list[int]] = defaultdict(list)
    for i, (_, skills) in enumerate(candidates):
        for s in skills:
            holders[s].append(i)
    rankers = {"plain_overlap": dict(weight={}, credit=0.0), "idf": dict(weight=weight, credit=0.0),
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


def run(per_occupation: int, distractors: int, seed: int, n_offers: int) -> dict:
    started = time.monotonic()
    report = {"data": "official ESCO v1.1.1 (seed/data/esco.json.gz)", "seed": seed, "k": K,
              "min_essential_skills": MIN_ESSENTIAL, "eligible_occupations": sum(
                  1 for o in esco_occupations().values() if len(o.essential) >= MIN_ESSENTIAL), "per_occupation": per_occupation, "distractors": distractors,
              "pools": {}}
    for pool in ("exact", "granular"):
        offers, candidates, related = build(per_occupation, distractors, seed, pool == "granular", n_offers)
        report["offers"], report["candidates"] = len(offers), len(candidates)
        report["pools"][pool] = evaluate(offers, candidates, related)
    report["seconds"] = round(time.monotonic() - started, 1)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-occupation", type=int, default=2)
    parser.add_argument("--distractors", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--offers", type=int, default=300,
                        help="occupations sampled as offers (all eligible ones: 3000; slow on a shared machine)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    report = run(args.per_occupation, args.distractors, args.seed, args.offers)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{report['offers']} offers, {report['candidates']} candidates, {report['seconds']} s")
    print(f"{'pool':10} {'ranker':18} {'nDCG@10':>8} {'recall@10':>9}")
    for pool, rows in report["pools"].items():
        for name, row in rows.items():
            print(f"{pool:10} {name:18} {row['ndcg@10']:8.4f} {row['recall@10']:9.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
