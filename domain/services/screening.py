"""Screening a candidate's eligibility for a programme, and recording it (coach side).

The rules are the programme's data, evaluated by ``domain.eligibility``. The outcome per rule is
kept with the screening for the coach; employers only ever see "eligible for <programme>".
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from domain.accounts import Actor
from domain.eligibility import evaluate
from domain.services.candidates import _own_candidate
from domain.services.outbox import enqueue
from domain.tables import AuditEntry, CandidateIdentity, Programme, Screening, User, utcnow
from domain.validation import N_, RuleBroken, Violation

log = logging.getLogger("opstap.candidates")


@dataclass(frozen=True)
class ProgrammeChoice:
    id: int
    key: str
    name: str
    description: str
    paths: list[str]


@dataclass(frozen=True)
class ScreeningView:
    id: int
    programme_key: str
    programme_name: str
    path: str
    eligible: bool
    outcomes: list[dict]  # domain.eligibility.RuleOutcome as dicts: field, op, passed, message, params
    screened_by: str
    screened_at: datetime


def programmes(session: Session) -> list[ProgrammeChoice]:
    rows = session.exec(select(Programme).where(Programme.active == True).order_by(Programme.name)).all()  # noqa: E712
    return [ProgrammeChoice(p.id, p.key, p.name, p.description, list(p.paths)) for p in rows]


def _views(session: Session, rows: list[Screening]) -> list[ScreeningView]:
    names = dict(session.exec(select(Programme.id, Programme.name)).all())
    keys = dict(session.exec(select(Programme.id, Programme.key)).all())
    authors = {u.id: u.name for u in session.exec(
        select(User).where(col(User.id).in_({r.screened_by for r in rows if r.screened_by}))).all()}
    return [ScreeningView(r.id, keys[r.programme_id], names[r.programme_id], r.path, r.eligible, list(r.results),
                          authors.get(r.screened_by, ""), r.screened_at) for r in rows]


def screenings(session: Session, actor: Actor, candidate_id: int) -> list[ScreeningView]:
    """The candidate's screenings, newest first."""
    candidate = _own_candidate(session, actor, candidate_id)
    rows = session.exec(select(Screening).where(Screening.candidate_id == candidate.id)
                        .order_by(col(Screening.screened_at).desc(), col(Screening.id).desc())).all()
    return _views(session, list(rows))


def screen_candidate(session: Session, actor: Actor, candidate_id: int, programme_id: int | None,
                     path: str) -> ScreeningView:
    """Check the candidate against the programme's rules now, and record who did it, when, and the outcome.

    Eligible: the candidate follows the programme on ``path`` (part of the anonymised profile).
    Not eligible (any more): they no longer follow it.
    """
    candidate = _own_candidate(session, actor, candidate_id)
    programme = session.get(Programme, programme_id) if programme_id else None
    if programme is None or not programme.active:
        raise RuleBroken([Violation("programme_id", N_("Choose a programme from the list."))])
    if path not in programme.paths:
        raise RuleBroken([Violation("path", N_("Choose a path: learning or career."))])
    identity = session.get(CandidateIdentity, candidate.id)
    facts = {"nationality": identity.nationality, "country_of_origin": identity.country_of_origin,
             "arrival_date": identity.arrival_date, "date_of_birth": identity.date_of_birth,
             "education_level": candidate.education_level, "diploma_recognition": candidate.diploma_recognition}
    result = evaluate(programme.rules, facts, today=utcnow().date())
    row = Screening(candidate_id=candidate.id, programme_id=programme.id, path=path, eligible=result.eligible,
                    results=[o.as_dict() for o in result.outcomes], screened_by=actor.id)
    session.add(row)
    if result.eligible:
        candidate.programme, candidate.path = programme.key, path
    elif candidate.programme == programme.key:
        candidate.programme, candidate.path = "", ""
    candidate.updated_at = utcnow()
    session.add(candidate)
    enqueue(session, "candidates", candidate.id)
    session.add(AuditEntry(actor_id=actor.id, action="candidate.screen", subject=f"candidate:{candidate.id}",
                           detail={"programme": programme.key, "path": path, "eligible": result.eligible}))
    session.flush()
    log.info("candidate %s screened for %s by user %s: %s", candidate.ref, programme.key, actor.id,
             "eligible" if result.eligible else "not eligible")
    return _views(session, [row])[0]
