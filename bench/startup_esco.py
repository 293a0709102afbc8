"""Start-up time of a fresh ``opstap run`` on an empty database (issue 10), then of a second start.

Usage: python -m bench.startup_esco [--port 8765]. Uses a temporary data directory (SQLite, own Meilisearch).
Reports seconds until the home page answers, and until the ``skills`` and ``occupations`` indexes hold every
ESCO skill and occupation. Bounded: gives up after 120 s.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from domain.reference import esco_occupations, esco_skills
from search.client import admin_client
from search.server import master_key_for, running_url


def _serving(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1) as response:
            return response.status == 200
    except Exception:  # noqa: BLE001
        return False


def _count(data_dir: Path, index: str) -> int:
    try:
        client = admin_client(running_url(data_dir / "meili"), master_key_for(data_dir / "meili"))
        return client.index(index).get_stats().number_of_documents
    except Exception:  # noqa: BLE001
        return -1


def start_once(data_dir: Path, port: int) -> dict:
    want = {"skills": len(esco_skills()), "occupations": len(esco_occupations())}
    env = {**os.environ, "OPSTAP_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "web.cli", "run", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    result: dict = {}
    try:
        while time.monotonic() - started < 120:
            now = round(time.monotonic() - started, 1)
            if "serving_s" not in result and _serving(port):
                result["serving_s"] = now
            if "serving_s" in result:
                for index, n in want.items():
                    if f"{index}_indexed_s" not in result and _count(data_dir, index) == n:
                        result[f"{index}_indexed_s"] = round(time.monotonic() - started, 1)
            if len(result) == 3:
                break
            time.sleep(0.2)
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    result["output"] = [line for line in output.splitlines() if "Loaded" in line or "runs on" in line]
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="opstap-startup-") as tmp:
        first = start_once(Path(tmp), args.port)
        second = start_once(Path(tmp), args.port)
    print(json.dumps({"first_start": first, "second_start": second}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
