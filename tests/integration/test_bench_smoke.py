"""The quality evaluation and the speed benchmark run end to end at tiny sizes (no timing assertions)."""

import json

from bench import quality as evaluate
from bench import speed


def test_quality_evaluation_writes_its_figures(tmp_path):
    out = tmp_path / "quality.json"
    assert evaluate.main(["--matcher", "--candidates", "300", "--offers", "30", "--out", str(out)]) == 0
    report = json.loads(out.read_text())

    assert {"timestamp", "git_commit", "seed", "parameters", "metrics", "target"} <= set(report)
    assert report["seed"] == evaluate.DEFAULT_SEED
    assert report["parameters"]["offers"] == 30
    assert report["parameters"]["candidates"] >= 300
    assert set(report["metrics"]) == {"matcher", "idf_overlap", "weighted_overlap"}
    for figures in report["metrics"].values():
        assert 0.0 <= figures["ndcg@10"] <= 1.0
        assert 0.0 <= figures["recall@10"] <= 1.0
    assert report["metrics"]["matcher"]["ndcg@10"] > 0  # same-occupation candidates are found at all
    versus = report["matcher_vs_idf_overlap_ndcg@10"]
    assert versus["wins"] + versus["ties"] + versus["losses"] == 30


def test_quality_over_occupation_profiles_reports_opstap_beside_the_baselines(tmp_path):
    out = tmp_path / "profiles.json"
    assert evaluate.main(["--offers", "20", "--distractors", "100", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["offers"] == 20 and report["min_essential_skills"] == 8
    assert report["eligible_occupations"] > 2000  # every official occupation with 8 essential skills or more
    for pool in ("exact", "granular"):
        rows = report["pools"][pool]
        assert set(rows) == {"opstap", "plain_overlap", "idf", "idf_related_0.25", "idf_related_0.5"}
        assert rows["opstap"] == rows["idf"]  # the matcher ranks by IDF overlap; related skills are not counted
        for figures in rows.values():
            assert 0.0 <= figures["ndcg@10"] <= 1.0 and 0.0 <= figures["recall@10"] <= 1.0


def test_quality_dataset_is_reproducible():
    first = evaluate.build_dataset(300, 10, seed=7)
    second = evaluate.build_dataset(300, 10, seed=7)
    assert [c.skills for c in first.candidates] == [c.skills for c in second.candidates]
    assert [(o.essential, o.optional) for o in first.offers] == [(o.essential, o.optional) for o in second.offers]


def test_speed_benchmark_writes_its_figures(tmp_path):
    out, baseline = tmp_path / "speed.json", tmp_path / "baseline.json"
    arguments = ["--candidates", "300", "--offers", "30", "--requests", "5", "--bruteforce-offers", "3",
                 "--batch-candidates", "30", "--out", str(out), "--baseline", str(baseline)]
    assert speed.main([*arguments, "--write-baseline"]) == 0
    report = json.loads(out.read_text())

    assert {"timestamp", "git_commit", "parameters", "indexing", "shortlist_http_ms", "match_candidates_ms",
            "bruteforce_ms", "speedup", "targets", "figures"} <= set(report)
    assert report["indexing"]["candidates"]["documents"] == 300
    assert 0 < report["indexing"]["offers"]["documents"] <= 30
    assert report["shortlist_http"]["errors"] == 0 and report["shortlist_http"]["search_unavailable"] == 0
    assert 0 <= report["shortlist_http"]["mean_matches_shown"] <= speed.TOP
    for key in ("shortlist_http_ms", "match_candidates_ms", "bruteforce_ms"):
        assert report[key]["n"] > 0 and 0 < report[key]["p50"] <= report[key]["p95"] <= report[key]["max"]
    assert set(report["targets"]) == {"candidate_reindex_100k_within_30_s", "documents_built_at_least_20000_per_s",
                                      "shortlist_p95_within_30_ms", "top20_agreement_at_least_0_99",
                                      "batch_api_at_least_500_per_s"}
    assert report["batch_api"]["candidates"] == 30  # every row of the batch API saved
    assert report["parameters"]["cpus"] and report["parameters"]["database"] in ("sqlite", "postgresql")
    assert 0.0 <= report["top20_agreement_with_bruteforce"]["true_idf"] <= 1.0
    assert json.loads(baseline.read_text())["figures"] == report["figures"]

    # A second run compares itself with the baseline the first one wrote.
    assert speed.main(arguments) == 0
    changes = json.loads(out.read_text())["baseline_change"]
    assert "match_candidates_p50_ms" in changes and "change_pct" in changes["match_candidates_p50_ms"]
