"""Fairness monitoring for sector networks (issue 17): the funnel per group, from the database, as safe aggregates.

Only network members and admins read it; the people it counts are never named and nothing here is indexed or
exported to employers.
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from domain.accounts import Actor, Role
from domain.fairness import DIMENSIONS, Person, Table, age_band, fairness_table, furthest_step
from domain.tables import (
    Candidate,
    CandidateIdentity,
    InterestRequest,
    Offer,
    Placement,
    Programme,
    Proposal,
    ProposedCandidate,
    Screening,
    ShortlistEntry,
    utcnow,
)
from domain.validation import NotAllowed

LEVEL_AT_WORK = "level_at_work"


@dataclass(frozen=True)
class FairnessReport:
    tables: list[Table]
    people: int
    sector: str


def _matched_ids(session: Session, sector: str) -> set[int]:
    """Candidates matched (on a coach's shortlist), proposed or sent an interest request; with ``sector``, for an
    offer in that sector."""
    queries = [select(InterestRequest.candidate_id).join(Offer, col(Offer.id) == InterestRequest.offer_id),
               select(ProposedCandidate.candidate_id).join(Proposal, col(Proposal.id) == ProposedCandidate.proposal_id)
               .join(Offer, col(Offer.id) == Proposal.offer_id),
               select(ShortlistEntry.candidate_id).join(Offer, col(Offer.id) == ShortlistEntry.offer_id)]
    ids: set[int] = set()
    for query in queries:
        ids |= set(session.exec(query.where(Offer.sector == sector) if sector else query).all())
    return ids


def fairness_report(session: Session, actor: Actor, sector: str = "") -> FairnessReport:
    """Pass-through rates per group for every candidate matched or proposed (with ``sector``: those who had an
    interest request for an offer in that sector)."""
    if actor.role not in (Role.NETWORK, Role.ADMIN):
        raise NotAllowed()
    ids = _matched_ids(session, sector)
    candidates = session.exec(select(Candidate).where(col(Candidate.id).in_(ids), Candidate.erased_at == None)  # noqa: E711
                              ).all() if ids else []
    ids = {c.id for c in candidates}
    born = dict(session.exec(select(CandidateIdentity.candidate_id, CandidateIdentity.date_of_birth)
                             .where(col(CandidateIdentity.candidate_id).in_(ids))).all()) if ids else {}
    requests = session.exec(select(InterestRequest).where(col(InterestRequest.candidate_id).in_(ids))).all() if ids else []
    if sector:
        offer_ids = set(session.exec(select(Offer.id).where(Offer.sector == sector)).all())
        requests = [r for r in requests if r.offer_id in offer_ids]
    placements = session.exec(select(Placement).where(col(Placement.candidate_id).in_(ids))).all() if ids else []
    if sector:
        placements = [p for p in placements if p.offer_id in offer_ids]
    screenings = session.exec(select(Screening).join(Programme, col(Programme.id) == Screening.programme_id)
                              .where(Programme.key == LEVEL_AT_WORK, col(Screening.candidate_id).in_(ids))
                              .order_by(Screening.screened_at)).all() if ids else []
    eligible = {s.candidate_id: s.eligible for s in screenings}  # the latest screening wins
    today = utcnow().date()
    people = []
    for candidate in candidates:
        own_requests = [r for r in requests if r.candidate_id == candidate.id]
        own_placements = [p for p in placements if p.candidate_id == candidate.id]
        reached = furthest_step(
            interest=bool(own_requests), accepted=any(r.state == "accepted" for r in own_requests),
            started=any(p.started_at is not None for p in own_placements),
            completed=any(p.state == "completed" for p in own_placements),
            hired=any(p.outcome == "hired" for p in own_placements))
        screened = eligible.get(candidate.id)
        groups = {"education": candidate.education_level or "unknown",
                  "age": age_band(born.get(candidate.id), today),
                  "level_at_work": "not_screened" if screened is None else ("eligible" if screened else "not_eligible")}
        people.append(Person(groups, reached))
    return FairnessReport([fairness_table(people, dimension) for dimension in DIMENSIONS], len(people), sector)
