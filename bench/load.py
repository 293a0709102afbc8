"""Load and fault runs (issue 15): a mixed workload against ``opstap run --workers 2`` on PostgreSQL, with locust.

    make load                                # installs locust (the bench extra), then runs the three runs
    .venv/bin/python -m bench.load [--requests 10000] [--users 32] [--workers 2] [--runs steady meilisearch postgresql]
                                   [--out bench/results/load.json]

Everything runs on 127.0.0.1 and stops by itself: a private PostgreSQL cluster (bench/postgres_cluster.py), a
Meilisearch of its own (the app reaches it by MEILI_URL, as several app machines would), ``opstap run --demo
--workers N`` on a free port, and locust headless with bench/locustfile.py (employers, coaches and candidates of the
demo data; about 70% reads). Three runs of ``--requests`` each:

- ``steady``: nothing fails;
- ``meilisearch``: Meilisearch is killed with SIGKILL ``--fault-after`` seconds in (20) and started again 3 s later;
- ``postgresql``: PostgreSQL is stopped ``--fault-after`` seconds in and started again 10 s later.

Per run: requests/s; p50/p95/p99 per endpoint and over all reads; 5xx outside and inside the outage window (from the
fault until the first answer after it that is not a 5xx, plus 2 s); and, once the outbox is empty, the consistency
of the index with the database: every candidate and published offer is in the index as the database would write it
now, and nothing else is (missing, extra, stale). Results go to ``--out`` as JSON with the commit, the core count and
the load average; the previous file at that path, when there is one, is the baseline the run is compared with.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sqlmodel import func, select

from bench.postgres_cluster import PrivatePostgres
from bench.quality import git_commit
from domain.db import make_engine, session_scope
from domain.tables import OutboxEntry
from search.client import Search, admin_client, ensure_scoped_keys
from search.server import MeiliServer, free_port
from search.sync import _all_keys, _documents

ROOT = Path(__file__).resolve().parent.parent
OUTAGE = {"meilisearch": 3.0, "postgresql": 10.0}


def _wait_http(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in time")


def _outbox_empty(engine, deadline: float) -> bool:
    """Whether every index change waiting in the outbox was applied before ``deadline``."""
    while time.monotonic() < deadline:
        with session_scope(engine) as session:
            if not session.exec(select(func.count()).select_from(OutboxEntry)
                                .where(OutboxEntry.done_at == None)).one():  # noqa: E711
                return True
        time.sleep(1)
    return False


def _canonical(value) -> str:
    """A document as comparable text: Meilisearch gives ``_geo`` back with its own number formatting."""
    if isinstance(value, dict):
        value = {k: ({"lat": round(float(v["lat"]), 6), "lng": round(float(v["lng"]), 6)}
                     if k == "_geo" and isinstance(v, dict) else v) for k, v in value.items()}
        if {"lat", "lng"} == set(value):
            value = {k: round(float(v), 6) for k, v in value.items()}
    return json.dumps(value, sort_keys=True, default=str)


def consistency(engine, search: Search) -> dict:
    """Per index: documents the database would write now that the index lacks, holds besides, or holds stale."""
    report = {}
    with session_scope(engine) as session:
        for index in ("candidates", "offers"):
            expected = {str(d["id"]): d for d in _documents(session, index, _all_keys(session, index))[0]}
            actual, offset = {}, 0
            handle = search.writer.index(search.index_name(index))
            while True:
                page = handle.get_documents({"limit": 1000, "offset": offset})
                for document in page.results:
                    body = dict(vars(document)) if hasattr(document, "__dict__") else dict(document)
                    actual[str(body["id"])] = body
                offset += 1000
                if offset >= page.total:
                    break
            same = lambda a, b: _canonical(a) == _canonical(b)  # noqa: E731
            stale = [k for k in sorted(expected.keys() & actual.keys()) if not same(expected[k], actual[k])]
            report[index] = {"expected": len(expected), "missing": len(expected.keys() - actual.keys()),
                             "extra": len(actual.keys() - expected.keys()), "stale": len(stale)}
            if stale:  # which fields differ, in the first stale document
                first_expected, first_actual = expected[stale[0]], actual[stale[0]]
                report[index]["stale_fields"] = sorted(
                    f for f in first_expected.keys() | first_actual.keys()
                    if not same(first_expected.get(f), first_actual.get(f)))
                report[index]["stale_example"] = {f: [first_expected.get(f), first_actual.get(f)]
                                                  for f in report[index]["stale_fields"]}
    return report


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {}
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"count": len(values), "p50_ms": round(pick(0.50), 1), "p95_ms": round(pick(0.95), 1),
            "p99_ms": round(pick(0.99), 1)}


def summarise(lines: list[dict], fault_at: float | None) -> dict:
    start, end = min(r["t"] for r in lines), max(r["t"] for r in lines)
    window = None
    if fault_at is not None:
        recovered = next((r["t"] for r in sorted(lines, key=lambda r: r["t"])
                          if r["t"] > fault_at + 1 and 0 < r["status"] < 500), end)
        window = (fault_at, recovered + 2)
    inside = lambda r: window is not None and window[0] <= r["t"] <= window[1]  # noqa: E731
    by_name: dict[str, list[float]] = {}
    for r in lines:
        by_name.setdefault(r["name"], []).append(r["ms"])
    work = [r for r in lines if not r["name"].endswith(" /login") and not inside(r)]  # signing in is set-up
    reads = [r["ms"] for r in work if r["name"].startswith("GET")]
    writes = [r["ms"] for r in work if r["name"].startswith("POST")]
    errors = [r for r in lines if r["status"] >= 500 or r["status"] == 0]
    return {
        "requests": len(lines), "seconds": round(end - start, 1), "requests_per_s": round(len(lines) / (end - start), 1),
        "reads": _percentiles(reads), "writes": _percentiles(writes),
        "share_of_reads": round(sum(r["name"].startswith("GET") for r in lines) / len(lines), 3),
        "endpoints": {name: _percentiles(ms) for name, ms in sorted(by_name.items())},
        "errors_outside_outage": sum(not inside(r) for r in errors),
        "errors_inside_outage": sum(inside(r) for r in errors),
        "status_503_inside_outage": sum(inside(r) and r["status"] == 503 for r in errors),
        "other_5xx_inside_outage": sum(inside(r) and r["status"] not in (503,) for r in errors),
        "outage_window_s": round(window[1] - window[0], 1) if window else None,
        "mean_ms": round(statistics.fmean(r["ms"] for r in lines), 1),
    }


def run(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="opstap-load-"))
    print(f"app and locust logs in {work}", flush=True)
    postgres = PrivatePostgres()
    meili = MeiliServer(work / "meili", port=free_port()).start()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": postgres.url(), "MEILI_URL": meili.url, "MEILI_API_KEY": meili.master_key,
           "OPSTAP_DATA_DIR": str(work / "app"), "OPSTAP_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    app = subprocess.Popen([sys.executable, "-m", "web.cli", "run", "--demo", "--workers", str(args.workers),
                            "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=open(work / "app.log", "wb"), start_new_session=True)  # noqa: SIM115
    engine = make_engine(postgres.url())
    search = Search.from_keys(meili.url, ensure_scoped_keys(admin_client(meili.url, meili.master_key)))
    results = {}
    try:
        _wait_http(f"http://127.0.0.1:{port}/login", time.monotonic() + 180)
        _outbox_empty(engine, time.monotonic() + 180)
        for name in args.runs:
            log = work / f"{name}.jsonl"
            locust = subprocess.Popen(
                [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                 "-u", str(args.users), "-r", str(args.users), "--host", f"http://127.0.0.1:{port}",
                 "--run-time", f"{args.max_seconds}s", "--only-summary", "--loglevel", "WARNING"],
                env={**env, "OPSTAP_LOAD_LOG": str(log), "OPSTAP_LOAD_REQUESTS": str(args.requests)}, cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=open(work / f"{name}.locust.log", "wb"))  # noqa: SIM115
            fault_at = None
            if name in OUTAGE:
                time.sleep(args.fault_after)
                fault_at = time.time()
                if name == "meilisearch":
                    os.kill(meili.pid, signal.SIGKILL)
                    time.sleep(OUTAGE[name])
                    meili.start()
                else:
                    postgres.stop()
                    time.sleep(OUTAGE[name])
                    postgres.start()
            locust.wait(timeout=args.max_seconds + 60)
            lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
            summary = summarise(lines, fault_at)
            summary["outbox_emptied"] = _outbox_empty(engine, time.monotonic() + 120)
            summary["index_consistency"] = consistency(engine, search)
            results[name] = summary
            print(f"{name}: {summary['requests']} requests, {summary['requests_per_s']}/s, reads p95 "
                  f"{summary['reads'].get('p95_ms')} ms, errors outside/inside outage "
                  f"{summary['errors_outside_outage']}/{summary['errors_inside_outage']}, "
                  f"index {summary['index_consistency']}", flush=True)
    finally:
        os.killpg(app.pid, signal.SIGTERM)
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(app.pid, signal.SIGKILL)
        engine.dispose()
        meili.stop()
        postgres.remove()
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", nargs="+", default=["steady", "meilisearch", "postgresql"],
                        choices=["steady", "meilisearch", "postgresql"])
    parser.add_argument("--fault-after", type=float, default=20.0, help="seconds into a fault run")
    parser.add_argument("--max-seconds", type=int, default=600, help="a run stops after this long in any case")
    parser.add_argument("--out", default="bench/results/load.json")
    args = parser.parse_args(argv)
    out = Path(args.out)
    baseline = json.loads(out.read_text()) if out.exists() else None
    load_before = os.getloadavg()
    runs = run(args)
    result = {"kind": "load and fault runs (issue 15)", "git_commit": git_commit(), "cores": os.cpu_count(),
              "load_average_before": [round(x, 2) for x in load_before],
              "load_average_after": [round(x, 2) for x in os.getloadavg()],
              "database": "PostgreSQL (private cluster)", "app_workers": args.workers, "users": args.users,
              "requests_per_run": args.requests, "runs": runs}
    if baseline:
        result["compared_with_baseline"] = {
            name: {"requests_per_s": [baseline["runs"][name]["requests_per_s"], runs[name]["requests_per_s"]],
                   "reads_p95_ms": [baseline["runs"][name]["reads"].get("p95_ms"), runs[name]["reads"].get("p95_ms")]}
            for name in runs if name in baseline.get("runs", {})}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
