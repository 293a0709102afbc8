"""Decline reasons (issue 17): a coach's view over their own service's candidates, an employer's private view over
its own requests. Only counts leave here; no candidate reference, no free-text note."""

from sqlmodel import Session, select

from domain.accounts import Actor, Role
from domain.declines import Decline, EmployerReasons, ReasonCounts, coach_reasons, employer_reasons
from domain.tables import Candidate, InterestRequest, Offer
from domain.validation import NotAllowed


def _declines(session: Session, *conditions) -> list[Decline]:
    rows = session.exec(select(InterestRequest.decline_reason, Offer.type, Offer.sector)
                        .join(Offer, Offer.id == InterestRequest.offer_id)
                        .join(Candidate, Candidate.id == InterestRequest.candidate_id)
                        .where(InterestRequest.state == "declined", *conditions)).all()
    return [Decline(reason, offer_type, sector) for reason, offer_type, sector in rows]


def coach_decline_reasons(session: Session, actor: Actor) -> ReasonCounts:
    """The reasons the coach's own service's candidates gave when they declined."""
    if actor.role != Role.COACH or actor.organisation_id is None:
        raise NotAllowed()
    return coach_reasons(_declines(session, Candidate.coaching_service_id == actor.organisation_id))


def employer_decline_reasons(session: Session, actor: Actor) -> EmployerReasons:
    """Why candidates declined this employer's requests, small counts hidden."""
    if actor.role != Role.EMPLOYER or actor.organisation_id is None:
        raise NotAllowed()
    return employer_reasons(_declines(session, InterestRequest.organisation_id == actor.organisation_id))
