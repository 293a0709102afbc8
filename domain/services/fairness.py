"""Fairness monitoring (issue 17): the funnel per group, from the database, as safe aggregates.

Sector network members and admins read it over every candidate; a coach reads it over their own coaching service's
candidates only. The people it counts are never named, and nothing here is indexed or reaches an employer. The
candidate's stated gender is read here and in the candidate's own page only.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from domain.accounts import Actor, Role
from domain.fairness import (
    DIMENSIONS,
    GENDERS,
    Column,
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
    MatchShown,
    Offer,
    Organisation,
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


def _people(session: Session, candidate_ids: set[int]) -> dict[int, dict[str, str]]:
    """The groups of each candidate (not erased) among ``candidate_ids``, per dimension of DIMENSIONS."""
    candidates = session.exec(select(Candidate).where(col(Candidate.id).in_(candidate_ids),
                                                      Candidate.erased_at == None)  # noqa: E711
                              ).all() if candidate_ids else []
    ids = {c.id for c in candidates}
    identity = {row[0]: row[1:] for row in session.exec(
        select(CandidateIdentity.candidate_id, CandidateIdentity.date_of_birth, CandidateIdentity.country_of_origin)
        .where(col(CandidateIdentity.candidate_id).in_(ids))).all()} if ids else {}
    genders = dict(session.exec(select(CandidateGender.candidate_id, CandidateGender.gender)
                                .where(col(CandidateGender.candidate_id).in_(ids))).all()) if ids else {}
    screenings = session.exec(select(Screening).join(Programme, col(Programme.id) == Screening.programme_id)
                              .where(Programme.key == LEVEL_AT_WORK, col(Screening.candidate_id).in_(ids))
                              .order_by(Screening.screened_at)).all() if ids else []
    eligible = {s.candidate_id: s.eligible for s in screenings}  # the latest screening wins
    today = utcnow().date()
    groups = {}
    for candidate in candidates:
        screened = eligible.get(candidate.id)
        born, country = identity.get(candidate.id, (None, ""))
        groups[candidate.id] = {
            "region": origin_sub_region(country) or "unknown",
            "education": candidate.education_level or "unknown",
            "age": age_band(born, today),
            "level_at_work": "not_screened" if screened is None else ("eligible" if screened else "not_eligible"),
            "gender": gender_group(genders.get(candidate.id))}
    return groups


def fairness_report(session: Session, actor: Actor, filters: FairnessFilter = FairnessFilter()) -> FairnessReport:
    """Pass-through rates per group for every candidate matched or proposed within the filters (a coach: their own
    service's candidates)."""
    if actor.role in (Role.NETWORK, Role.ADMIN):
        service_id = None
    elif actor.role == Role.COACH and actor.organisation_id is not None:
        service_id = actor.organisation_id
    else:
        raise NotAllowed()
    groups = _people(session, _matched(session, filters, service_id))
    ids = set(groups)
    offer_ids = {o.id for o in session.exec(select(Offer)).all() if filters.offer_matches(o)}
    requests = [r for r in session.exec(select(InterestRequest).where(col(InterestRequest.candidate_id).in_(ids))).all()
                if r.offer_id in offer_ids] if ids else []
    placements = [p for p in session.exec(select(Placement).where(col(Placement.candidate_id).in_(ids))).all()
                  if p.offer_id in offer_ids] if ids else []
    people = []
    for candidate_id, candidate_groups in groups.items():
        own_requests = [r for r in requests if r.candidate_id == candidate_id]
        own_placements = [p for p in placements if p.candidate_id == candidate_id]
        reached = furthest_step(
            interest=bool(own_requests), accepted=any(r.state == "accepted" for r in own_requests),
            started=any(p.started_at is not None for p in own_placements),
            completed=any(p.state == "completed" for p in own_placements),
            hired=any(p.outcome == "hired" for p in own_placements))
        people.append(Person(candidate_groups, reached))
    tables, total = fairness_tables(people, list(DIMENSIONS))
    return FairnessReport(tables, total, filters, service_id is not None)


# --- per employer, for sector networks: whom it asked and who accepted, against the pool it was shown -----------

EMPLOYER_STEPS = 3  # shown (on its match list or proposed by a coach) → interest request → accepted


@dataclass(frozen=True)
class EmployerFairness:
    organisation_id: int
    name: str
    sector: str
    tables: list[Table]  # a column for the interest request and one for acceptance; every figure under k hidden
    shown: int | None  # candidates shown, None when fewer than k

    @property
    def requested(self) -> Column | None:
        """The totals of the interest-request step: entered = shown, passed = asked (None where hidden)."""
        return self.tables[0].columns[0] if self.tables else None

    @property
    def accepted(self) -> Column | None:
        return self.tables[0].columns[1] if self.tables else None


def record_shown(session: Session, offer_id: int, candidate_ids: list[int]) -> None:
    """Remember that an employer's match list showed these candidates for this offer (the first time only)."""
    if not candidate_ids:
        return
    known = set(session.exec(select(MatchShown.candidate_id).where(MatchShown.offer_id == offer_id,
                                                                   col(MatchShown.candidate_id).in_(candidate_ids))))
    rows = [{"offer_id": offer_id, "candidate_id": c, "first_shown_at": utcnow()}
            for c in dict.fromkeys(candidate_ids) if c not in known]
    if rows:  # a simultaneous view may have written some of them: keep the first
        insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert
        session.execute(insert(MatchShown).values(rows).on_conflict_do_nothing())


def employer_fairness(session: Session, actor: Actor, filters: FairnessFilter = FairnessFilter(),
                      organisation_id: int | None = None) -> list[EmployerFairness]:
    """Per employer with offers within the filters: the candidates shown to it in the period (its match lists and
    coaches' proposals), whom it sent an interest request and who accepted, per group. Networks and admins only."""
    if actor.role not in (Role.NETWORK, Role.ADMIN):
        raise NotAllowed()
    offers = {o.id: o for o in session.exec(select(Offer)).all()
              if filters.offer_matches(o) and (organisation_id is None or o.organisation_id == organisation_id)}
    shown: dict[int, set[int]] = {}
    reached: dict[tuple[int, int], int] = {}
    events = [*session.exec(select(MatchShown.candidate_id, MatchShown.offer_id, MatchShown.first_shown_at)),
              *session.exec(select(ProposedCandidate.candidate_id, Proposal.offer_id, Proposal.sent_at)
                            .join(Proposal, col(Proposal.id) == ProposedCandidate.proposal_id))]
    for candidate_id, offer_id, at in events:
        if offer_id in offers and filters.in_period(at):
            shown.setdefault(offers[offer_id].organisation_id, set()).add(candidate_id)
    for request in session.exec(select(InterestRequest)).all():
        if request.offer_id in offers and filters.in_period(request.created_at):
            employer = offers[request.offer_id].organisation_id
            shown.setdefault(employer, set()).add(request.candidate_id)  # asked, so it was shown
            step = 2 if request.state == "accepted" else 1
            key = (employer, request.candidate_id)
            reached[key] = max(reached.get(key, 0), step)
    groups = _people(session, set().union(*shown.values()) if shown else set())
    names = {o.id: o for o in session.exec(select(Organisation).where(col(Organisation.id).in_(list(shown)))).all()
             } if shown else {}
    result = []
    for employer, candidate_ids in shown.items():
        people = [Person(groups[c], reached.get((employer, c), 0)) for c in candidate_ids if c in groups]
        tables, total = fairness_tables(people, list(DIMENSIONS), steps=EMPLOYER_STEPS)
        organisation = names[employer]
        result.append(EmployerFairness(employer, organisation.name, organisation.sector, tables, total))
    return sorted(result, key=lambda e: e.name.lower())


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
