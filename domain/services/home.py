"""What each role's home page shows: counts of what waits for them, and where they are in the journey
(offer -> matches -> interest request -> placement). Counts only; no candidate identity leaves here."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, func, select

from domain.accounts import Actor, Role
from domain.offers import OfferStatus
from domain.placement import CHECK_IN_INTERVAL_DAYS, follow_up_flags
from domain.tables import (
    Candidate,
    CandidateSkill,
    CheckIn,
    InterestRequest,
    Mentor,
    Offer,
    Placement,
    ProposedCandidate,
    Screening,
    ShortlistEntry,
    utcnow,
)

ANSWERED_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Count:
    key: str  # names the text and the link on the page
    number: int


@dataclass(frozen=True)
class Step:
    key: str  # names the step's text on the page
    done: bool


@dataclass(frozen=True)
class HomeSummary:
    role: str
    counts: list[Count]
    steps: list[Step]
    next_check_in: date | None = None
    flagged_placement_ids: list[int] = field(default_factory=list)

    @property
    def current_step(self) -> str | None:
        return next((s.key for s in self.steps if not s.done), None)


def _number(session: Session, query) -> int:
    return int(session.exec(query).one() or 0)


def _steps(pairs: list[tuple[str, bool]]) -> list[Step]:
    """A journey's steps; a step counts as done only when every step before it is done too."""
    steps, so_far = [], True
    for key, done in pairs:
        so_far = so_far and done
        steps.append(Step(key, so_far))
    return steps


def _employer(session: Session, actor: Actor, now: datetime) -> HomeSummary:
    org = actor.organisation_id
    offers = select(func.count()).select_from(Offer).where(Offer.organisation_id == org)
    drafts = _number(session, offers.where(Offer.status == OfferStatus.DRAFT))
    published = _number(session, offers.where(Offer.status == OfferStatus.PUBLISHED))
    ever_published = _number(session, offers.where(Offer.published_at != None))  # noqa: E711
    requests = select(func.count()).select_from(InterestRequest).where(InterestRequest.organisation_id == org)
    sent = _number(session, requests)
    answered = _number(session, requests.where(col(InterestRequest.state).in_(("accepted", "declined")),
                                                col(InterestRequest.decided_at) >= now - ANSWERED_WINDOW))
    proposals = _number(session, select(func.count()).select_from(ProposedCandidate)
                        .join(Offer, Offer.id == ProposedCandidate.offer_id)
                        .where(Offer.organisation_id == org, ProposedCandidate.status == "proposed"))
    placements = select(func.count()).select_from(Placement).where(Placement.organisation_id == org)
    any_placement = _number(session, placements)
    needing_mentor = _number(session, placements.where(col(Placement.state).in_(("planned", "active")),
                                                       ~col(Placement.id).in_(select(Mentor.placement_id))))
    started = _number(session, placements.where(col(Placement.state).in_(("active", "completed"))))
    return HomeSummary("employer", [
        Count("drafts", drafts), Count("published", published), Count("proposals", proposals),
        Count("answered", answered), Count("needing_mentor", needing_mentor),
    ], _steps([("publish", ever_published > 0), ("matches", sent > 0), ("interest", any_placement > 0),
               ("mentor", started > 0)]))


def _coach(session: Session, actor: Actor, now: datetime) -> HomeSummary:
    org = actor.organisation_id
    caseload = select(Candidate.id).where(Candidate.coaching_service_id == org,
                                          Candidate.erased_at == None)  # noqa: E711
    ids = list(session.exec(caseload).all())
    screened = set(session.exec(select(Screening.candidate_id).where(col(Screening.candidate_id).in_(ids))).all()) \
        if ids else set()
    with_skills = set(session.exec(select(CandidateSkill.candidate_id)
                                   .where(col(CandidateSkill.candidate_id).in_(ids))).all()) if ids else set()
    to_screen = sum(1 for i in ids if i not in screened)
    to_complete = sum(1 for i in ids if i not in with_skills)
    waiting = _number(session, select(func.count()).select_from(InterestRequest)
                      .where(col(InterestRequest.candidate_id).in_(caseload), InterestRequest.state == "requested",
                             InterestRequest.expires_at > now))
    shortlisted = _number(session, select(func.count()).select_from(ShortlistEntry)
                          .where(ShortlistEntry.coaching_service_id == org))
    proposed = _number(session, select(func.count()).select_from(ProposedCandidate)
                       .where(col(ProposedCandidate.candidate_id).in_(caseload)))
    placements = session.exec(select(Placement).where(col(Placement.candidate_id).in_(caseload),
                                                      col(Placement.state).in_(("planned", "active")))).all()
    flagged = [p.id for p in placements if _placement_flags(session, p, now.date())]
    any_placement = _number(session, select(func.count()).select_from(Placement)
                            .where(col(Placement.candidate_id).in_(caseload)))
    return HomeSummary("coach", [
        Count("to_screen", to_screen), Count("to_complete", to_complete), Count("waiting", waiting),
        Count("flagged", len(flagged)),
    ], _steps([("register", bool(ids)), ("screen", bool(screened)), ("shortlist", shortlisted + proposed > 0),
               ("propose", proposed > 0), ("follow", any_placement > 0)]), flagged_placement_ids=flagged)


def _placement_flags(session: Session, placement: Placement, today: date) -> list:
    latest = session.exec(select(CheckIn).where(CheckIn.placement_id == placement.id)
                          .order_by(col(CheckIn.on).desc(), col(CheckIn.id).desc()).limit(1)).first()
    return follow_up_flags(placement.state, placement.started_at.date() if placement.started_at else None,
                           latest.on if latest else None, latest.rating if latest else None, today)


def _candidate(session: Session, actor: Actor, now: datetime) -> HomeSummary:
    candidate = session.exec(select(Candidate).where(Candidate.user_id == actor.id)).first()
    if candidate is None:
        return HomeSummary("candidate", [Count("to_answer", 0)], [])
    requests = select(func.count()).select_from(InterestRequest).where(InterestRequest.candidate_id == candidate.id)
    to_answer = _number(session, requests.where(InterestRequest.state == "requested",
                                                InterestRequest.expires_at > now))
    any_request = _number(session, requests)
    accepted = _number(session, requests.where(InterestRequest.state == "accepted"))
    active = session.exec(select(Placement).where(Placement.candidate_id == candidate.id,
                                                  Placement.state == "active")
                          .order_by(col(Placement.started_at).desc())).first()
    next_check_in = None
    if active is not None:
        latest = session.exec(select(func.max(CheckIn.on)).where(CheckIn.placement_id == active.id)).one()
        since = max(d for d in (latest, active.started_at.date() if active.started_at else None) if d) \
            if (latest or active.started_at) else None
        next_check_in = since + timedelta(days=CHECK_IN_INTERVAL_DAYS) if since else None
    return HomeSummary("candidate", [Count("to_answer", to_answer)],
                       _steps([("profile", True), ("request", any_request > 0), ("accept", accepted > 0),
                               ("placement", active is not None)]), next_check_in=next_check_in)


def _network(session: Session, now: datetime) -> HomeSummary:
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    first_published = (select(Offer.organisation_id, func.min(Offer.published_at).label("first"))
                       .where(Offer.published_at != None)  # noqa: E711
                       .group_by(Offer.organisation_id).subquery())
    new_this_month = _number(session, select(func.count()).select_from(first_published)
                             .where(first_published.c.first >= month_start))
    open_offers = _number(session, select(func.count(func.distinct(Offer.organisation_id)))
                          .where(Offer.status == OfferStatus.PUBLISHED))
    return HomeSummary("network", [Count("new_engaged", new_this_month), Count("with_open_offers", open_offers)], [])


def home_summary(session: Session, actor: Actor) -> HomeSummary:
    now = utcnow()
    if actor.role == Role.EMPLOYER:
        return _employer(session, actor, now)
    if actor.role == Role.COACH:
        return _coach(session, actor, now)
    if actor.role == Role.CANDIDATE:
        return _candidate(session, actor, now)
    return _network(session, now)
