"""Fairness monitoring (issue 17): the funnel per group, from the database, as safe aggregates.

Sector network members and admins read it over every candidate; a coach reads it over their own coaching service's
candidates only. The people it counts are never named, and nothing here is indexed or reaches an employer. The
candidate's stated gender is read here and in the candidate's own page only.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from domain.accounts import Actor, Role
from domain.fairness import (
    DIMENSIONS,
    GENDERS,
    Person,
    Table,
    age_band,
    fairness_tables,
    furthest_step,
    gender_group,
    month_after,
)
from domain.reference import origin_sub_region
from domain.tables import (
    Candidate,
    CandidateGender,
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
from domain.validation import N_, NotAllowed, RuleBroken, Violation

LEVEL_AT_WORK = "level_at_work"


@dataclass(frozen=True)
class FairnessFilter:
    sector: str = ""
    offer_type: str = ""
    start: date | None = None  # first day of the first month
    end: date | None = None  # first day of the last month

    def offer_matches(self, offer: Offer) -> bool:
        return (not self.sector or offer.sector == self.sector) and (not self.offer_type or offer.type == self.offer_type)

    def in_period(self, moment: datetime | None) -> bool:
        if moment is None:
            return False
        day = moment.astimezone(UTC).date() if moment.tzinfo else moment.date()
        return (self.start is None or day >= self.start) and (self.end is None or day < month_after(self.end))


@dataclass(frozen=True)
class FairnessReport:
    tables: list[Table]
    people: int | None  # None when fewer than k (hidden)
    filters: FairnessFilter
    own_service: bool  # a coach's view of their own service's candidates


def _matched(session: Session, filters: FairnessFilter, service_id: int | None) -> set[int]:
    """Candidates matched (on a coach's shortlist), proposed or sent an interest request for an offer that fits the
    filters, at a moment within the period."""
    offers = {o.id: o for o in session.exec(select(Offer)).all() if filters.offer_matches(o)}
    events = [*session.exec(select(InterestRequest.candidate_id, InterestRequest.offer_id, InterestRequest.created_at)),
              *session.exec(select(ProposedCandidate.candidate_id, Proposal.offer_id, Proposal.sent_at)
                            .join(Proposal, col(Proposal.id) == ProposedCandidate.proposal_id)),
              *session.exec(select(ShortlistEntry.candidate_id, ShortlistEntry.offer_id, ShortlistEntry.pinned_at))]
    ids = {candidate_id for candidate_id, offer_id, at in events if offer_id in offers and filters.in_period(at)}
    if service_id is not None and ids:
        ids &= set(session.exec(select(Candidate.id).where(Candidate.coaching_service_id == service_id,
                                                           col(Candidate.id).in_(ids))).all())
    return ids


def fairness_report(session: Session, actor: Actor, filters: FairnessFilter = FairnessFilter()) -> FairnessReport:
    """Pass-through rates per group for every candidate matched or proposed within the filters (a coach: their own
    service's candidates)."""
    if actor.role in (Role.NETWORK, Role.ADMIN):
        service_id = None
    elif actor.role == Role.COACH and actor.organisation_id is not None:
        service_id = actor.organisation_id
    else:
        raise NotAllowed()
    ids = _matched(session, filters, service_id)
    candidates = session.exec(select(Candidate).where(col(Candidate.id).in_(ids), Candidate.erased_at == None)  # noqa: E711
                              ).all() if ids else []
    ids = {c.id for c in candidates}
    identity = {row[0]: row[1:] for row in session.exec(
        select(CandidateIdentity.candidate_id, CandidateIdentity.date_of_birth, CandidateIdentity.country_of_origin)
        .where(col(CandidateIdentity.candidate_id).in_(ids))).all()} if ids else {}
    genders = dict(session.exec(select(CandidateGender.candidate_id, CandidateGender.gender)
                                .where(col(CandidateGender.candidate_id).in_(ids))).all()) if ids else {}
    offer_ids = {o.id for o in session.exec(select(Offer)).all() if filters.offer_matches(o)}
    requests = [r for r in session.exec(select(InterestRequest).where(col(InterestRequest.candidate_id).in_(ids))).all()
                if r.offer_id in offer_ids] if ids else []
    placements = [p for p in session.exec(select(Placement).where(col(Placement.candidate_id).in_(ids))).all()
                  if p.offer_id in offer_ids] if ids else []
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
        born, country = identity.get(candidate.id, (None, ""))
        groups = {"region": origin_sub_region(country) or "unknown",
                  "education": candidate.education_level or "unknown",
                  "age": age_band(born, today),
                  "level_at_work": "not_screened" if screened is None else ("eligible" if screened else "not_eligible"),
                  "gender": gender_group(genders.get(candidate.id))}
        people.append(Person(groups, reached))
    tables, total = fairness_tables(people, list(DIMENSIONS))
    return FairnessReport(tables, total, filters, service_id is not None)


# --- the candidate's own, optional statement of gender -----------------------------------------------------------

def _own_candidate(session: Session, actor: Actor) -> Candidate:
    if actor.role != Role.CANDIDATE:
        raise NotAllowed()
    candidate = session.exec(select(Candidate).where(Candidate.user_id == actor.id)).first()
    if candidate is None or candidate.erased_at is not None:
        raise NotAllowed()
    return candidate


def own_gender(session: Session, actor: Actor) -> str:
    """The gender the candidate stated, or "" when they did not."""
    row = session.get(CandidateGender, _own_candidate(session, actor).id)
    return row.gender if row else ""


def state_own_gender(session: Session, actor: Actor, gender: str) -> str:
    """Store, change or (with "") remove the candidate's own statement."""
    candidate = _own_candidate(session, actor)
    if gender and gender not in GENDERS:
        raise RuleBroken([Violation("gender", N_("Choose one of the options."))])
    row = session.get(CandidateGender, candidate.id)
    if not gender:
        if row is not None:
            session.delete(row)
        return ""
    if row is None:
        row = CandidateGender(candidate_id=candidate.id, gender=gender)
    row.gender, row.stated_at = gender, utcnow()
    session.add(row)
    return gender
