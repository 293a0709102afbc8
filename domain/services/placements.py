"""Placements: the workplace mentor, starting, check-ins by coach and mentor, the outcome.

The employer follows its own placements and sees the candidate's consented details (each time written to
the disclosure log); the coach follows the placements of their service's candidates, flagged when no
check-in came for 14 days or the latest one is a concern; the mentor records check-ins through a signed
link, without an account.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from domain.accounts import Actor, Role
from domain.language import known_language
from domain.links import MENTOR_LINK_VALIDITY, Links, new_nonce, path
from domain.offers import OFFER_TYPE_LABELS, OfferType
from domain.placement import (
    OPEN_PLACEMENT_STATES,
    CheckInInput,
    Flag,
    MentorInput,
    OutcomeInput,
    PlacementState,
    Rating,
    follow_up_flags,
    next_placement_state,
    placement_actions,
    start_violations,
    validate_check_in,
    validate_end_reason,
    validate_mentor,
    validate_outcome,
)
from domain.services.interest import Contact, disclose_contact, record_disclosure
from domain.services.notifications import notify, queue_mail, user_email
from domain.services.outbox import enqueue
from domain.tables import (
    AuditEntry,
    Candidate,
    CandidateIdentity,
    CheckIn,
    Consent,
    Mentor,
    Offer,
    Organisation,
    Placement,
    utcnow,
)
from domain.transitions import Party
from domain.validation import N_, NotAllowed, NotFound, RuleBroken

P = PlacementState


def _party(session: Session, actor: Actor, placement: Placement) -> Party:
    """The actor's side of this placement; NotFound when it is none of theirs."""
    if actor.role == Role.EMPLOYER and placement.organisation_id == actor.organisation_id:
        return Party.EMPLOYER
    if actor.role == Role.COACH:
        candidate = session.get(Candidate, placement.candidate_id)
        if candidate.coaching_service_id == actor.organisation_id and candidate.erased_at is None:
            return Party.COACH
    raise NotFound()


def _placement(session: Session, actor: Actor, placement_id: int) -> tuple[Placement, Party]:
    placement = session.get(Placement, placement_id)
    if placement is None:
        raise NotFound()
    return placement, _party(session, actor, placement)


# --- read models -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MentorView:
    name: str
    role: str
    email: str
    languages: list[str]
    training_completed: bool
    training_completed_on: date | None
    nominated_at: datetime


@dataclass(frozen=True)
class CheckInView:
    id: int
    author: str
    on: date
    rating: Rating
    note: str


@dataclass(frozen=True)
class PlacementSummary:
    id: int
    offer_id: int
    offer_title: str
    employer: str
    candidate_ref: str
    candidate_name: str  # the employer: only under consent (logged); the coach: their own caseload
    state: PlacementState
    mentor_name: str
    last_check_in: date | None
    last_rating: str | None
    flags: list[Flag]


@dataclass(frozen=True)
class PlacementDetail:
    id: int
    party: Party
    state: PlacementState
    offer_id: int
    offer_title: str
    offer_type: OfferType
    offer_type_label: str
    followup_contract_months: int | None
    followup_open_ended: bool
    employer: str
    candidate_ref: str
    contact: Contact | None
    mentor: MentorView | None
    check_ins: list[CheckInView]
    actions: list[str]
    flags: list[Flag]
    outcome: str | None
    contract_type: str | None
    contract_months: int | None
    contract_open_ended: bool
    end_reason: str
    end_note: str
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None

    @property
    def can_nominate(self) -> bool:
        return self.party == Party.EMPLOYER and self.state in OPEN_PLACEMENT_STATES

    @property
    def can_check_in(self) -> bool:
        return self.party == Party.COACH and self.state in OPEN_PLACEMENT_STATES


def _mentor_view(m: Mentor | None) -> MentorView | None:
    if m is None:
        return None
    return MentorView(m.name, m.role, m.email, list(m.languages), m.training_completed, m.training_completed_on,
                      m.nominated_at)


def _check_ins(session: Session, placement_ids: list[int]) -> dict[int, list[CheckIn]]:
    by_placement: dict[int, list[CheckIn]] = {i: [] for i in placement_ids}
    if placement_ids:
        for row in session.exec(select(CheckIn).where(col(CheckIn.placement_id).in_(placement_ids))
                                .order_by(col(CheckIn.on).desc(), col(CheckIn.id).desc())).all():
            by_placement[row.placement_id].append(row)
    return by_placement


def _flags(placement: Placement, check_ins: list[CheckIn], today: date) -> list[Flag]:
    latest = check_ins[0] if check_ins else None
    return follow_up_flags(placement.state, placement.started_at.date() if placement.started_at else None,
                           latest.on if latest else None, latest.rating if latest else None, today)


def _coach_contact(session: Session, candidate_id: int) -> Contact | None:
    identity = session.get(CandidateIdentity, candidate_id)
    if identity is None:
        return None
    return Contact(f"{identity.given_name} {identity.family_name}".strip(), identity.email, identity.phone,
                   ["name", "email", "phone"])


def placement_detail(session: Session, actor: Actor, placement_id: int, via: str = "page") -> PlacementDetail:
    placement, party = _placement(session, actor, placement_id)
    offer = session.get(Offer, placement.offer_id)
    candidate = session.get(Candidate, placement.candidate_id)
    contact = (disclose_contact(session, actor, candidate.id, via) if party == Party.EMPLOYER
               else _coach_contact(session, candidate.id))
    mentor = session.exec(select(Mentor).where(Mentor.placement_id == placement.id)).first()
    check_ins = _check_ins(session, [placement.id])[placement.id]
    return PlacementDetail(
        placement.id, party, P(placement.state), offer.id, offer.title, OfferType(offer.type),
        OFFER_TYPE_LABELS[OfferType(offer.type)], offer.followup_contract_months, offer.followup_open_ended,
        session.get(Organisation, placement.organisation_id).name, candidate.ref, contact, _mentor_view(mentor),
        [CheckInView(c.id, c.author, c.on, Rating(c.rating), c.note) for c in check_ins],
        placement_actions(placement.state, party), _flags(placement, check_ins, utcnow().date()),
        placement.outcome, placement.contract_type, placement.contract_months, placement.contract_open_ended,
        placement.end_reason, placement.end_note, placement.created_at, placement.started_at, placement.ended_at)


def placements_of(session: Session, actor: Actor) -> list[PlacementSummary]:
    """The employer's placements, or the coach's caseload's: flagged ones first for the coach."""
    query = (select(Placement, Candidate, Offer.title, Organisation.name)
             .join(Candidate, Candidate.id == Placement.candidate_id)
             .join(Offer, Offer.id == Placement.offer_id)
             .join(Organisation, Organisation.id == Placement.organisation_id))
    if actor.role == Role.EMPLOYER and actor.organisation_id is not None:
        query = query.where(Placement.organisation_id == actor.organisation_id)
    elif actor.role == Role.COACH and actor.organisation_id is not None:
        query = query.where(Candidate.coaching_service_id == actor.organisation_id,
                            Candidate.erased_at == None)  # noqa: E711
    else:
        raise NotAllowed()
    rows = session.exec(query.order_by(col(Placement.created_at).desc(), col(Placement.id).desc())).all()
    ids = [p.id for p, *_ in rows]
    check_ins = _check_ins(session, ids)
    mentors = dict(session.exec(select(Mentor.placement_id, Mentor.name).where(col(Mentor.placement_id).in_(ids))).all()) \
        if ids else {}
    today = utcnow().date()
    result = []
    for placement, candidate, title, employer in rows:
        if actor.role == Role.EMPLOYER:
            contact = disclose_contact(session, actor, candidate.id, "placements")
        else:
            contact = _coach_contact(session, candidate.id)
        latest = check_ins[placement.id][0] if check_ins[placement.id] else None
        result.append(PlacementSummary(
            placement.id, placement.offer_id, title, employer, candidate.ref, contact.name if contact else "",
            P(placement.state), mentors.get(placement.id, ""), latest.on if latest else None,
            latest.rating if latest else None, _flags(placement, check_ins[placement.id], today)))
    if actor.role == Role.COACH:
        result.sort(key=lambda s: not s.flags)  # stable: newest first within each group
    return result


# --- the mentor ------------------------------------------------------------------------------------------

def nominate_mentor(session: Session, actor: Actor, placement_id: int, mentor: MentorInput, *, links: Links) -> int:
    """Nominate (or replace) the workplace mentor; they get an e-mail with their own check-in link.
    A new nomination makes the previous mentor's link invalid."""
    placement, party = _placement(session, actor, placement_id)
    if party != Party.EMPLOYER or placement.state not in OPEN_PLACEMENT_STATES:
        raise NotAllowed()
    broken = validate_mentor(mentor, today=utcnow().date())
    if broken:
        raise RuleBroken(broken)
    row = session.exec(select(Mentor).where(Mentor.placement_id == placement.id)).first() \
        or Mentor(placement_id=placement.id, organisation_id=placement.organisation_id, name="", email="")
    row.name, row.role, row.email = mentor.name.strip(), mentor.role.strip(), mentor.email.strip().lower()
    row.languages = list(dict.fromkeys(mentor.languages))
    row.training_completed = mentor.training_completed
    row.training_completed_on = mentor.training_completed_on if mentor.training_completed else None
    row.nominated_at, row.nominated_by, row.link_nonce = utcnow(), actor.id, new_nonce()
    session.add(row)
    session.flush()
    offer = session.get(Offer, placement.offer_id)
    employer = session.get(Organisation, placement.organisation_id).name
    mentor_language = next((code for code in row.languages if known_language(code)), actor.language or None)
    queue_mail(session, row.email, "mentor_nominated", language=mentor_language, mentor=row.name, employer=employer,
               offer=offer.title,
               link=links.mentor_link(row.id, row.link_nonce),
               expires=(utcnow() + MENTOR_LINK_VALIDITY).date().isoformat())
    candidate = session.get(Candidate, placement.candidate_id)
    request_path = path("portal_request", id=placement.interest_request_id)
    notify(session, candidate.user_id, "mentor.nominated",
           N_("{employer} named your workplace mentor for “{offer}”: {mentor}."), request_path,
           employer=employer, offer=offer.title, mentor=row.name)
    notify(session, candidate.coach_id, "mentor.nominated",
           N_("{employer} nominated a workplace mentor for {ref} (“{offer}”)."), path("placement", id=placement.id),
           employer=employer, ref=candidate.ref, offer=offer.title)
    session.add(AuditEntry(actor_id=actor.id, action="mentor.nominate", subject=f"placement:{placement.id}",
                           detail={"mentor": row.id}))
    enqueue(session, "employers", placement.organisation_id)
    return row.id


def _transition(session: Session, actor: Actor, placement_id: int, action: str) -> tuple[Placement, Party]:
    placement, party = _placement(session, actor, placement_id)
    placement.state = next_placement_state(placement.state, action, party)
    return placement, party


def _tell(session: Session, placement: Placement, actor: Actor, kind: str, message: str) -> None:
    """Tell the parties other than ``actor`` that the placement moved."""
    candidate = session.get(Candidate, placement.candidate_id)
    offer = session.get(Offer, placement.offer_id)
    url = path("placement", id=placement.id)
    params = dict(ref=candidate.ref, offer=offer.title)
    if actor.role != Role.COACH:
        notify(session, candidate.coach_id, kind, message, url, **params)
    else:
        notify(session, session.get(Offer, placement.offer_id).created_by, kind, message, url, **params)
    session.add(AuditEntry(actor_id=actor.id, action=kind, subject=f"placement:{placement.id}"))
    enqueue(session, "employers", placement.organisation_id)
    # a started placement takes the candidate out of matching for its duration; its end brings them back (issue 17)
    enqueue(session, "candidates", placement.candidate_id)


def start_placement(session: Session, actor: Actor, placement_id: int) -> PlacementState:
    """Planned → active: only with a nominated workplace mentor."""
    placement, _ = _placement(session, actor, placement_id)
    has_mentor = session.exec(select(Mentor.id).where(Mentor.placement_id == placement.id)).first() is not None
    next_placement_state(placement.state, "start", _party(session, actor, placement))
    broken = start_violations(has_mentor)
    if broken:
        raise RuleBroken(broken)
    placement, _ = _transition(session, actor, placement_id, "start")
    placement.started_at = utcnow()
    session.add(placement)
    _tell(session, placement, actor, "placement.start", N_("The placement of {ref} (“{offer}”) has started."))
    return P(placement.state)


def complete_placement(session: Session, actor: Actor, placement_id: int, result: OutcomeInput) -> PlacementState:
    """Active → completed, with the outcome; a work-based training only with its follow-up contract."""
    placement, party = _placement(session, actor, placement_id)
    next_placement_state(placement.state, "complete", party)
    offer = session.get(Offer, placement.offer_id)
    broken = validate_outcome(result, offer.type)
    if broken:
        raise RuleBroken(broken)
    placement, _ = _transition(session, actor, placement_id, "complete")
    placement.outcome = result.outcome
    hired = result.outcome == "hired"
    placement.contract_type = result.contract_type if hired else None
    placement.contract_open_ended = hired and result.contract_type == "open_ended"
    placement.contract_months = result.contract_months if hired and not placement.contract_open_ended else None
    placement.ended_at = utcnow()
    session.add(placement)
    _tell(session, placement, actor, "placement.complete", N_("The placement of {ref} (“{offer}”) is completed."))
    return P(placement.state)


def end_placement_early(session: Session, actor: Actor, placement_id: int, reason: str, note: str = "") -> PlacementState:
    placement, party = _placement(session, actor, placement_id)
    next_placement_state(placement.state, "end_early", party)
    broken = validate_end_reason(reason, note)
    if broken:
        raise RuleBroken(broken)
    placement, _ = _transition(session, actor, placement_id, "end_early")
    placement.end_reason = reason
    placement.end_note = note.strip()
    placement.ended_at = utcnow()
    session.add(placement)
    _tell(session, placement, actor, "placement.end_early", N_("The placement of {ref} (“{offer}”) ended early."))
    return P(placement.state)


# --- check-ins -------------------------------------------------------------------------------------------

def _add_check_in(session: Session, placement: Placement, author: str, user_id: int | None, check_in: CheckInInput,
                  links: Links) -> int:
    if placement.state not in OPEN_PLACEMENT_STATES:
        raise NotAllowed()
    broken = validate_check_in(check_in, today=utcnow().date(), placement_created=placement.created_at.date())
    if broken:
        raise RuleBroken(broken)
    row = CheckIn(placement_id=placement.id, author=author, author_user_id=user_id, on=check_in.on,
                  rating=check_in.rating, note=check_in.note.strip())
    session.add(row)
    session.flush()
    if author == "mentor" and check_in.rating == Rating.CONCERN:
        candidate = session.get(Candidate, placement.candidate_id)
        offer = session.get(Offer, placement.offer_id)
        notify(session, candidate.coach_id, "checkin.concern",
               N_("The workplace mentor of {ref} (“{offer}”) recorded a concern."),
               path("placement", id=placement.id), ref=candidate.ref, offer=offer.title)
        queue_mail(session, user_email(session, candidate.coach_id), "concern_to_coach", ref=candidate.ref,
                   offer=offer.title, link=links.url("placement", id=placement.id))
    return row.id


def record_check_in(session: Session, actor: Actor, placement_id: int, check_in: CheckInInput, *,
                    links: Links) -> int:
    """The coach's check-in on a placement of their candidate."""
    placement, party = _placement(session, actor, placement_id)
    if party != Party.COACH:
        raise NotAllowed()
    return _add_check_in(session, placement, "coach", actor.id, check_in, links)


@dataclass(frozen=True)
class MentorPage:
    mentor_name: str
    employer: str
    offer_title: str
    candidate_name: str  # the newcomer they guide: under the candidate's consent, and logged
    state: PlacementState
    started_at: datetime | None
    check_ins: list[CheckInView]  # the mentor's own
    can_record: bool


def _mentor_of(session: Session, token: str, links: Links) -> tuple[Mentor, Placement]:
    data = links.read_mentor_token(token)
    mentor = session.get(Mentor, data[0]) if data else None
    if mentor is None or mentor.link_nonce != data[1]:
        raise NotFound()
    placement = session.get(Placement, mentor.placement_id)
    if session.get(Candidate, placement.candidate_id).erased_at is not None:
        raise NotFound()
    return mentor, placement


def mentor_page(session: Session, token: str, links: Links) -> MentorPage:
    mentor, placement = _mentor_of(session, token, links)
    offer = session.get(Offer, placement.offer_id)
    identity = session.get(CandidateIdentity, placement.candidate_id)
    consent = session.exec(select(Consent).where(Consent.interest_request_id == placement.interest_request_id)).first()
    name = ""
    if identity is not None and consent is not None and "name" in consent.disclosed_fields:
        name = f"{identity.given_name} {identity.family_name}".strip()
        record_disclosure(session, None, consent, ["name"], "mentor_link")
    own = [c for c in _check_ins(session, [placement.id])[placement.id] if c.author == "mentor"]
    return MentorPage(mentor.name, session.get(Organisation, placement.organisation_id).name, offer.title, name,
                      P(placement.state), placement.started_at,
                      [CheckInView(c.id, c.author, c.on, Rating(c.rating), c.note) for c in own],
                      placement.state in OPEN_PLACEMENT_STATES)


def mentor_check_in(session: Session, token: str, check_in: CheckInInput, *, links: Links) -> int:
    mentor, placement = _mentor_of(session, token, links)
    return _add_check_in(session, placement, "mentor", None, check_in, links)


def mentor_token_valid(session: Session, token: str, links: Links) -> bool:
    try:
        _mentor_of(session, token, links)
    except NotFound:
        return False
    return True
