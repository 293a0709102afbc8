"""Keeping the indexes true to the database: the outbox worker and the full reindex.

The database is the source of truth. A change writes an outbox row in its own transaction;
``drain_once`` claims a batch of rows (a lease), rebuilds each document from the database as it is now,
sends it, waits for Meilisearch to accept it, and only then marks the rows done. Applying a row
twice is harmless: it writes the same current document again.

Order: documents are serialised per key. A claim never takes a row whose document (index, key) has
another pending row under a lease or a retry wait, and claims themselves are serialised (a transaction
advisory lock on PostgreSQL; ``BEGIN IMMEDIATE`` on SQLite). So at most one worker, in any process,
handles a given document at a time, and it waits for Meilisearch before it lets go: an older version
built by a slow worker can never land after a newer one. A worker that outlives its lease gives up
before sending (it retries later), so an expired lease cannot break the order either.
"""

import gc
import logging
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from meilisearch.errors import MeilisearchApiError
from sqlalchemy import Connection, Engine, text, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from domain.anonymise import ProfileFacts
from domain.db import session_scope
from domain.offers import CEFR_RANK, EDUCATION_RANK, OfferStatus
from domain.reference import skill_group
from domain.services.candidates import eligible_programmes, profile_facts
from domain.services.engagement import engaged_employer_facts
from domain.services.offers import offer_facts
from domain.services.self_service import PLACEMENT_ACTIVE, paused_candidates
from domain.tables import (
    Candidate,
    CandidateExperience,
    CandidateLanguage,
    CandidateSkill,
    Occupation,
    Offer,
    OutboxEntry,
    Placement,
    Skill,
    utcnow,
)
from search.client import Search, send_documents
from search.documents import (
    candidate_document,
    employer_document,
    occupation_document,
    offer_document,
    skill_document,
)
from search.index_settings import INDEXES, apply_index_settings, wait_for

log = logging.getLogger("opstap.search")
LEASE = timedelta(seconds=300)  # longer than one index's send: two waits of SEND_TIMEOUT_SECONDS
SEND_TIMEOUT_SECONDS = 60
MAX_BACKOFF_SECONDS = 300
BATCH = 5000


def _documents(session: Session, index: str, keys: list[str]) -> tuple[list[dict], list[str]]:
    """(documents to upsert, document ids to delete) for these keys, from the database now."""
    if index == "skills":
        rows = session.exec(select(Skill).where(col(Skill.uri).in_(keys))).all()
        groups = {r.uri: skill_group(r.uri) for r in rows}
        return [skill_document(r.uri, r.type, r.labels, r.alt, groups[r.uri].labels if groups[r.uri] else None)
                for r in rows], []
    if index == "occupations":
        rows = session.exec(select(Occupation).where(col(Occupation.uri).in_(keys))).all()
        return [occupation_document(r.uri, r.isco, r.labels, r.alt) for r in rows], []
    ids = [int(k) for k in keys]
    if index == "offers":
        facts = offer_facts(session, ids)
        live = {i: f for i, f in facts.items() if f.status == OfferStatus.PUBLISHED}
        return [offer_document(f) for f in live.values()], [str(i) for i in ids if i not in live]
    if index == "candidates":
        paused = paused_candidates(session, ids)  # a candidate who paused being matched stays out of the index
        facts = {i: f for i, f in profile_facts(session, ids).items() if i not in paused}
        return [candidate_document(f) for f in facts.values()], [str(i) for i in ids if i not in facts]
    if index == "employers":
        facts = engaged_employer_facts(session, ids)
        live = {i: f for i, f in facts.items() if f.in_directory}
        return [employer_document(f) for f in live.values()], [str(i) for i in ids if i not in live]
    raise ValueError(f"unknown index {index}")


def _send(search: Search, index: str, documents: list[dict], deletions: list[str]) -> None:
    writer = search.writer
    target = writer.index(search.index_name(index))
    if documents:
        wait_for(writer, target.add_documents(documents, primary_key=INDEXES[index]["primaryKey"]).task_uid,
                 timeout_s=SEND_TIMEOUT_SECONDS)
    if deletions:
        listed = ", ".join(f'"{key}"' for key in deletions)
        wait_for(writer, target.delete_documents(filter=f"id IN [{listed}]").task_uid,
                 timeout_s=SEND_TIMEOUT_SECONDS)


CLAIM_LOCK = 7_315_001  # the PostgreSQL advisory lock key that serialises outbox claims


def _claim(bind: Engine | Connection, limit: int) -> list[tuple[int, str, str]]:
    with session_scope(bind) as session:
        now = utcnow()
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLAIM_LOCK})
        busy = aliased(OutboxEntry)
        held_elsewhere = (select(busy.id).where(busy.index == OutboxEntry.index, busy.key == OutboxEntry.key,
                                                busy.done_at == None, busy.next_attempt_at > now)  # noqa: E711
                          .exists())
        rows = list(session.exec(
            select(OutboxEntry)
            .where(OutboxEntry.done_at == None, OutboxEntry.next_attempt_at <= now, ~held_elsewhere)  # noqa: E711
            .order_by(OutboxEntry.id).limit(limit).with_for_update(skip_locked=True)
        ).all())
        # Every pending row of a claimed document is taken too, so none is left to be claimed by another worker.
        keys = {(r.index, r.key) for r in rows}
        for index in {i for i, _ in keys}:
            same = [k for i, k in keys if i == index]
            extra = session.exec(select(OutboxEntry).where(
                OutboxEntry.index == index, col(OutboxEntry.key).in_(same), OutboxEntry.done_at == None,  # noqa: E711
                col(OutboxEntry.id).not_in([r.id for r in rows]))).all()
            rows.extend(extra)
        for row in rows:
            row.next_attempt_at = now + LEASE
            row.last_error = ""  # under a lease now; set again if this attempt fails
            session.add(row)
        return [(r.id, r.index, r.key) for r in rows]


def retry_now(bind: Engine | Connection) -> int:
    """Make rows waiting after a failed attempt due at once (Meilisearch is back); rows under a lease stay."""
    with session_scope(bind) as session:
        result = session.execute(update(OutboxEntry).where(OutboxEntry.done_at == None, OutboxEntry.last_error != "")  # noqa: E711
                                 .values(next_attempt_at=utcnow()))
        return result.rowcount


class LeaseExpired(RuntimeError):
    """This worker took too long: another may hold the documents now, so it must not send."""


def _finish(bind, ids: list[int], error: Exception | None) -> None:
    with session_scope(bind) as session:
        now = utcnow()
        for row in session.exec(select(OutboxEntry).where(col(OutboxEntry.id).in_(ids))).all():
            if error is None:
                row.done_at = now
            else:
                row.attempts += 1
                row.next_attempt_at = now + timedelta(seconds=min(2 ** row.attempts, MAX_BACKOFF_SECONDS))
                row.last_error = f"{type(error).__name__}: {str(error)[:200]}"
            session.add(row)


def drain_once(bind: Engine | Connection, search: Search, limit: int = BATCH) -> int:
    """Apply one batch of the outbox; returns how many rows were applied (0 when none or on failure)."""
    claimed = _claim(bind, limit)
    if not claimed:
        return 0
    by_index: dict[str, list[str]] = {}
    for _id, index, key in claimed:
        by_index.setdefault(index, [])
        if key not in by_index[index]:
            by_index[index].append(key)
    ids = [c[0] for c in claimed]
    deadline = time.monotonic() + LEASE.total_seconds() - SEND_TIMEOUT_SECONDS * 2 - 5
    try:
        for index, keys in by_index.items():
            with session_scope(bind) as session:
                documents, deletions = _documents(session, index, keys)
            if time.monotonic() > deadline:
                raise LeaseExpired(index)
            _send(search, index, documents, deletions)
    except Exception as error:  # noqa: BLE001 - Meilisearch down or refusing: retry later
        log.warning("search index update failed, will retry: %s", type(error).__name__)
        _finish(bind, ids, error)
        return 0
    _finish(bind, ids, None)
    return len(ids)


def drain(bind: Engine | Connection, search: Search, limit: int = BATCH) -> int:
    """Apply the outbox until nothing is due; returns the number of rows applied."""
    total = 0
    while applied := drain_once(bind, search, limit):
        total += applied
    return total


# --- full rebuild ---------------------------------------------------------------------------

def _at_work(candidate_id):
    """A placement of this candidate has started and not ended: out of matching until it ends (issue 17)."""
    return (select(Placement.id).where(Placement.candidate_id == candidate_id, Placement.state == PLACEMENT_ACTIVE)
            .exists())


def candidate_facts_between(session: Session, first: int, last: int) -> list[ProfileFacts]:
    """``profile_facts`` for the live, unpaused candidates with ``first <= id <= last``, read for speed.

    The same facts as ``domain.services.candidates.profile_facts`` (tests/integration/
    test_matching.py compares the documents), but plain columns over an id range instead of ORM rows
    and ``IN`` lists of thousands of ids: the full reindex reads ~10 rows per candidate.
    """
    c, cs, cl, ce = (t.__table__ for t in (Candidate, CandidateSkill, CandidateLanguage, CandidateExperience))
    between = [c.c.id >= first, c.c.id <= last]
    rows = session.connection().execute(
        select(c.c.id, c.c.ref, c.c.coaching_service_id, c.c.education_level, c.c.education_field,
               c.c.diploma_recognition, c.c.municipality, c.c.region, c.c.lat, c.c.lon, c.c.max_commute_km,
               c.c.available_from, c.c.days_per_week, c.c.accepted_offer_types, c.c.programme, c.c.path,
               c.c.sector_preferences, c.c.summary_scrubbed)
        .where(*between, c.c.erased_at == None, c.c.paused_at == None, ~_at_work(c.c.id))  # noqa: E711
        .order_by(c.c.id)).all()
    if not rows:
        return []
    ids = [row[0] for row in rows]
    skills: dict[int, list[str]] = {i: [] for i in ids}
    for candidate_id, uri in session.connection().execute(
            select(cs.c.candidate_id, cs.c.skill_uri).where(cs.c.candidate_id >= first, cs.c.candidate_id <= last)).all():
        if candidate_id in skills:
            skills[candidate_id].append(uri)
    languages: dict[int, dict[str, int]] = {i: {} for i in ids}
    for candidate_id, language, level in session.connection().execute(
            select(cl.c.candidate_id, cl.c.language, cl.c.level)
            .where(cl.c.candidate_id >= first, cl.c.candidate_id <= last)).all():
        if candidate_id in languages:
            languages[candidate_id][language] = CEFR_RANK[level]
    experience: dict[int, list[tuple[str, int]]] = {i: [] for i in ids}
    for candidate_id, occupation, years in session.connection().execute(
            select(ce.c.candidate_id, ce.c.occupation_uri, ce.c.years)
            .where(ce.c.candidate_id >= first, ce.c.candidate_id <= last).order_by(ce.c.id)).all():
        if candidate_id in experience:
            experience[candidate_id].append((occupation, years))
    eligible = eligible_programmes(session, ids, within=(first, last))
    midnight = datetime.min.time()
    return [
        ProfileFacts(
            id=i, ref=ref, coaching_service_id=service, skills=skills[i], experience=experience[i],
            education_level=level, education_rank=EDUCATION_RANK[level], education_field=field,
            diploma_recognition=recognition, languages=languages[i], municipality=municipality, region=region,
            lat=lat, lon=lon, max_commute_km=commute,
            available_from_ts=int(datetime.combine(available, midnight, tzinfo=UTC).timestamp()) if available else 0,
            days_per_week=days, accepted_offer_types=list(types), programme=programme, path=path,
            eligible_programmes=eligible[i], sector_preferences=list(sectors), summary_scrubbed=summary,
        )
        for (i, ref, service, level, field, recognition, municipality, region, lat, lon, commute, available, days,
             types, programme, path, sectors, summary) in rows
    ]


@contextmanager
def _few_collections():
    """Building documents allocates millions of small acyclic objects, and at Python's default
    threshold (700) the cyclic collector walks the heap again and again: half the build time.
    Reference counting frees them anyway; collect rarely while building."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _candidate_batches(bind: Engine | Connection, batch: int):
    """Candidate documents of the whole table, ``batch`` ids at a time (ids are dense in practice)."""
    with session_scope(bind) as session:
        low, high = session.connection().execute(
            select(func.min(Candidate.id), func.max(Candidate.id))).one()
    if low is None:
        return
    for first in range(low, high + 1, batch):
        with _few_collections(), session_scope(bind) as session:
            documents = [candidate_document(f) for f in candidate_facts_between(session, first, first + batch - 1)]
        if documents:
            yield documents

def _all_keys(session: Session, index: str) -> list[str]:
    if index == "skills":
        return list(session.exec(select(Skill.uri).order_by(Skill.uri)).all())
    if index == "occupations":
        return list(session.exec(select(Occupation.uri).order_by(Occupation.uri)).all())
    if index == "offers":
        query = select(Offer.id).where(Offer.status == OfferStatus.PUBLISHED)
    elif index == "candidates":
        query = select(Candidate.id).where(Candidate.erased_at == None, Candidate.paused_at == None,  # noqa: E711
                                           ~_at_work(Candidate.id))
    else:
        query = select(Offer.organisation_id).distinct()
    return [str(k) for k in session.exec(query.order_by(query.selected_columns[0])).all()]


def progress_bar(label: str, total: int, stream=sys.stderr) -> Callable[[int], None]:
    def show(done: int) -> None:
        width = 30
        filled = width if total == 0 else int(width * done / total)
        stream.write(f"\r{label:<11} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


def reindex(bind: Engine | Connection, search: Search, indexes: Iterable[str] = tuple(INDEXES),
            batch: int = 2000, progress=progress_bar) -> dict[str, int]:
    """Rebuild each index from the database into a fresh index, then swap it in.

    Search keeps answering from the old index until the swap; returns documents per index.
    """
    writer = search.writer
    counts = {}
    for index in indexes:
        live, fresh = search.index_name(index), search.index_name(f"{index}__rebuild")
        apply_index_settings(writer, index, live)
        _delete_if_present(writer, fresh)
        apply_index_settings(writer, index, fresh)
        # Send every batch first, so Meilisearch can merge them into large indexing batches; then
        # follow the tasks, showing how many documents are indexed. Bodies go out as orjson.
        tasks: list[tuple[int, int]] = []
        for documents in _batches(bind, index, batch):
            tasks.append((send_documents(search, fresh, documents), len(documents)))
        show = progress(index, sum(size for _, size in tasks))
        sent = 0
        show(0)
        for task_uid, size in tasks:
            wait_for(writer, task_uid, timeout_s=900)
            sent += size
            show(sent)
        wait_for(writer, writer.swap_indexes([{"indexes": [live, fresh]}]).task_uid)
        _delete_if_present(writer, fresh)
        counts[index] = sent
    return counts


def _batches(bind: Engine | Connection, index: str, batch: int):
    if index == "candidates":
        yield from _candidate_batches(bind, batch)
        return
    with session_scope(bind) as session:
        keys = _all_keys(session, index)
    for start in range(0, len(keys), batch):
        with session_scope(bind) as session:
            documents, _ = _documents(session, index, keys[start:start + batch])
        if documents:
            yield documents


def _delete_if_present(writer, name: str) -> None:
    try:
        writer.get_raw_index(name)
    except MeilisearchApiError as error:
        if error.code == "index_not_found":
            return
        raise
    wait_for(writer, writer.delete_index(name).task_uid)
