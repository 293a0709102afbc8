"""How fast is matching at scale? Indexing, the shortlist page over HTTP, and ``match_candidates``,
against a brute-force SQL + Python matcher over the same data, in the same run.

    python -m bench.speed [--candidates 100000] [--offers 10000] [--requests 200] [--bruteforce-offers 20]
                          [--database-url URL] [--data-dir DIR] [--out bench/out/speed.json]
                          [--baseline bench/baseline.json] [--write-baseline]

1. Migrates a fresh database (SQLite in a temporary data directory unless ``--database-url``), loads
   ESCO, and bulk-inserts ESCO-grounded candidates (identity with fake names, skills, languages,
   experience) and offers (skills, languages) straight into the real tables.
2. Starts Meilisearch on ``DATA_DIR/meili`` and rebuilds the indexes with ``search.sync.reindex``,
   timing each index (target: candidates in under 60 s for 100k).
3. Starts the real app (``opstap run``, a separate process so client and server do not share a GIL)
   on the same data directory, so it reuses the running Meilisearch; logs in as the employer of
   each sampled offer (CSRF token from the login page) and times ``GET /offers/{id}/matches`` (the
   top 20 with explanations) for random published offers.
4. Times ``match_candidates`` in-process for the same offers, and a brute-force matcher for the
   first ``--bruteforce-offers`` of them: SQL loads the candidates passing the hard filters and
   their skills, Python scores them with the same IDF formula (rarity counted once beforehand, as
   the matcher caches it). A second SQL matcher that loads only the rows of the offer's skills is
   timed too, as a stronger baseline. Also reports how far the top 20s agree.
5. Writes JSON; compares with ``bench/baseline.json`` when present (``--write-baseline`` replaces it).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path

from sqlalchemy import Engine, and_, exists, func, insert, select, text

from bench.quality import eligible_occupations, git_commit, skill_pool
from domain.accounts import Role
from domain.candidates import MAX_COMMUTE_KM
from domain.db import make_engine, session_scope
from domain.matching import Requirements, distance_km, explain, idf, skill_score
from domain.migrate import upgrade
from domain.offers import CEFR_LEVELS, CEFR_RANK, EDUCATION_RANK, EducationLevel
from domain.reference import esco_occupations as reference_occupations
from domain.reference import esco_skills, places
from domain.services.accounts import create_user
from domain.services.api_tokens import create_token_for_email
from domain.services.candidates import profile_facts
from domain.services.offers import OfferFacts, offer_facts
from domain.services.reference import load_esco
from domain.tables import (
    Candidate,
    CandidateExperience,
    CandidateIdentity,
    CandidateLanguage,
    CandidateSkill,
    Offer,
    OfferLanguage,
    OfferSkill,
    Organisation,
)
from search.client import Search, admin_client, ensure_scoped_keys
from search.documents import INDEXED_LANGUAGES
from search.index_settings import apply_settings
from search.matching import match_candidates, match_offers, skill_counts
from search.server import MeiliServer, free_port
from search.sync import _candidate_batches as candidate_batches
from search.sync import reindex

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path("bench/out/speed.json")
DEFAULT_BASELINE = Path("bench/baseline.json")
DEFAULT_SEED = 20260401
PASSWORD = "opstap-bench-2026"
CHUNK = 5000
TOP = 20
OFFERS_PER_EMPLOYER = 20
COACHING_SERVICES = 20
OFFER_TYPES = ("getting_to_know", "paid_traineeship", "work_based_training")
LEVELS = list(EducationLevel)
GIVEN = ["Amal", "Yusuf", "Olena", "Mariam", "Ahmad", "Fatima", "Dawit", "Sara", "Omar", "Hanna", "Ali", "Nour",
         "Tesfay", "Leyla", "Mehmet", "Iryna", "Samir", "Aisha", "Bilal", "Zainab", "Mustafa", "Rahel", "Karim"]
FAMILY = ["Haddad", "Yilmaz", "Kovalenko", "Ahmadi", "Tesfaye", "Hussein", "Mohammadi", "Abdi", "Kaya",
          "Shevchenko", "Rahimi", "Bakr", "Mengistu", "Demir", "Hassan", "Nasser", "Petrenko", "Karimi"]
NATIONALITIES = ["SY", "AF", "UA", "ER", "SO", "TR", "IQ", "MA", "CD", "PS", "IR", "GN"]
MOTHER_TONGUES = ["ar", "uk", "ti", "so", "tr", "fa", "ru", "es"]
SECTORS = ["C", "F", "G", "H", "I", "J", "M", "N", "P", "Q", "S"]


# --- synthetic data, bulk-inserted -------------------------------------------------------------

def _level(rng: random.Random, low: int = 0) -> str:
    return CEFR_LEVELS[rng.randint(low, len(CEFR_LEVELS) - 1)]


def _offer_languages(rng: random.Random) -> dict[str, str]:
    r = rng.random()
    if r < 0.55:
        return {"nl": rng.choice(["A2", "B1"])}
    if r < 0.75:
        return {"fr": "B1"}
    if r < 0.85:
        return {"nl": "A2", "fr": "A2"}
    if r < 0.92:
        return {"en": "B2"}
    return {}


@dataclass
class Generated:
    candidates: int
    offers: int
    published: int
    employer_ids: list[int]
    candidate_skill_rows: int
    offer_skill_rows: int
    seconds: float


def _insert(connection, table, rows: list[dict]) -> None:
    if rows:
        connection.execute(insert(table.__table__), rows)


def generate(engine: Engine, n_candidates: int, n_offers: int, seed: int) -> Generated:
    """Bulk-insert organisations, candidates and offers (explicit ids; chunks of ``CHUNK``)."""
    began = time.perf_counter()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    today = now.date()
    all_skills = sorted(esco_skills())  # the reference data in the database (skill rows are foreign keys)
    known = set(all_skills)
    in_database = set(reference_occupations())
    occupations = [o for o in eligible_occupations()
                   if o.uri in in_database and len([s for s in skill_pool(o) if s in known]) >= 4]
    where = [p for p in places() if p.region in ("flanders", "brussels")]

    n_employers = max(1, -(-n_offers // OFFERS_PER_EMPLOYER))
    organisations = []
    for i in range(1, COACHING_SERVICES + n_employers + 1):
        place = rng.choice(where)
        coaching = i <= COACHING_SERVICES
        organisations.append(dict(
            id=i, kind="coaching_service" if coaching else "employer",
            name=f"{'Coaching service' if coaching else 'Employer'} {i:05d}", sector="" if coaching else rng.choice(SECTORS),
            postcode=place.postcode, municipality=place.name("nl"), region=place.region, size="10-49",
            workplace_languages=["nl"], engagement_statement="", in_directory=True, created_at=now))
    employer_ids = [o["id"] for o in organisations if o["kind"] == "employer"]
    with engine.begin() as connection:
        _insert(connection, Organisation, organisations)

    # Four characters hold 923,521 references; a larger pool gets five, as the product's do when short ones collide.
    length = 4 if n_candidates <= 31 ** 4 // 2 else 5
    refs = rng.sample(range(31 ** length), n_candidates)
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    candidate_skill_rows = 0
    for start in range(0, n_candidates, CHUNK):
        candidates, identities, skills, languages, experience = [], [], [], [], []
        for candidate_id in range(start + 1, min(start + CHUNK, n_candidates) + 1):
            place = rng.choice(where)
            code, ref = refs[candidate_id - 1], ""
            for _ in range(length):
                code, digit = divmod(code, 31)
                ref += alphabet[digit]
            accepted = [t for t in OFFER_TYPES if rng.random() < 0.8] or [rng.choice(OFFER_TYPES)]
            available = None if rng.random() < 0.2 else today + timedelta(days=rng.randint(-60, 60))
            candidates.append(dict(
                id=candidate_id, ref=f"K-{ref}", coaching_service_id=rng.randint(1, COACHING_SERVICES), coach_id=None,
                education_level=rng.choices(LEVELS, weights=[20, 40, 25, 13, 2])[0], education_field="",
                diploma_recognition=rng.choice(["obtained", "pending", "not_requested"]), postcode=place.postcode,
                municipality=place.name("nl"), region=place.region, lat=place.lat, lon=place.lon,
                max_commute_km=rng.choice([10, 15, 20, 25, 30, 40, 50, 60]), available_from=available,
                days_per_week=rng.randint(3, 5), accepted_offer_types=accepted, programme="", path="",
                sector_preferences=[], summary="", summary_scrubbed="", created_at=now, updated_at=now,
                erased_at=None))
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            identities.append(dict(
                candidate_id=candidate_id, given_name=given, family_name=family,
                email=f"{given}.{family}.{candidate_id}@example.org".lower(), phone=f"+32 470 {candidate_id:06d}",
                date_of_birth=date(rng.randint(1965, 2005), rng.randint(1, 12), rng.randint(1, 28)),
                nationality=rng.choice(NATIONALITIES), country_of_origin=rng.choice(NATIONALITIES),
                arrival_date=today - timedelta(days=rng.randint(100, 2000)),
                address=f"Teststraat {rng.randint(1, 200)}, {place.postcode} {place.name('nl')}"))
            occupation = rng.choice(occupations)
            pool = [s for s in skill_pool(occupation) if s in known]
            chosen = set(rng.sample(pool, min(len(pool), rng.randint(4, 12))))
            chosen.update(rng.sample(all_skills, rng.randint(0, 2)))
            skills += [dict(candidate_id=candidate_id, skill_uri=uri) for uri in chosen]
            spoken = {rng.choice(MOTHER_TONGUES): "C2"}
            for code, chance in (("nl", 0.75), ("fr", 0.45), ("en", 0.5)):
                if rng.random() < chance:
                    spoken[code] = _level(rng)
            languages += [dict(candidate_id=candidate_id, language=code, level=level) for code, level in spoken.items()]
            experience.append(dict(candidate_id=candidate_id, occupation_uri=occupation.uri, years=rng.randint(0, 15)))
        candidate_skill_rows += len(skills)
        with engine.begin() as connection:
            _insert(connection, Candidate, candidates)
            _insert(connection, CandidateIdentity, identities)
            _insert(connection, CandidateSkill, skills)
            _insert(connection, CandidateLanguage, languages)
            _insert(connection, CandidateExperience, experience)

    published = offer_skill_rows = 0
    for start in range(0, n_offers, CHUNK):
        offers, offer_skills, offer_languages = [], [], []
        for offer_id in range(start + 1, min(start + CHUNK, n_offers) + 1):
            place = rng.choice(where)
            occupation = rng.choice(occupations)
            offer_type = rng.choice(OFFER_TYPES)
            status = "published" if rng.random() < 0.9 else "draft"
            published += status == "published"
            start_until = None if rng.random() < 0.3 else today + timedelta(days=rng.randint(30, 180))
            offers.append(dict(
                id=offer_id, organisation_id=rng.choice(employer_ids), created_by=None, type=offer_type,
                status=status, title=f"Trainee {occupation.label('en')}", description="Learn the job with a mentor.",
                occupation_uri=occupation.uri, duration_value=rng.randint(4, 26), duration_unit="weeks",
                education_min=rng.choices(LEVELS[:3], weights=[50, 35, 15])[0], field_of_study="",
                postcode=place.postcode, municipality=place.name("nl"), region=place.region, lat=place.lat,
                lon=place.lon, remote_days=0, days_per_week=rng.randint(3, 5), hours_per_week=rng.randint(20, 38),
                start_from=today + timedelta(days=rng.randint(0, 30)), start_until=start_until,
                places=rng.randint(1, 3), sector=rng.choice(SECTORS), accessibility_notes="",
                monthly_pay_eur=1800 if offer_type == "paid_traineeship" else None,
                followup_contract_months=6 if offer_type == "work_based_training" else None,
                followup_open_ended=False, created_at=now, updated_at=now,
                published_at=now if status == "published" else None))
            usable = [s for s in occupation.essential if s in known]
            essential = rng.sample(usable, min(len(usable), rng.randint(3, 8)))
            rest = [s for s in skill_pool(occupation) if s not in essential and s in known]
            optional = rng.sample(rest, min(len(rest), rng.randint(0, 4)))
            offer_skills += [dict(offer_id=offer_id, skill_uri=uri, essential=True, position=i)
                             for i, uri in enumerate(essential)]
            offer_skills += [dict(offer_id=offer_id, skill_uri=uri, essential=False, position=len(essential) + i)
                             for i, uri in enumerate(optional)]
            offer_languages += [dict(offer_id=offer_id, language=code, min_level=level)
                                for code, level in _offer_languages(rng).items()]
        offer_skill_rows += len(offer_skills)
        with engine.begin() as connection:
            _insert(connection, Offer, offers)
            _insert(connection, OfferSkill, offer_skills)
            _insert(connection, OfferLanguage, offer_languages)

    if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        with engine.begin() as connection:
            for table in ("organisation", "candidate", "offer", "candidateexperience"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
    return Generated(n_candidates, n_offers, published, employer_ids, candidate_skill_rows, offer_skill_rows,
                     time.perf_counter() - began)


# --- the brute-force matchers --------------------------------------------------------------------

def corpus_rarity(engine: Engine) -> tuple[int, dict[str, int]]:
    """(live candidates, candidates per skill), counted in SQL."""
    c, cs = Candidate.__table__, CandidateSkill.__table__
    with engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(c).where(c.c.erased_at.is_(None))).scalar_one()
        rows = connection.execute(select(cs.c.skill_uri, func.count()).join(c, c.c.id == cs.c.candidate_id)
                                  .where(c.c.erased_at.is_(None)).group_by(cs.c.skill_uri)).all()
    return total, {uri: count for uri, count in rows}


def _hard_filters(offer: OfferFacts) -> list:
    """The matcher's hard filters that SQL can apply; the type and exact distances are checked in Python."""
    c, cl = Candidate.__table__, CandidateLanguage.__table__
    radius_deg = MAX_COMMUTE_KM / 111.0
    lon_deg = radius_deg / max(0.2, math.cos(math.radians(offer.lat)))
    clauses = [c.c.erased_at.is_(None), c.c.days_per_week >= offer.days_per_week,
               c.c.education_level.in_([level for level, rank in EDUCATION_RANK.items() if rank >= offer.education_rank]),
               c.c.lat.between(offer.lat - radius_deg, offer.lat + radius_deg),
               c.c.lon.between(offer.lon - lon_deg, offer.lon + lon_deg)]
    if offer.start_until:
        clauses.append((c.c.available_from.is_(None)) | (c.c.available_from <= offer.start_until))
    for code, minimum in sorted(offer.languages.items()):
        if code in INDEXED_LANGUAGES:
            ok = [level for level, rank in CEFR_RANK.items() if rank >= minimum]
            clauses.append(exists().where(and_(cl.c.candidate_id == c.c.id, cl.c.language == code,
                                               cl.c.level.in_(ok))))
    return clauses


def _rank(offer: OfferFacts, people: dict[int, tuple], skills: dict[int, set[str]], weight: dict[str, float],
          engine: Engine) -> list[tuple[int, float]]:
    """Score every candidate passing the filters; explain the top ``TOP`` (as the matcher does)."""
    requirements = Requirements(tuple(offer.essential), tuple(offer.optional), dict(offer.languages))
    scored = []
    for candidate_id, (lat, lon, commute, accepted) in people.items():
        have = skills.get(candidate_id)
        if not have or offer.type not in accepted:
            continue
        distance = distance_km(offer.lat, offer.lon, lat, lon)
        if distance > commute or distance > MAX_COMMUTE_KM:
            continue
        score = round(skill_score(requirements, have, weight), 4)
        if score > 0:
            scored.append((-score, round(distance, 1), candidate_id))
    scored.sort()
    top = scored[:TOP]
    cl = CandidateLanguage.__table__
    with engine.connect() as connection:
        rows = connection.execute(select(cl.c.candidate_id, cl.c.language, cl.c.level)
                                  .where(cl.c.candidate_id.in_([i for _, _, i in top]))).all()
    spoken: dict[int, dict[str, int]] = defaultdict(dict)
    for candidate_id, code, level in rows:
        spoken[candidate_id][code] = CEFR_RANK[level]
    for _, distance, candidate_id in top:
        explain(requirements, skills[candidate_id], spoken[candidate_id], weight, distance)
    return [(candidate_id, -score) for score, _, candidate_id in top]


def brute_force(engine: Engine, offer: OfferFacts, weight: dict[str, float]) -> list[tuple[int, float]]:
    """SQL loads every candidate passing the hard filters and all their skills; Python scores them."""
    c, cs = Candidate.__table__, CandidateSkill.__table__
    filters = _hard_filters(offer)
    with engine.connect() as connection:
        people = {row[0]: tuple(row[1:]) for row in connection.execute(
            select(c.c.id, c.c.lat, c.c.lon, c.c.max_commute_km, c.c.accepted_offer_types).where(*filters))}
        skills: dict[int, set[str]] = defaultdict(set)
        for candidate_id, uri in connection.execute(
                select(cs.c.candidate_id, cs.c.skill_uri).join(c, c.c.id == cs.c.candidate_id).where(*filters)):
            skills[candidate_id].add(uri)
    return _rank(offer, people, skills, weight, engine)


def sql_skill_filtered(engine: Engine, offer: OfferFacts, weight: dict[str, float]) -> list[tuple[int, float]]:
    """A stronger SQL baseline: one query, only the rows of the offer's skills (uses the skill_uri index)."""
    c, cs = Candidate.__table__, CandidateSkill.__table__
    wanted = list(dict.fromkeys(offer.essential + offer.optional))
    people: dict[int, tuple] = {}
    skills: dict[int, set[str]] = defaultdict(set)
    with engine.connect() as connection:
        for candidate_id, uri, lat, lon, commute, accepted in connection.execute(
                select(cs.c.candidate_id, cs.c.skill_uri, c.c.lat, c.c.lon, c.c.max_commute_km, c.c.accepted_offer_types)
                .join(c, c.c.id == cs.c.candidate_id).where(cs.c.skill_uri.in_(wanted), *_hard_filters(offer))):
            people[candidate_id] = (lat, lon, commute, accepted)
            skills[candidate_id].add(uri)
    return _rank(offer, people, skills, weight, engine)


# --- the app over HTTP ------------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
SESSION_COOKIE = "opstap_session"


class Browser:
    """A keep-alive HTTP/1.1 connection; a session cookie per signed-in employer."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, cookie: str | None = None, form: dict | None = None):
        headers = {"Accept-Encoding": "identity"}
        body = None
        if cookie:
            headers["Cookie"] = f"{SESSION_COOKIE}={cookie}"
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        jar = SimpleCookie()
        for header in response.headers.get_all("set-cookie") or []:
            jar.load(header)
        new_cookie = jar[SESSION_COOKIE].value if SESSION_COOKIE in jar else None
        return response.status, data.decode("utf-8", "replace"), new_cookie

    def log_in(self, email: str, password: str) -> str:
        status, page, cookie = self.request("GET", "/login")
        match = CSRF_RE.search(page)
        if status != 200 or not match or not cookie:
            raise RuntimeError(f"login page: HTTP {status}")
        status, _, signed_in = self.request("POST", "/login", cookie,
                                            {"email": email, "password": password, "csrf_token": match.group(1)})
        if status != 303 or not signed_in:
            raise RuntimeError(f"login as {email}: HTTP {status}")
        return signed_in

    def close(self) -> None:
        self.connection.close()


def start_app(data_dir: Path, database_url: str, port: int, timeout: float = 120.0,
              workers: int = 1) -> subprocess.Popen:
    """``opstap run`` on ``data_dir`` (so it finds the running Meilisearch); its log goes to ``app.log``."""
    env = dict(os.environ, OPSTAP_DATA_DIR=str(data_dir), DATABASE_URL=database_url,
               OPSTAP_SECRET_KEY=secrets.token_urlsafe(48), MEILI_URL="", MEILI_API_KEY="")
    log = data_dir / "app.log"
    with log.open("ab") as sink:
        process = subprocess.Popen([sys.executable, "-m", "web.cli", "run", "--host", "127.0.0.1", "--port", str(port),
                                    "--workers", str(workers)],
                                   cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=sink, stderr=sink)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return process
        except OSError:
            time.sleep(0.1)
    stop_app(process)
    raise RuntimeError(f"the app did not start in time: {log.read_text()[-2000:]}")


def stop_app(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- figures ------------------------------------------------------------------------------------------

def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    return {"n": len(values), "p50": round(statistics.median(ordered), 2), "p95": pick(0.95),
            "mean": round(statistics.fmean(ordered), 2), "max": round(ordered[-1], 2)}


def _timed(function: Callable, *args) -> tuple[float, object]:
    began = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - began) * 1000, result


def _overlap(a: list[int], b: list[int]) -> float:
    if not a and not b:
        return 1.0
    return len(set(a) & set(b)) / max(len(a), len(b))


def _quiet(label: str, total: int):
    return lambda done: None


def compare_with_baseline(report: dict, baseline_path: Path) -> dict | None:
    if not baseline_path.exists():
        return None
    baseline = json.loads(baseline_path.read_text())
    old, new = baseline.get("figures", {}), report["figures"]
    changes = {}
    print(f"Change against {baseline_path} ({baseline.get('timestamp', '?')}, {baseline.get('git_commit', '?')[:12]}):")
    for key, value in new.items():
        if key in old and isinstance(value, int | float) and isinstance(old[key], int | float):
            change = None if old[key] == 0 else round(100 * (value - old[key]) / old[key], 1)
            changes[key] = {"baseline": old[key], "now": value, "change_pct": change}
            print(f"  {key:<36}{old[key]:>12}{value:>12}   {'' if change is None else f'{change:+.1f} %'}")
    return changes


API_BATCH = 1000


def batch_api_rate(engine: Engine, port: int, n: int, rng: random.Random) -> dict:
    """Register ``n`` candidates through ``POST /api/v1/candidates/batch`` (1,000 a request) as a coach."""
    with session_scope(engine) as session:
        create_user(session, email="bench-coach@example.be", role=Role.COACH, organisation_name="Coaching service 00001",
                    password=PASSWORD, name="Bench coach")
    with session_scope(engine) as session:
        token = create_token_for_email(session, "bench-coach@example.be", "bench")
    skills = sorted(esco_skills())
    postcodes = [p.postcode for p in places() if p.region in ("flanders", "brussels")]
    bodies = []
    for start in range(0, n, API_BATCH):
        rows = [{"identity": {"given_name": rng.choice(GIVEN), "family_name": rng.choice(FAMILY),
                              "email": f"batch.{start + i}@example.org"},
                 "profile": {"skills": [{"uri": uri} for uri in rng.sample(skills, 8)], "languages": [{"code": "nl", "level": "B1"}],
                             "education_level": "bachelor", "postcode": rng.choice(postcodes), "max_commute_km": 30,
                             "available_from": "2026-12-01", "days_per_week": 5,
                             "accepted_offer_types": ["paid_traineeship"], "summary": "Ten years in the trade."}}
                for i in range(min(API_BATCH, n - start))]
        bodies.append(json.dumps({"candidates": rows}))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    created = 0
    t0 = time.perf_counter()
    for body in bodies:
        connection.request("POST", "/api/v1/candidates/batch", body=body,
                           headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                    "Accept-Encoding": "identity"})
        response = connection.getresponse()
        answer = json.loads(response.read())
        if response.status != 200 or answer["errors"]:
            raise RuntimeError(f"batch API: HTTP {response.status}: {str(answer)[:500]}")
        created += len(answer["created"])
    seconds = time.perf_counter() - t0
    connection.close()
    return {"candidates": created, "seconds": round(seconds, 2), "candidates_per_s": round(created / seconds)}


def run(n_candidates: int = 100_000, n_offers: int = 10_000, n_requests: int = 200, n_bruteforce: int = 20,
        seed: int = DEFAULT_SEED, database_url: str | None = None, data_dir: Path | None = None,
        out: Path | None = DEFAULT_OUT, baseline: Path | None = DEFAULT_BASELINE, write_baseline: bool = False,
        verbose: bool = True, workers: int = 1, n_batch: int = 5000, machine_note: str = "") -> dict:
    say = print if verbose else (lambda *a, **k: None)
    began = time.perf_counter()
    own_dir = data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="opstap-bench-")) if own_dir else Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    database_url = database_url or f"sqlite:///{data_dir / 'opstap.sqlite3'}"
    engine = make_engine(database_url)
    server = app = None
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            load_esco(session)
        with engine.connect() as connection:
            if connection.execute(select(func.count()).select_from(Candidate.__table__)).scalar_one():
                raise SystemExit("the database has candidates already: give an empty database")
        say(f"Generating {n_candidates} candidates and {n_offers} offers into {engine.dialect.name} ...")
        generated = generate(engine, n_candidates, n_offers, seed)
        say(f"  inserted in {generated.seconds:.1f} s ({generated.candidate_skill_rows} candidate skills)")

        server = MeiliServer(data_dir / "meili").start()
        search = Search.from_keys(server.url, ensure_scoped_keys(admin_client(server.url, server.master_key)),
                                  timeout=60)
        apply_settings(search.writer)
        indexing = {}
        for index in ("candidates", "offers", "skills", "employers"):
            t0 = time.perf_counter()
            counts = reindex(engine, search, indexes=(index,), progress=_quiet)
            indexing[index] = {"documents": counts[index], "seconds": round(time.perf_counter() - t0, 2)}
            say(f"  reindex {index}: {counts[index]} documents in {indexing[index]['seconds']} s")
        # How much of the candidate reindex is reading the database and building documents (a second pass):
        t0 = time.perf_counter()
        for _ in candidate_batches(engine, 2000):
            pass
        build_s = round(time.perf_counter() - t0, 2)

        rng = random.Random(seed + 1)
        with engine.connect() as connection:
            published = connection.execute(select(Offer.__table__.c.id, Offer.__table__.c.organisation_id)
                                           .where(Offer.__table__.c.status == "published")
                                           .order_by(Offer.__table__.c.id)).all()
        sample = [rng.choice(published) for _ in range(n_requests)]
        warm = [rng.choice(published) for _ in range(min(10, len(published)))]
        with session_scope(engine) as session:
            facts = offer_facts(session, sorted({o for o, _ in sample + warm}))
            for organisation_id in sorted({org for _, org in sample + warm}):
                create_user(session, email=f"bench-employer-{organisation_id}@example.be", role=Role.EMPLOYER,
                            organisation_name=f"Employer {organisation_id:05d}", password=PASSWORD,
                            name=f"Bench employer {organisation_id}")

        port = free_port()
        say(f"Starting the app on port {port} ...")
        app = start_app(data_dir, database_url, port, workers=workers)
        browser = Browser(port)
        cookies = {org: browser.log_in(f"bench-employer-{org}@example.be", PASSWORD)
                   for org in sorted({org for _, org in sample + warm})}
        for offer_id, org in warm:
            browser.request("GET", f"/offers/{offer_id}/matches", cookies[org])
        http_ms, shown, errors, unavailable = [], [], 0, 0
        for offer_id, org in sample:
            t0 = time.perf_counter()
            status, page, _ = browser.request("GET", f"/offers/{offer_id}/matches", cookies[org])
            http_ms.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                errors += 1
            elif "Search is temporarily unavailable" in page:
                unavailable += 1
            shown.append(page.count('class="match panel"'))
        browser.close()
        stop_app(app)
        app = None
        say(f"  shortlist over HTTP: p50 {summary(http_ms)['p50']} ms, p95 {summary(http_ms)['p95']} ms")

        matcher_total, _ = skill_counts(search, [])
        match_ms, matched = [], {}
        for offer_id, _ in sample:
            elapsed, result = _timed(match_candidates, search, facts[offer_id], TOP)
            match_ms.append(elapsed)
            matched[offer_id] = result
        say(f"  match_candidates in-process: p50 {summary(match_ms)['p50']} ms, p95 {summary(match_ms)['p95']} ms")
        with session_scope(engine) as session:
            people = profile_facts(session, rng.sample(range(1, n_candidates + 1), min(n_requests, n_candidates)))
        offers_ms = []
        for person in people.values():
            elapsed, _ = _timed(match_offers, search, person, TOP)
            offers_ms.append(elapsed)
        say(f"  match_offers in-process: p50 {summary(offers_ms)['p50']} ms, p95 {summary(offers_ms)['p95']} ms")

        t0 = time.perf_counter()
        total, counts = corpus_rarity(engine)
        rarity_s = time.perf_counter() - t0
        weight = {s: idf(df, total) for s, df in counts.items()}
        matcher_weight = {s: idf(df, matcher_total) for s, df in counts.items()}
        brute_ms, filtered_ms, overlap_true, overlap_as_matcher = [], [], [], []
        brute_offers = list(dict.fromkeys(o for o, _ in sample))[:n_bruteforce]
        for offer_id in brute_offers:
            elapsed, ranked = _timed(brute_force, engine, facts[offer_id], weight)
            brute_ms.append(elapsed)
            elapsed, _ = _timed(sql_skill_filtered, engine, facts[offer_id], weight)
            filtered_ms.append(elapsed)
            mine = [m.candidate_id for m in matched[offer_id]]
            overlap_true.append(_overlap(mine, [i for i, _ in ranked]))
            as_matcher = sql_skill_filtered(engine, facts[offer_id], matcher_weight)
            overlap_as_matcher.append(_overlap(mine, [i for i, _ in as_matcher]))
        say(f"  brute force: p50 {summary(brute_ms)['p50']} ms; SQL filtered by skill: p50 {summary(filtered_ms)['p50']} ms")

        # Last, as it grows the pool: candidates registered through the batch API of a running app.
        app = start_app(data_dir, database_url, port, workers=workers)
        batch_rate = batch_api_rate(engine, port, n_batch, rng)
        stop_app(app)
        app = None
        say(f"  batch API: {batch_rate['candidates_per_s']} candidates/s ({n_batch} in batches of {API_BATCH})")

        http_s, match_s, brute_s, filtered_s = (summary(x) for x in (http_ms, match_ms, brute_ms, filtered_ms))
        speedup = {
            "bruteforce_p50_over_match_candidates_p50": round(brute_s["p50"] / match_s["p50"], 1),
            "bruteforce_p50_over_shortlist_http_p50": round(brute_s["p50"] / http_s["p50"], 1),
            "sql_skill_filtered_p50_over_match_candidates_p50": round(filtered_s["p50"] / match_s["p50"], 1),
        }
        report = {
            "kind": "matching speed",
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
            "git_commit": git_commit(),
            "seed": seed,
            "parameters": {"candidates": n_candidates, "offers": n_offers, "published_offers": generated.published,
                           "employers": len(generated.employer_ids), "candidate_skill_rows": generated.candidate_skill_rows,
                           "offer_skill_rows": generated.offer_skill_rows, "requests": n_requests,
                           "distinct_offers_requested": len({o for o, _ in sample}),
                           "bruteforce_offers": len(brute_offers), "database": engine.dialect.name,
                           "cpus": os.cpu_count(), "python": platform.python_version(), "top": TOP,
                           "app_workers": workers},
            "insert_s": round(generated.seconds, 2),
            "indexing": indexing,
            "candidate_documents_read_and_build_s": build_s,
            "candidates_indexed_per_s": round(indexing["candidates"]["documents"] / indexing["candidates"]["seconds"]),
            "candidate_documents_built_per_s": round(n_candidates / build_s) if build_s else None,
            "machine_note": machine_note,
            "shortlist_http_ms": http_s,
            "shortlist_http": {"errors": errors, "search_unavailable": unavailable,
                               "mean_matches_shown": round(statistics.fmean(shown), 1) if shown else 0},
            "match_candidates_ms": match_s,
            "match_offers_ms": summary(offers_ms),
            "batch_api": batch_rate,
            "match_candidates_mean_results": round(statistics.fmean(len(m) for m in matched.values()), 1),
            "bruteforce_ms": brute_s,
            "sql_skill_filtered_ms": filtered_s,
            "bruteforce_rarity_precompute_ms": round(rarity_s * 1000, 1),
            "speedup": speedup,
            "top20_agreement_with_bruteforce": {
                "true_idf": round(statistics.fmean(overlap_true), 3) if overlap_true else None,
                "idf_with_matcher_total": round(statistics.fmean(overlap_as_matcher), 3) if overlap_as_matcher else None,
                "note": "mean share of match_candidates' top 20 also in the SQL matcher's top 20; 'true_idf' "
                        "counts every candidate, 'idf_with_matcher_total' divides by the total the matcher sees",
            },
            "rarity_total_seen_by_matcher": matcher_total,
            "rarity_total_actual": total,
            "targets": {
                "candidate_reindex_100k_within_30_s": indexing["candidates"]["seconds"] * 100_000 / n_candidates <= 30,
                "documents_built_at_least_20000_per_s": bool(build_s) and n_candidates / build_s >= 20_000,
                "shortlist_p95_within_30_ms": http_s["p95"] <= 30,
                "top20_agreement_at_least_0_99": statistics.fmean(overlap_true) >= 0.99 if overlap_true else False,
                "batch_api_at_least_500_per_s": batch_rate["candidates_per_s"] >= 500,
            },
            "elapsed_s": None,
        }
        report["figures"] = {
            "insert_s": report["insert_s"],
            "index_candidates_s": indexing["candidates"]["seconds"],
            "index_offers_s": indexing["offers"]["seconds"],
            "shortlist_http_p50_ms": http_s["p50"], "shortlist_http_p95_ms": http_s["p95"],
            "match_candidates_p50_ms": match_s["p50"], "match_candidates_p95_ms": match_s["p95"],
            "match_offers_p95_ms": summary(offers_ms)["p95"],
            "batch_api_candidates_per_s": batch_rate["candidates_per_s"],
            "bruteforce_p50_ms": brute_s["p50"], "bruteforce_p95_ms": brute_s["p95"],
            "sql_skill_filtered_p50_ms": filtered_s["p50"],
            "speedup_vs_bruteforce": speedup["bruteforce_p50_over_match_candidates_p50"],
            "top20_agreement_true_idf": report["top20_agreement_with_bruteforce"]["true_idf"],
        }
    finally:
        if app is not None:
            stop_app(app)
        if server is not None:
            server.stop()
        engine.dispose()
        if own_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    report["elapsed_s"] = round(time.perf_counter() - began, 1)
    if verbose:
        print_table(report)
    if baseline is not None and not write_baseline:
        report["baseline_change"] = compare_with_baseline(report, Path(baseline))
    if out is not None:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, default=str) + "\n")
        say(f"Written to {out}")
    if write_baseline and baseline is not None:
        Path(baseline).parent.mkdir(parents=True, exist_ok=True)
        Path(baseline).write_text(json.dumps(report, indent=2, default=str) + "\n")
        say(f"Baseline written to {baseline}")
    return report


def print_table(report: dict) -> None:
    p = report["parameters"]
    print(f"\nMatching speed: {p['candidates']} candidates, {p['offers']} offers ({p['published_offers']} published), "
          f"{p['database']}, {p['cpus']} CPUs")
    print(f"  insert {report['insert_s']} s; reindex candidates {report['indexing']['candidates']['seconds']} s "
          f"(reading + building the documents alone: {report['candidate_documents_read_and_build_s']} s), "
          f"offers {report['indexing']['offers']['seconds']} s")
    print(f"  {'':<34}{'p50 ms':>10}{'p95 ms':>10}{'n':>6}")
    for label, key in (("shortlist page over HTTP", "shortlist_http_ms"), ("match_candidates in-process", "match_candidates_ms"),
                       ("brute force SQL + Python", "bruteforce_ms"), ("SQL filtered by skill + Python", "sql_skill_filtered_ms")):
        s = report[key]
        print(f"  {label:<34}{s.get('p50', 0):>10}{s.get('p95', 0):>10}{s['n']:>6}")
    print(f"  speed-up over brute force: {report['speedup']['bruteforce_p50_over_match_candidates_p50']}x in-process, "
          f"{report['speedup']['bruteforce_p50_over_shortlist_http_p50']}x over HTTP")
    agreement = report["top20_agreement_with_bruteforce"]
    print(f"  top-20 agreement with brute force: {agreement['true_idf']} (true IDF), "
          f"{agreement['idf_with_matcher_total']} (IDF with the matcher's total "
          f"{report['rarity_total_seen_by_matcher']} of {report['rarity_total_actual']})")
    print("  targets: " + ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in report["targets"].items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="shortlist requests to time")
    parser.add_argument("--bruteforce-offers", type=int, default=20)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--database-url", help="an EMPTY database (default: SQLite in the data directory)")
    parser.add_argument("--data-dir", type=Path, help="kept afterwards (default: a temporary directory, removed)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE)
    parser.add_argument("--write-baseline", action="store_true", help="write this run to --baseline")
    parser.add_argument("--workers", type=int, default=1, help="app processes (opstap run --workers)")
    parser.add_argument("--batch-candidates", type=int, default=5000, help="candidates to register through the API")
    parser.add_argument("--machine-note", default="", help="what else ran on the machine, for the record")
    args = parser.parse_args(argv)
    run(args.candidates, args.offers, args.requests, args.bruteforce_offers, args.seed, args.database_url,
        args.data_dir, args.out, args.baseline, args.write_baseline, workers=args.workers,
        n_batch=args.batch_candidates, machine_note=args.machine_note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
