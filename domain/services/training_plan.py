"""The training plan of a work-based training (IBO) placement (issue 13): the offer, the skills it teaches,
the workplace mentor and the weeks, printable. Its employer, the candidate's coach and the candidate open it;
anyone else, and any placement that is not an IBO, gets NotFound.

The employer sees the candidate's name exactly as on the placement page: through ``disclose_contact``
(the candidate's consent, and a disclosure in the audit log that the candidate reads)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from domain.accounts import Actor, Role
from domain.offers import OFFER_TYPE_LABELS, OfferType
from domain.services.interest import disclose_contact
from domain.services.offers import skill_labels
from domain.services.placements import _coach_contact, _placement
from domain.services.portal import candidate_of
from domain.tables import Candidate, Mentor, Offer, OfferSkill, Organisation, Placement
from domain.transitions import Party
from domain.validation import NotFound


@dataclass(frozen=True)
class PlanWeek:
    number: int
    starts: date | None


@dataclass(frozen=True)
class PlanMentor:
    name: str
    role: str
    languages: list[str]
    training_completed: bool


@dataclass(frozen=True)
class TrainingPlan:
    placement_id: int
    party: str  # "employer", "coach" or "candidate"
    offer_id: int
    offer_title: str
    offer_type_label: str
    employer: str
    municipality: str
    candidate_ref: str
    candidate_name: str  # "" for an employer without the candidate's consent to share the name
    days_per_week: int
    hours_per_week: int
    duration_weeks: int
    taught: list[tuple[str, bool]]  # (label, essential), in the offer's order
    mentor: PlanMentor | None
    weeks: list[PlanWeek]
    followup_contract_months: int | None
    followup_open_ended: bool


def plan_weeks(weeks: int, start: date | None) -> list[PlanWeek]:
    """Week 1 … ``weeks``, each with the date it starts when the start is known."""
    return [PlanWeek(n, start + timedelta(weeks=n - 1) if start else None) for n in range(1, weeks + 1)]


def _side(session: Session, actor: Actor, placement_id: int) -> tuple[Placement, str]:
    if actor.role == Role.CANDIDATE:
        placement = session.get(Placement, placement_id)
        if placement is None or placement.candidate_id != candidate_of(session, actor).id:
            raise NotFound()
        return placement, "candidate"
    placement, party = _placement(session, actor, placement_id)
    return placement, "employer" if party == Party.EMPLOYER else "coach"


def training_plan(session: Session, actor: Actor, placement_id: int, lang: str) -> TrainingPlan:
    placement, party = _side(session, actor, placement_id)
    offer = session.get(Offer, placement.offer_id)
    if OfferType(offer.type) != OfferType.WORK_BASED_TRAINING:
        raise NotFound()
    candidate = session.get(Candidate, placement.candidate_id)
    if party == "employer":
        contact = disclose_contact(session, actor, candidate.id, "training_plan")
    else:
        contact = _coach_contact(session, candidate.id)
    skills = session.exec(select(OfferSkill).where(OfferSkill.offer_id == offer.id, OfferSkill.taught == True)  # noqa: E712
                          .order_by(OfferSkill.position)).all()
    labels = skill_labels(session, [s.skill_uri for s in skills], lang)
    mentor = session.exec(select(Mentor).where(Mentor.placement_id == placement.id)).first()
    weeks = offer.duration_value if offer.duration_unit == "weeks" else max(1, -(-offer.duration_value // 7))
    start = placement.started_at.date() if placement.started_at else offer.start_from
    return TrainingPlan(
        placement.id, party, offer.id, offer.title, OFFER_TYPE_LABELS[OfferType(offer.type)],
        session.get(Organisation, placement.organisation_id).name, offer.municipality, candidate.ref,
        contact.name if contact else "", offer.days_per_week, offer.hours_per_week, weeks,
        [(labels.get(s.skill_uri, s.skill_uri), s.essential) for s in skills],
        PlanMentor(mentor.name, mentor.role, list(mentor.languages), mentor.training_completed) if mentor else None,
        plan_weeks(weeks, start), offer.followup_contract_months, offer.followup_open_ended)


def has_training_plan(offer_type: str) -> bool:
    return OfferType(offer_type) == OfferType.WORK_BASED_TRAINING
