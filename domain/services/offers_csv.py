"""Employers import offers from CSV (drafts, errors per row and column, in steps with progress like the
candidate import: the file and the position are a ``CandidateImport`` of kind "offers") and export their offers.

ESCO skills and occupations are resolved by ``resolve_esco`` (domain/services/caseload_csv.py), the same
resolution as the candidate import; ``resolve`` is passed by the caller (``search.skills.resolver``)."""

from sqlmodel import Session, select

from domain.accounts import Actor
from domain.caseload_csv import LIST_SEPARATOR
from domain.offers import SkillRequirement
from domain.offers_csv import (
    EXPORT_OFFER_COLUMNS,
    export_offer_row,
    offer_records,
    parse_offer_row,
    read_offer_header,
)
from domain.services.audit import record_export
from domain.services.caseload_csv import (
    ImportProgress,
    Resolve,
    finish_step,
    import_job,
    keep_import,
    progress_of,
    resolve_esco,
    unresolved,
)
from domain.services.offers import _input_of, _require_employer, check_offer, create_offer
from domain.tables import CandidateImportProblem, Offer
from domain.validation import RuleBroken

CHUNK = 100  # rows per step, as for candidates


def start_offer_import(session: Session, actor: Actor, filename: str, data: bytes) -> int:
    """Check the file's layout and keep it for processing in steps; raises RuleBroken (field "file")."""
    _require_employer(actor)
    return keep_import(session, actor, filename, data, "offers", read_offer_header)


def offer_import_progress(session: Session, actor: Actor, import_id: int) -> ImportProgress:
    _require_employer(actor)
    return progress_of(session, import_job(session, actor.organisation_id, import_id, "offers"))


def continue_offer_import(session: Session, actor: Actor, import_id: int, resolve: Resolve, *,
                          ibo_max_weeks: int = 26, chunk: int = CHUNK) -> ImportProgress:
    """Process the next ``chunk`` rows: each valid row becomes a draft offer (in its own savepoint), each
    broken row is reported per column. Raises what ``resolve`` raises (nothing is then written)."""
    _require_employer(actor)
    job = import_job(session, actor.organisation_id, import_id, "offers", lock=True)
    if job.status == "done":
        return progress_of(session, job)
    parsed = [parse_offer_row(number, values)
              for number, values in offer_records(job.content, job.next_row, job.next_row + chunk)]
    skills, occupations, suggestions = resolve_esco(
        session, {r for p in parsed for r in p.essential_refs + p.optional_refs},
        {p.occupation_ref for p in parsed if p.occupation_ref}, resolve)
    for row in parsed:
        if row.blank:
            job.skipped += 1
            continue
        broken = list(row.violations)
        requirements = []
        for refs, essential, column in ((row.essential_refs, True, "essential_skills"),
                                        (row.optional_refs, False, "optional_skills")):
            for ref in refs:
                if ref in skills:
                    requirements.append(SkillRequirement(skills[ref], essential, ref in row.taught_refs))
                else:
                    broken.append(unresolved(column, "skills", ref, suggestions))
        if row.occupation_ref:
            if row.occupation_ref in occupations:
                row.offer.occupation_uri = occupations[row.occupation_ref]
            else:
                broken.append(unresolved("occupation", "occupations", row.occupation_ref, suggestions))
        row.offer.skills = list({r.uri: r for r in requirements}.values())
        fields = {v.field for v in broken}
        broken += [v for v in check_offer(session, row.offer, ibo_max_weeks=ibo_max_weeks) if v.field not in fields]
        if not broken:
            try:
                with session.begin_nested():
                    create_offer(session, actor, row.offer, ibo_max_weeks=ibo_max_weeks)
                job.saved += 1
                continue
            except RuleBroken as refused:
                broken = refused.violations
        job.failed += 1
        session.add_all([CandidateImportProblem(import_id=job.id, row=row.row, column=v.field, message=v.message,
                                                params=dict(v.params)) for v in broken])
    finish_step(session, job, chunk)
    return progress_of(session, job)


def export_offers(session: Session, actor: Actor) -> list[list[str]]:
    """The organisation's offers as CSV rows (header first), in the import's layout plus id and status."""
    _require_employer(actor)
    rows = [list(EXPORT_OFFER_COLUMNS)]
    for offer in session.exec(select(Offer).where(Offer.organisation_id == actor.organisation_id)
                              .order_by(Offer.id)).all():
        data = _input_of(session, offer)
        rows.append(export_offer_row({
            "id": offer.id, "status": offer.status, "title": data.title, "type": data.type,
            "description": data.description, "duration_value": data.duration_value,
            "duration_unit": data.duration_unit, "postcode": data.postcode, "days_per_week": data.days_per_week,
            "hours_per_week": data.hours_per_week, "places": data.places, "sector": data.sector,
            "monthly_pay_eur": data.monthly_pay_eur or "", "followup_contract_months": data.followup_contract_months or "",
            "followup_open_ended": "yes" if data.followup_open_ended else "", "education_min": data.education_min,
            "field_of_study": data.field_of_study,
            "languages": LIST_SEPARATOR.join(f"{lang.language}:{lang.min_level}" for lang in data.languages),
            "essential_skills": LIST_SEPARATOR.join(s.uri for s in data.skills if s.essential),
            "optional_skills": LIST_SEPARATOR.join(s.uri for s in data.skills if not s.essential),
            "taught_skills": LIST_SEPARATOR.join(s.uri for s in data.skills if s.taught),
            "occupation": data.occupation_uri or "", "remote_days": data.remote_days,
            "start_from": data.start_from.isoformat() if data.start_from else "",
            "start_until": data.start_until.isoformat() if data.start_until else "",
            "accessibility_notes": data.accessibility_notes,
        }))
    record_export(session, actor, "offers", len(rows) - 1)
    return rows
