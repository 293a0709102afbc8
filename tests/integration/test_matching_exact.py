"""The shortlist is exactly the brute-force ranking of the same score, at a size where every old cap bites.

Data from the official ESCO v1.1.1 relations (``bench.quality.build_dataset``): candidates hold part
of an occupation's skills plus unrelated ones, a few skills most occupations share are held by about a
third of everyone, and distractors draw from all 13,896 skills. The matcher's own round budget and
page size are made small here so that multi-round retrieval and paging run too.
"""

from collections import Counter
from dataclasses import replace

import pytest

from bench import quality as evaluate
from domain.match_filters import parse_filters, passes
from domain.matching import distance_km, idf
from search import matching
from search.documents import candidate_document, skill_number


@pytest.fixture(scope="module")
def dataset():
    data = evaluate.build_dataset(n_candidates=6000, n_offers=24, seed=11)
    # Offers whose best candidates hold no rare skill: the rarest skills come first in retrieval, so
    # the top 20 is only right if the matcher goes on until its bound proves nobody is left out.
    holders = Counter(s for c in data.candidates for s in set(c.skills))
    rare = [s for s, n in sorted(holders.items(), key=lambda item: (item[1], item[0])) if n >= 25][:6]
    common = list(evaluate.common_skills())
    for position in range(3):
        data.offers.append(evaluate.permissive_offer(1000 + position, "Common skills first", common[position:position + 4],
                                                     rare[2 * position:2 * position + 2]))
    # Issue 13: offers that teach some of their skills ("learned here"), which then count at TAUGHT_FACTOR:
    # their contributions, the order of retrieval and the bound then differ from the untaught offers.
    for position in range(3):
        offer = data.offers[position]
        taught = [*offer.essential[:2], *offer.optional[:1]]
        data.offers.append(replace(offer, id=2000 + position, title="Teaches some of its skills", taught=taught))
    common_first = data.offers[-4]  # rare optional skills taught: common essential ones decide
    data.offers.append(replace(common_first, id=2003, taught=list(common_first.optional)))
    return data


def test_skill_numbers_are_unique_over_every_official_esco_skill():
    skills = evaluate.esco_skills()
    assert len(skills) == 13896
    assert len({skill_number(uri) for uri in skills}) == len(skills)
    assert all(0 < skill_number(uri) < 2 ** 53 for uri in skills[:100])


def test_the_top_20_equals_brute_force_where_every_cap_bites(dataset, search, monkeypatch):
    holders = Counter(s for c in dataset.candidates for s in set(c.skills))
    asked = {s for o in dataset.offers for s in o.essential + o.optional}
    # More holders of an asked-for skill than Meilisearch's default maxTotalHits (1,000) and than the
    # old retrieval limit (2,000); more distinct skills than the old maxValuesPerFacet (10,000).
    assert max(holders[s] for s in asked) > 2000
    assert len(holders) > 10000
    evaluate.index_documents(search, "candidates", [candidate_document(c) for c in dataset.candidates])

    monkeypatch.setattr(matching, "ROUND_BUDGET", 300)
    monkeypatch.setattr(matching, "MAX_PAGE", 400)
    result = evaluate.exactness(dataset, search, k=20)
    assert result["mismatches"] == []
    assert result["exact"] == result["offers"] == 31


def test_the_matcher_counts_rarity_exactly(dataset, search):
    evaluate.index_documents(search, "candidates", [candidate_document(c) for c in dataset.candidates[:3000]])
    holders = Counter(s for c in dataset.candidates[:3000] for s in set(c.skills))
    common = list(evaluate.common_skills())
    total, counts = matching.skill_counts(search, [skill_number(s) for s in common])
    assert total == 3000
    assert [counts[skill_number(s)] for s in common] == [holders[s] for s in common]


def test_the_top_20_stays_exact_over_a_filtered_set(dataset, search, monkeypatch):
    """Filters run inside retrieval: the top 20 among those who pass them equals brute force over them."""
    varied = [replace(c, languages={"nl": 1 + i % 6, "fr": 1 + (i // 6) % 6, "en": 6, "de": 6},
                      eligible_programmes=["level_at_work"] if i % 3 == 0 else [],
                      education_rank=i % 5, lat=round(c.lat + (i % 7) * 0.05, 3), lon=round(c.lon, 3))
              for i, c in enumerate(dataset.candidates)]
    evaluate.index_documents(search, "candidates", [candidate_document(c) for c in varied])
    monkeypatch.setattr(matching, "ROUND_BUDGET", 300)
    monkeypatch.setattr(matching, "MAX_PAGE", 400)
    counts = Counter(s for c in varied for s in set(c.skills))
    counts.update({s: 0 for o in dataset.offers for s in o.essential + o.optional})
    weight = {s: idf(df, len(varied)) for s, df in counts.items()}
    documents = {c.id: candidate_document(c) for c in varied}
    cases = [parse_filters({"language": ["nl:B2"]}),
             parse_filters({"language": ["nl:B1", "fr:B2"], "eligible_for": ["level_at_work"]}),
             parse_filters({"education_min": ["master"], "max_km": ["12"]})]
    for filters in cases:
        for offer in dataset.offers[:8] + dataset.offers[-3:]:
            kept = [c for c in varied  # the offer's own hard rules (languages, education), then the filters
                    if all(c.languages.get(code, 0) >= level for code, level in offer.languages.items())
                    and c.education_rank >= offer.education_rank
                    and passes(filters, documents[c.id], distance_km(offer.lat, offer.lon, c.lat, c.lon))]
            truth = evaluate.brute_force_scored(offer, kept, weight, 20)
            matched = [(m.explanation.score, m.candidate_id)
                       for m in matching.match_candidates(search, offer, limit=20, filters=filters)]
            assert kept and len(kept) < len(varied)
            assert evaluate.agreement(matched, truth)["exact"], (filters, offer.id, matched, truth)
