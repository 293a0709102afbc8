"""Importing candidates from CSV in chunks, and exporting the caseload's anonymised profiles.

An import is a row in the database (``CandidateImport``) with the file and how far it got, so any
app process can continue it: each ``continue_import`` call processes the next chunk in one
transaction that also moves the position on (the row is locked; on SQLite the write transaction
serialises). Valid rows are saved, each in its own savepoint; broken rows are reported per column
with their spreadsheet row number. The uploaded file is erased when the import is finished.

Typed skill and occupation names are resolved by a function the caller passes (the pickers' search,
``search.skills.resolver``): ``resolve(kind, values) -> {value: (uri or None, up to three candidate labels)}``
with ``kind`` "skills" or "occupations". URIs are checked against the database.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from domain.accounts import Actor
from domain.anonymise import anonymised_profile
from domain.candidates import Experience
from domain.caseload_csv import (
    EXPORT_COLUMNS,
    UnreadableFile,
    decode,
    export_row,
    parse_row,
    read_header,
    records,
)
from domain.offers import CEFR_RANK
from domain.services.audit import record_export
from domain.services.candidates import _require_coach, check_candidate, profile_facts, register_candidate
from domain.tables import (
    Candidate,
    CandidateIdentity,
    CandidateImport,
    CandidateImportProblem,
    Occupation,
    Skill,
    utcnow,
)
from domain.validation import N_, NotFound, RuleBroken, Violation

log = logging.getLogger("opstap.candidates")
CHUNK = 100  # rows per transaction (and per search round trip): 10,000 rows in 100 steps
SHOWN_PROBLEMS = 500


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    message: str  # msgid with str.format params
    params: dict


@dataclass(frozen=True)
class ImportProgress:
    id: int
    filename: str
    total: int
    processed: int
    saved: int
    failed: int
    skipped: int
    done: bool
    problems: list[ImportProblem]

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.processed / self.total)


def start_import(session: Session, actor: Actor, filename: str, data: bytes) -> int:
    """Check the file's layout and keep it for processing; raises RuleBroken (field "file") when unreadable."""
    _require_coach(actor)
    return keep_import(session, actor, filename, data, "candidates", read_header)


def keep_import(session: Session, actor: Actor, filename: str, data: bytes, kind: str, read_header) -> int:
    """Check the file's layout with ``read_header`` and keep it as an import of ``kind`` for processing in steps;
    raises RuleBroken (field "file") when unreadable."""
    try:
        text = decode(data)
        _, count = read_header(text)
    except UnreadableFile as error:
        raise RuleBroken([error.violation]) from None
    job = CandidateImport(kind=kind, coaching_service_id=actor.organisation_id, created_by=actor.id,
                          filename=filename[:200], content=text, total_rows=count)
    session.add(job)
    session.flush()
    return job.id


def import_job(session: Session, organisation_id: int | None, import_id: int, kind: str, *,
               lock: bool = False) -> CandidateImport:
    """The organisation's import of ``kind`` ("candidates" or "offers"); NotFound for anyone else's."""
    query = select(CandidateImport).where(CandidateImport.id == import_id)
    job = session.exec(query.with_for_update() if lock else query).first()
    if job is None or job.coaching_service_id != organisation_id or job.kind != kind:
        raise NotFound()
    return job


def _own_import(session: Session, actor: Actor, import_id: int, *, lock: bool = False) -> CandidateImport:
    _require_coach(actor)
    return import_job(session, actor.organisation_id, import_id, "candidates", lock=lock)


def progress_of(session: Session, job: CandidateImport) -> ImportProgress:
    """Where ``job`` is; the rows to fix (the first ``SHOWN_PROBLEMS``) once it is finished."""
    problems = session.exec(select(CandidateImportProblem).where(CandidateImportProblem.import_id == job.id)
                            .order_by(CandidateImportProblem.row, CandidateImportProblem.id).limit(SHOWN_PROBLEMS)
                            ).all() if job.status == "done" else []
    return ImportProgress(job.id, job.filename, job.total_rows, job.next_row, job.saved, job.failed, job.skipped,
                          job.status == "done", [ImportProblem(p.row, p.column, p.message, dict(p.params))
                                                 for p in problems])


def import_progress(session: Session, actor: Actor, import_id: int) -> ImportProgress:
    return progress_of(session, _own_import(session, actor, import_id))


def finish_step(session: Session, job: CandidateImport, chunk: int) -> None:
    """Move ``job`` on by ``chunk`` rows; when it is through, mark it done and erase the file."""
    job.next_row = min(job.next_row + chunk, job.total_rows)
    job.updated_at = utcnow()
    if job.next_row >= job.total_rows:
        job.status, job.finished_at, job.content = "done", job.updated_at, ""  # the file may hold identity data
        log.info("%s import %s finished: %s saved, %s to fix", job.kind, job.id, job.saved, job.failed)
    session.add(job)
    session.flush()


def _is_uri(reference: str) -> bool:
    return reference.startswith(("http://", "https://"))


Resolve = Callable[[str, list[str]], dict[str, tuple[str | None, list[str]]]]


_UNRESOLVED = {
    ("skills", True): N_("“{value}” does not name one ESCO skill. Did you mean: {candidates}?"),
    ("skills", False): N_("“{value}” matches no ESCO skill: check the spelling, or use its URI."),
    ("occupations", True): N_("“{value}” does not name one ESCO occupation. Did you mean: {candidates}?"),
    ("occupations", False): N_("“{value}” matches no ESCO occupation: check the spelling, or use its URI."),
}


def resolve_esco(session: Session, skill_refs: set[str], occupation_refs: set[str], resolve: Resolve
                 ) -> tuple[dict[str, str], dict[str, str], dict[str, list[str]]]:
    """ESCO references as a CSV gives them (a URI, or a name in English, Dutch or French: typos and alternative
    labels forgiven, see ``search.skills.resolve``) -> URI, for skills and occupations; unknown references are
    left out, and the third dict gives the best candidates (up to three labels) for each name left out.
    The one resolution every CSV import uses (candidates, offers)."""
    labels = sorted(ref for ref in skill_refs if not _is_uri(ref))
    skill_names = resolve("skills", labels) if labels else {}
    uris = {ref for ref in skill_refs if _is_uri(ref)}
    skills = {u: u for u in session.exec(select(Skill.uri).where(col(Skill.uri).in_(uris))).all()} if uris else {}
    skills.update({value: uri for value, (uri, _) in skill_names.items() if uri})
    occupation_uris = {r for r in occupation_refs if _is_uri(r)}
    occupation_labels = sorted(occupation_refs - occupation_uris)
    occupation_names = resolve("occupations", occupation_labels) if occupation_labels else {}
    occupations = {u: u for u in session.exec(select(Occupation.uri).where(col(Occupation.uri).in_(occupation_uris))).all()} \
        if occupation_uris else {}
    occupations.update({value: uri for value, (uri, _) in occupation_names.items() if uri})
    suggestions = {value: found for names in (skill_names, occupation_names) for value, (uri, found) in names.items()
                   if not uri}
    return skills, occupations, suggestions


def unresolved(field: str, kind: str, ref: str, suggestions: dict[str, list[str]]) -> Violation:
    """The row error for an ESCO reference that did not resolve (``kind``: "skills" or "occupations")."""
    if _is_uri(ref):
        if kind == "skills":
            return Violation(field, N_("“{skill}” is not a released ESCO skill URI."), {"skill": ref})
        return Violation(field, N_("“{occupation}” is not a released ESCO occupation URI."), {"occupation": ref})
    candidates = suggestions.get(ref, [])
    return Violation(field, _UNRESOLVED[kind, bool(candidates)], {"value": ref, "candidates": " · ".join(candidates)})


def _existing_emails(session: Session, actor: Actor, emails: set[str]) -> dict[str, str]:
    if not emails:
        return {}
    rows = session.exec(select(func.lower(CandidateIdentity.email), Candidate.ref)
                        .join(Candidate, Candidate.id == CandidateIdentity.candidate_id)
                        .where(Candidate.coaching_service_id == actor.organisation_id,
                               Candidate.erased_at == None,  # noqa: E711
                               func.lower(CandidateIdentity.email).in_(emails))).all()
    return dict(rows)


def continue_import(session: Session, actor: Actor, import_id: int, resolve: Resolve,
                    chunk: int = CHUNK) -> ImportProgress:
    """Process the next ``chunk`` rows. Raises what ``resolve`` raises (nothing is then written)."""
    job = _own_import(session, actor, import_id, lock=True)
    if job.status == "done":
        return progress_of(session, job)
    parsed = [parse_row(number, values) for number, values in records(job.content, job.next_row, job.next_row + chunk)]
    skill_uris, known_occupations, suggestions = resolve_esco(
        session, {ref for p in parsed for ref in p.skill_refs}, {ref for p in parsed for ref, _ in p.experience_refs},
        resolve)
    for row in parsed:
        if row.blank:
            job.skipped += 1
            continue
        broken = list(row.violations)
        skills = []
        for ref in row.skill_refs:
            uri = skill_uris.get(ref)
            if uri:
                skills.append(uri)
            else:
                broken.append(unresolved("skills", "skills", ref, suggestions))
        experience = []
        for ref, years in row.experience_refs:
            if ref in known_occupations:
                experience.append(Experience(known_occupations[ref], years))
            else:
                broken.append(unresolved("experience", "occupations", ref, suggestions))
        row.profile.skills = list(dict.fromkeys(skills))
        row.profile.experience = experience
        email = row.identity.email.strip().lower()
        duplicate = _existing_emails(session, actor, {email}).get(email) if email else None
        if duplicate:
            broken.append(Violation("email", N_("A candidate with this e-mail address is already in your caseload "
                                                "({ref})."), {"ref": duplicate}))
        fields = {v.field for v in broken}
        broken += [v for v in check_candidate(session, row.identity, row.profile) if v.field not in fields]
        if not broken:
            try:
                with session.begin_nested():
                    register_candidate(session, actor, row.identity, row.profile)
                job.saved += 1
                continue
            except RuleBroken as refused:
                broken = refused.violations
        job.failed += 1
        session.add_all([CandidateImportProblem(import_id=job.id, row=row.row, column=v.field, message=v.message,
                                                params=v.params) for v in broken])
    finish_step(session, job, chunk)
    return progress_of(session, job)


def export_caseload(session: Session, actor: Actor, batch: int = 500) -> list[list[str]]:
    """The caseload as CSV rows (header first): the reference and anonymised fields only, never identity."""
    _require_coach(actor)
    ids = list(session.exec(select(Candidate.id).where(Candidate.coaching_service_id == actor.organisation_id,
                                                       Candidate.erased_at == None)  # noqa: E711
                            .order_by(Candidate.ref)).all())
    levels = {rank: level for level, rank in CEFR_RANK.items()}
    rows = [list(EXPORT_COLUMNS)]
    for start in range(0, len(ids), batch):
        facts = profile_facts(session, ids[start:start + batch])
        rows += [export_row(anonymised_profile(facts[i]), levels) for i in ids[start:start + batch] if i in facts]
    record_export(session, actor, "caseload", len(rows) - 1)
    return rows
