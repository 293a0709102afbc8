"""Interest requests: an employer's interest in an anonymised candidate, the candidate's answer with an
explicit consent, withdrawal and expiry; and what each party sees of them.

The employer sees a candidate's name and contact details only after that candidate accepted a request of
the employer's own organisation, and every time it does, a disclosure is written to the audit log that
the candidate reads in their portal. Accepting locks the offer row, so two acceptances that arrive at the
same moment never fill more places than the offer has.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from domain.accounts import Actor, Role
from domain.anonymise import identity_terms, scrub
from domain.interest import (
    DECLINE_REASONS,
    DISCLOSURE_ACTION,
    OPEN_STATES,
    InterestState,
    consent_text,
    disclosed_fields,
    effective_state,
    expires_at,
    interest_actions,
    next_interest_state,
    validate_consent,
    validate_decline,
    validate_feedback,
    validate_message,
)
from domain.links import Links, path
from domain.offers import OFFER_TYPE_LABELS, OfferStatus, OfferType, next_status
from domain.placement import PlacementState
from domain.proposals import ProposalStatus
from domain.services.account_links import LINK_HOURS, login_link_url
from domain.services.fairness import record_shown
from domain.services.notifications import notify, queue_mail, user_email
from domain.services.outbox import enqueue
from domain.services.portal import candidate_of, ensure_candidate_account
from domain.tables import (
    AuditEntry,
    Candidate,
    CandidateIdentity,
    Consent,
    InterestRequest,
    Mentor,
    Offer,
    OfferSkill,
    Organisation,
    Placement,
    ProposedCandidate,
    utcnow,
)
from domain.transitions import Party, TransitionRefused
from domain.validation import N_, NotAllowed, NotFound, RuleBroken, Violation

S = InterestState


class NoPlaceLeft(NotAllowed):
    """Every place of the offer is taken (or the offer no longer takes candidates)."""


def _party(actor: Actor) -> Party:
    return {Role.EMPLOYER: Party.EMPLOYER, Role.CANDIDATE: Party.CANDIDATE, Role.COACH: Party.COACH}.get(actor.role) \
        or _refuse()


def _refuse():
    raise NotAllowed()


def _own_offer(session: Session, actor: Actor, offer_id: int) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None or actor.role != Role.EMPLOYER or offer.organisation_id != actor.organisation_id:
        raise NotFound()
    return offer


def _employer_name(session: Session, organisation_id: int) -> str:
    return session.get(Organisation, organisation_id).name


# --- sending -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InterestSent:
    id: int
    offer_id: int
    candidate_ref: str
    state: InterestState
    expires_at: datetime


def _live_candidate_by_ref(session: Session, ref: str) -> Candidate | None:
    return session.exec(select(Candidate).where(Candidate.ref == ref.strip().upper(),
                                                Candidate.erased_at == None)).first()  # noqa: E711


def send_interest(session: Session, actor: Actor, offer_id: int, candidate_ref: str, message: str, *,
                  links: Links, expiry_days: int, proposed_id: int | None = None) -> InterestSent:
    """The employer's interest in one anonymised candidate for one published offer of theirs.

    ``proposed_id`` is the coach's proposal of this candidate (a ProposedCandidate row) it answers, if any.
    """
    if actor.role != Role.EMPLOYER:
        raise NotAllowed()
    offer = _own_offer(session, actor, offer_id)
    message = message.strip()
    broken = validate_message(message)
    if offer.status != OfferStatus.PUBLISHED:
        broken.append(Violation("offer", N_("Publish the offer before you send interest requests.")))
    candidate = _live_candidate_by_ref(session, candidate_ref) if candidate_ref.strip() else None
    now = utcnow()
    if not candidate_ref.strip():
        broken.append(Violation("candidate_ref", N_("This field is required."), code="required"))
    elif candidate is None:
        broken.append(Violation("candidate_ref", N_("No candidate has this reference.")))
    elif candidate.paused_at is not None:
        broken.append(Violation("candidate_ref", N_("This candidate is not looking for a traineeship at the moment.")))
    else:
        earlier = session.exec(select(InterestRequest).where(InterestRequest.offer_id == offer.id,
                                                             InterestRequest.candidate_id == candidate.id)).all()
        states = {effective_state(r.state, r.expires_at, now) for r in earlier}
        for r in earlier:  # a request whose time is up no longer holds the one open place (the unique index)
            if r.state == S.REQUESTED and effective_state(r.state, r.expires_at, now) == S.EXPIRED:
                expire_request(session, r.id, now)
        if states & OPEN_STATES:
            broken.append(Violation("candidate_ref", N_("You sent this candidate a request for this offer already.")))
        elif S.DECLINED in states:
            broken.append(Violation("candidate_ref", N_("This candidate declined this offer.")))
    proposal_id = None
    if proposed_id is not None and candidate is not None:
        proposed = session.get(ProposedCandidate, proposed_id)
        if proposed is None or proposed.offer_id != offer.id or proposed.candidate_id != candidate.id:
            raise NotFound()
        proposal_id = proposed.proposal_id
    if broken:
        raise RuleBroken(broken)

    user_id = ensure_candidate_account(session, candidate)
    row = InterestRequest(offer_id=offer.id, candidate_id=candidate.id, organisation_id=offer.organisation_id,
                          created_by=actor.id, proposal_id=proposal_id, state=S.REQUESTED, message=message,
                          created_at=now, expires_at=expires_at(now, expiry_days))
    try:
        with session.begin_nested():  # another request for this pair stored meanwhile: the unique index says no
            session.add(row)
            session.flush()
    except IntegrityError:
        raise RuleBroken([Violation("candidate_ref", N_("You sent this candidate a request for this offer already."))]) from None
    employer = _employer_name(session, offer.organisation_id)
    identity = session.get(CandidateIdentity, candidate.id)
    request_path = path("portal_request", id=row.id)
    if user_id is not None:
        notify(session, user_id, "interest.sent", N_("{employer} would like to meet you for “{offer}”."),
               request_path, employer=employer, offer=offer.title)
        queue_mail(session, identity.email, "interest_to_candidate", given_name=identity.given_name,
                   employer=employer, offer=offer.title, link=login_link_url(session, links, user_id, request_path),
                   hours=LINK_HOURS, expires=row.expires_at.date().isoformat())
    notify(session, candidate.coach_id, "interest.sent",
           N_("{employer} sent an interest request to {ref} for “{offer}”."), path("coach_interest"),
           employer=employer, ref=candidate.ref, offer=offer.title)
    queue_mail(session, user_email(session, candidate.coach_id), "interest_to_coach", employer=employer,
               ref=candidate.ref, offer=offer.title, link=links.url("coach_interest"))
    session.add(AuditEntry(actor_id=actor.id, action="interest.send", subject=f"offer:{offer.id}",
                           detail={"interest_request": row.id, "candidate": candidate.ref}))
    return InterestSent(row.id, offer.id, candidate.ref, S.REQUESTED, row.expires_at)


# --- state changes -----------------------------------------------------------------------------------

def _move(session: Session, row: InterestRequest, action: str, party: Party, now: datetime, **values) -> None:
    """Apply ``action`` with a conditional UPDATE, so that of two processes only one moves the request."""
    current = effective_state(row.state, row.expires_at, now)
    new_state = next_interest_state(current, action, party)
    result = session.execute(update(InterestRequest)
                             .where(InterestRequest.id == row.id, InterestRequest.state == current)
                             .values(state=new_state, decided_at=now, **values))
    if result.rowcount != 1:
        raise TransitionRefused(row.state, action, party, "changed meanwhile")
    session.refresh(row)


def expire_request(session: Session, request_id: int, now: datetime | None = None) -> bool:
    """Mark one request expired when its time is up; True when this call did it (then the parties are told)."""
    now = now or utcnow()
    row = session.get(InterestRequest, request_id)
    if row is None or row.state != S.REQUESTED or now < row.expires_at:
        return False
    next_interest_state(row.state, "expire", Party.SYSTEM)
    result = session.execute(update(InterestRequest)
                             .where(InterestRequest.id == row.id, InterestRequest.state == S.REQUESTED)
                             .values(state=S.EXPIRED, decided_at=now))
    if result.rowcount != 1:
        return False
    session.refresh(row)
    offer = session.get(Offer, row.offer_id)
    candidate = session.get(Candidate, row.candidate_id)
    notify(session, row.created_by, "interest.expired", N_("Your interest request to {ref} for “{offer}” expired."),
           path("offer_interest", id=offer.id), ref=candidate.ref, offer=offer.title)
    notify(session, candidate.coach_id, "interest.expired", N_("The interest request to {ref} for “{offer}” expired."),
           path("coach_interest"), ref=candidate.ref, offer=offer.title)
    notify(session, candidate.user_id, "interest.expired", N_("The request for “{offer}” expired."),
           path("portal_request", id=row.id), offer=offer.title)
    return True


def expire_due(session: Session, now: datetime | None = None, limit: int = 200) -> int:
    """Expire every request whose time is up (the background job); safe beside other processes."""
    now = now or utcnow()
    ids = session.exec(select(InterestRequest.id).where(InterestRequest.state == S.REQUESTED,
                                                        InterestRequest.expires_at <= now)
                       .order_by(InterestRequest.id).limit(limit)).all()
    return sum(expire_request(session, request_id, now) for request_id in ids)


def _employer_request(session: Session, actor: Actor, request_id: int) -> InterestRequest:
    row = session.get(InterestRequest, request_id)
    if row is None or actor.role != Role.EMPLOYER or row.organisation_id != actor.organisation_id:
        raise NotFound()
    return row


def _candidate_request(session: Session, actor: Actor, request_id: int) -> tuple[Candidate, InterestRequest]:
    candidate = candidate_of(session, actor)
    row = session.get(InterestRequest, request_id)
    if row is None or row.candidate_id != candidate.id:
        raise NotFound()
    return candidate, row


def withdraw_interest(session: Session, actor: Actor, request_id: int) -> InterestState:
    row = _employer_request(session, actor, request_id)
    _move(session, row, "withdraw", Party.EMPLOYER, utcnow())
    offer = session.get(Offer, row.offer_id)
    candidate = session.get(Candidate, row.candidate_id)
    employer = _employer_name(session, row.organisation_id)
    notify(session, candidate.user_id, "interest.withdrawn", N_("{employer} withdrew its request for “{offer}”."),
           path("portal_request", id=row.id), employer=employer, offer=offer.title)
    notify(session, candidate.coach_id, "interest.withdrawn",
           N_("{employer} withdrew its request to {ref} for “{offer}”."), path("coach_interest"),
           employer=employer, ref=candidate.ref, offer=offer.title)
    session.add(AuditEntry(actor_id=actor.id, action="interest.withdraw", subject=f"offer:{offer.id}",
                           detail={"interest_request": row.id}))
    return InterestState(row.state)


@dataclass(frozen=True)
class Accepted:
    interest_request_id: int
    placement_id: int
    disclosed_fields: list[str]
    offer_filled: bool


def accept_interest(session: Session, actor: Actor, request_id: int, *, confirmed: bool, links: Links,
                    language: str = "en", gettext: Callable[[str], str] = lambda s: s) -> Accepted:
    """The candidate accepts, consenting to show exactly ``disclosed_fields`` to this employer.

    The offer row is locked first (``FOR UPDATE`` on PostgreSQL; SQLite transactions here begin
    IMMEDIATE, which serialises writers), then the places are counted: never more acceptances than places.
    """
    candidate, row = _candidate_request(session, actor, request_id)
    broken = validate_consent(confirmed)
    if broken:
        raise RuleBroken(broken)
    offer = session.exec(select(Offer).where(Offer.id == row.offer_id).with_for_update()
                         .execution_options(populate_existing=True)).one()
    row = session.exec(select(InterestRequest).where(InterestRequest.id == row.id).with_for_update()
                       .execution_options(populate_existing=True)).one()
    now = utcnow()
    next_interest_state(effective_state(row.state, row.expires_at, now), "accept", Party.CANDIDATE)
    if offer.status != OfferStatus.PUBLISHED:
        raise NoPlaceLeft()
    taken = _accepted_count(session, offer.id)
    if taken >= offer.places:
        raise NoPlaceLeft()
    _move(session, row, "accept", Party.CANDIDATE, now, decided_by=actor.id)

    identity = session.get(CandidateIdentity, candidate.id)
    employer = _employer_name(session, offer.organisation_id)
    fields = disclosed_fields(identity.email, identity.phone)
    session.add(Consent(interest_request_id=row.id, candidate_id=candidate.id, organisation_id=offer.organisation_id,
                        disclosed_fields=fields, text=consent_text(employer, offer.title, fields, gettext),
                        language=language, given_at=now))
    placement = Placement(offer_id=offer.id, candidate_id=candidate.id, organisation_id=offer.organisation_id,
                          interest_request_id=row.id, state=PlacementState.PLANNED, created_at=now)
    session.add(placement)
    filled = taken + 1 >= offer.places
    if filled:
        offer.status = next_status(offer.status, "fill")
        offer.updated_at = now
        session.add(offer)
        enqueue(session, "offers", offer.id)
        enqueue(session, "employers", offer.organisation_id)
        session.add(AuditEntry(actor_id=None, action="offer.fill", subject=f"offer:{offer.id}"))
    session.flush()
    session.add(AuditEntry(actor_id=actor.id, action="consent.give", subject=f"candidate:{candidate.id}",
                           detail={"interest_request": row.id, "organisation_id": offer.organisation_id,
                                   "offer_id": offer.id, "fields": fields}))
    placement_path = path("placement", id=placement.id)
    notify(session, row.created_by, "interest.accepted",
           N_("{ref} accepted your interest for “{offer}”. Nominate a workplace mentor."), placement_path,
           ref=candidate.ref, offer=offer.title)
    queue_mail(session, user_email(session, row.created_by), "accepted_to_employer", ref=candidate.ref,
               offer=offer.title, link=links.url("placement", id=placement.id))
    notify(session, candidate.coach_id, "interest.accepted",
           N_("{ref} accepted the interest of {employer} for “{offer}”. A placement is planned."), placement_path,
           ref=candidate.ref, employer=employer, offer=offer.title)
    return Accepted(row.id, placement.id, fields, filled)


def _accepted_count(session: Session, offer_id: int) -> int:
    return session.exec(select(func.count()).select_from(InterestRequest)
                        .where(InterestRequest.offer_id == offer_id, InterestRequest.state == S.ACCEPTED)).one()


def decline_interest(session: Session, actor: Actor, request_id: int, reason: str, note: str, *,
                     links: Links) -> InterestState:
    """The candidate says no, with a reason from the list; the coach sees the reason, the employer a kind word."""
    candidate, row = _candidate_request(session, actor, request_id)
    broken = validate_decline(reason, note)
    if broken:
        raise RuleBroken(broken)
    _move(session, row, "decline", Party.CANDIDATE, utcnow(), decided_by=actor.id, decline_reason=reason,
          decline_note=note.strip())
    if row.proposal_id is not None:
        session.execute(update(ProposedCandidate)
                        .where(ProposedCandidate.proposal_id == row.proposal_id,
                               ProposedCandidate.candidate_id == candidate.id,
                               ProposedCandidate.status == ProposalStatus.PROPOSED)
                        .values(status=ProposalStatus.DECLINED_BY_CANDIDATE, decided_at=row.decided_at))
    offer = session.get(Offer, row.offer_id)
    employer = _employer_name(session, row.organisation_id)
    notify(session, candidate.coach_id, "interest.declined",
           N_("{ref} declined the interest of {employer} for “{offer}”: {reason_label}."), path("coach_interest"),
           ref=candidate.ref, employer=employer, offer=offer.title, reason_label=DECLINE_REASONS[reason])
    notify(session, row.created_by, "interest.declined",
           N_("{ref} will not take up “{offer}” this time. Thank you for your interest."),
           path("offer_interest", id=offer.id), ref=candidate.ref, offer=offer.title)
    queue_mail(session, user_email(session, row.created_by), "declined_to_employer", ref=candidate.ref,
               offer=offer.title, link=links.url("offer_interest", id=offer.id))
    session.add(AuditEntry(actor_id=actor.id, action="interest.decline", subject=f"candidate:{candidate.id}",
                           detail={"interest_request": row.id, "reason": reason}))
    return InterestState(row.state)


def add_coach_feedback(session: Session, actor: Actor, request_id: int, feedback: str, *, links: Links) -> None:
    """The coach's optional word to the employer after a "no", scrubbed of the candidate's identity."""
    row = session.get(InterestRequest, request_id)
    candidate = session.get(Candidate, row.candidate_id) if row else None
    if (row is None or candidate is None or candidate.erased_at is not None or actor.role != Role.COACH
            or candidate.coaching_service_id != actor.organisation_id):
        raise NotFound()
    if effective_state(row.state, row.expires_at, utcnow()) not in (S.DECLINED, S.EXPIRED):
        raise NotAllowed()
    broken = validate_feedback(feedback)
    if broken:
        raise RuleBroken(broken)
    identity = session.get(CandidateIdentity, candidate.id)
    row.coach_feedback = scrub(feedback.strip(), identity_terms(identity.given_name, identity.family_name,
                                                                identity.email, identity.phone, identity.address))
    row.coach_feedback_at = utcnow()
    session.add(row)
    offer = session.get(Offer, row.offer_id)
    notify(session, row.created_by, "interest.feedback", N_("The coach of {ref} added feedback about “{offer}”."),
           path("offer_interest", id=offer.id), ref=candidate.ref, offer=offer.title)
    queue_mail(session, user_email(session, row.created_by), "feedback_to_employer", ref=candidate.ref,
               offer=offer.title, feedback=row.coach_feedback, link=links.url("offer_interest", id=offer.id))


# --- disclosure: the employer sees who accepted ----------------------------------------------------------

@dataclass(frozen=True)
class Contact:
    """What an employer may see of a candidate who accepted: the consented fields only."""

    name: str
    email: str
    phone: str
    fields: list[str]


def record_disclosure(session: Session, actor_id: int | None, consent: Consent, fields: list[str], via: str) -> None:
    """One line of the disclosure log: who (which organisation) saw which fields, under which consent."""
    request = session.get(InterestRequest, consent.interest_request_id)
    offer = session.get(Offer, request.offer_id)
    session.add(AuditEntry(actor_id=actor_id, action=DISCLOSURE_ACTION, subject=f"candidate:{consent.candidate_id}",
                           detail={"organisation_id": consent.organisation_id,
                                   "organisation": _employer_name(session, consent.organisation_id),
                                   "offer_id": offer.id, "offer": offer.title, "interest_request": request.id,
                                   "fields": fields, "via": via}))


def disclose_contact(session: Session, actor: Actor, candidate_id: int, via: str) -> Contact | None:
    """The candidate's consented details for the actor's organisation, or None without consent.

    Each call that returns details writes a disclosure to the audit log, which the candidate reads.
    """
    if actor.role != Role.EMPLOYER or actor.organisation_id is None:
        return None
    consent = session.exec(select(Consent).where(Consent.candidate_id == candidate_id,
                                                 Consent.organisation_id == actor.organisation_id)
                           .order_by(col(Consent.given_at).desc())).first()
    identity = session.get(CandidateIdentity, candidate_id) if consent else None
    if consent is None or identity is None:
        return None
    fields = list(consent.disclosed_fields)
    record_disclosure(session, actor.id, consent, fields, via)
    return Contact(name=f"{identity.given_name} {identity.family_name}".strip() if "name" in fields else "",
                   email=identity.email if "email" in fields else "",
                   phone=identity.phone if "phone" in fields else "", fields=fields)


# --- what each party sees -------------------------------------------------------------------------------

@dataclass(frozen=True)
class EmployerInterest:
    id: int
    candidate_id: int
    candidate_ref: str
    state: InterestState
    message: str
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    coach_feedback: str
    placement_id: int | None
    contact: Contact | None
    actions: list[str]


@dataclass(frozen=True)
class OfferInterest:
    offer_id: int
    title: str
    status: OfferStatus
    places: int
    accepted: int
    requests: list[EmployerInterest]


def _placements_by_request(session: Session, request_ids: list[int]) -> dict[int, int]:
    if not request_ids:
        return {}
    return dict(session.exec(select(Placement.interest_request_id, Placement.id)
                             .where(col(Placement.interest_request_id).in_(request_ids))).all())


def employer_request(session: Session, actor: Actor, request_id: int, via: str = "page") -> EmployerInterest:
    row = _employer_request(session, actor, request_id)
    return _employer_view(session, actor, row, _placements_by_request(session, [row.id]), utcnow(), via)


def _employer_view(session: Session, actor: Actor, row: InterestRequest, placements: dict[int, int],
                   now: datetime, via: str) -> EmployerInterest:
    state = effective_state(row.state, row.expires_at, now)
    candidate = session.get(Candidate, row.candidate_id)
    contact = disclose_contact(session, actor, row.candidate_id, via) if state == S.ACCEPTED else None
    return EmployerInterest(row.id, row.candidate_id, candidate.ref, state, row.message, row.created_at,
                            row.expires_at, row.decided_at, row.coach_feedback, placements.get(row.id), contact,
                            interest_actions(state, Party.EMPLOYER))


def offer_interest(session: Session, actor: Actor, offer_id: int) -> OfferInterest:
    """The employer's requests for one offer, newest first; names only where the candidate accepted."""
    offer = _own_offer(session, actor, offer_id)
    rows = session.exec(select(InterestRequest).where(InterestRequest.offer_id == offer.id)
                        .order_by(col(InterestRequest.created_at).desc(), col(InterestRequest.id).desc())).all()
    placements = _placements_by_request(session, [r.id for r in rows])
    now = utcnow()
    views = [_employer_view(session, actor, row, placements, now, "page") for row in rows]
    return OfferInterest(offer.id, offer.title, OfferStatus(offer.status), offer.places,
                         sum(v.state == S.ACCEPTED for v in views), views)


def interest_by_candidate(session: Session, actor: Actor, offer_id: int) -> dict[int, InterestState]:
    """For the matches page: the latest state of the employer's request per candidate for this offer."""
    offer = _own_offer(session, actor, offer_id)
    now = utcnow()
    rows = session.exec(select(InterestRequest).where(InterestRequest.offer_id == offer.id)
                        .order_by(InterestRequest.id)).all()
    return {r.candidate_id: effective_state(r.state, r.expires_at, now) for r in rows}


def interest_on_match_list(session: Session, actor: Actor, offer_id: int, shown: list[int]) -> dict[int, InterestState]:
    """For the employer's match list: where its requests stand per candidate; and the candidates it was shown are
    remembered for the networks' fairness monitoring (domain/services/fairness.py, in aggregate only)."""
    states = interest_by_candidate(session, actor, offer_id)
    record_shown(session, offer_id, shown)
    return states


def interest_by_ref(session: Session, actor: Actor, offer_id: int) -> dict[str, InterestState]:
    """For the coaches' proposals on the offer page: the state of the employer's request per reference."""
    refs = dict(session.exec(select(Candidate.id, Candidate.ref).join(InterestRequest, InterestRequest.candidate_id
                                                                      == Candidate.id)
                             .where(InterestRequest.offer_id == offer_id)).all())
    return {refs[candidate_id]: state for candidate_id, state in interest_by_candidate(session, actor, offer_id).items()
            if candidate_id in refs}


@dataclass(frozen=True)
class PlainOffer:
    """An offer in plain language, for the candidate."""

    id: int
    title: str
    employer: str
    employer_municipality: str
    type: OfferType
    type_label: str
    description: str
    duration_value: int
    duration_unit: str
    days_per_week: int
    hours_per_week: int
    remote_days: int
    postcode: str
    municipality: str
    monthly_pay_eur: int | None
    followup_contract_months: int | None
    followup_open_ended: bool
    start_from: date | None
    start_until: date | None
    accessibility_notes: str
    taught: tuple[str, ...] = ()  # skill URIs the traineeship teaches: "you will learn here" (issue 13)


@dataclass(frozen=True)
class MentorSummary:
    name: str
    role: str
    languages: list[str]
    training_completed: bool


@dataclass(frozen=True)
class CandidateInterest:
    id: int
    state: InterestState
    offer: PlainOffer
    message: str
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    decline_reason: str
    actions: list[str]
    places_left: bool
    placement_id: int | None
    mentor: MentorSummary | None
    disclosed_fields: list[str]  # what accepting would show, or showed
    own_details: dict[str, str]  # the candidate's own values of those fields, to see exactly what is shared
    consent_text: str  # as given, once accepted
    consent_language: str = ""  # the language the consent text was shown (and is kept) in


def plain_offer(session: Session, offer_id: int) -> PlainOffer:
    o = session.get(Offer, offer_id)
    organisation = session.get(Organisation, o.organisation_id)
    return PlainOffer(o.id, o.title, organisation.name, organisation.municipality, OfferType(o.type),
                      OFFER_TYPE_LABELS[OfferType(o.type)], o.description, o.duration_value, o.duration_unit,
                      o.days_per_week, o.hours_per_week, o.remote_days, o.postcode, o.municipality, o.monthly_pay_eur,
                      o.followup_contract_months, o.followup_open_ended, o.start_from, o.start_until,
                      o.accessibility_notes,
                      tuple(session.exec(select(OfferSkill.skill_uri).where(OfferSkill.offer_id == o.id,
                                                                           OfferSkill.taught == True)  # noqa: E712
                                         .order_by(OfferSkill.position)).all()))


def _candidate_view(session: Session, candidate: Candidate, row: InterestRequest, now: datetime) -> CandidateInterest:
    state = effective_state(row.state, row.expires_at, now)
    offer = session.get(Offer, row.offer_id)
    placement = session.exec(select(Placement).where(Placement.interest_request_id == row.id)).first()
    mentor = session.exec(select(Mentor).where(Mentor.placement_id == placement.id)).first() if placement else None
    consent = session.exec(select(Consent).where(Consent.interest_request_id == row.id)).first()
    identity = session.get(CandidateIdentity, candidate.id)
    fields = list(consent.disclosed_fields) if consent else disclosed_fields(identity.email, identity.phone)
    own = {"name": f"{identity.given_name} {identity.family_name}".strip(), "email": identity.email,
           "phone": identity.phone}
    places_left = offer.status == OfferStatus.PUBLISHED and _accepted_count(session, offer.id) < offer.places
    return CandidateInterest(
        row.id, state, plain_offer(session, offer.id), row.message, row.created_at, row.expires_at, row.decided_at,
        row.decline_reason, interest_actions(state, Party.CANDIDATE), places_left,
        placement.id if placement else None,
        MentorSummary(mentor.name, mentor.role, list(mentor.languages), mentor.training_completed) if mentor else None,
        fields, {f: own[f] for f in fields}, consent.text if consent else "", consent.language if consent else "")


def candidate_request(session: Session, actor: Actor, request_id: int) -> CandidateInterest:
    candidate, row = _candidate_request(session, actor, request_id)
    return _candidate_view(session, candidate, row, utcnow())


def candidate_requests(session: Session, actor: Actor) -> list[CandidateInterest]:
    candidate = candidate_of(session, actor)
    rows = session.exec(select(InterestRequest).where(InterestRequest.candidate_id == candidate.id)
                        .order_by(col(InterestRequest.created_at).desc(), col(InterestRequest.id).desc())).all()
    now = utcnow()
    return [_candidate_view(session, candidate, row, now) for row in rows]


def consent_preview(session: Session, actor: Actor, request_id: int, gettext: Callable[[str], str]) -> str:
    """The consent text the candidate is about to agree to, in their language."""
    candidate, row = _candidate_request(session, actor, request_id)
    identity = session.get(CandidateIdentity, candidate.id)
    offer = session.get(Offer, row.offer_id)
    return consent_text(_employer_name(session, row.organisation_id), offer.title,
                        disclosed_fields(identity.email, identity.phone), gettext)


@dataclass(frozen=True)
class CoachInterest:
    id: int
    candidate_id: int
    candidate_ref: str
    candidate_name: str  # the coach's own caseload
    employer: str
    offer_id: int
    offer_title: str
    state: InterestState
    created_at: datetime
    decided_at: datetime | None
    decline_reason: str
    decline_note: str
    coach_feedback: str
    placement_id: int | None
    can_give_feedback: bool


def coach_requests(session: Session, actor: Actor, candidate_id: int | None = None) -> list[CoachInterest]:
    """The interest requests for the coaching service's candidates (or one of them), newest first."""
    if actor.role != Role.COACH or actor.organisation_id is None:
        raise NotAllowed()
    query = (select(InterestRequest, Candidate, CandidateIdentity, Offer.title, Organisation.name)
             .join(Candidate, Candidate.id == InterestRequest.candidate_id)
             .join(CandidateIdentity, CandidateIdentity.candidate_id == Candidate.id)
             .join(Offer, Offer.id == InterestRequest.offer_id)
             .join(Organisation, Organisation.id == InterestRequest.organisation_id)
             .where(Candidate.coaching_service_id == actor.organisation_id, Candidate.erased_at == None))  # noqa: E711
    if candidate_id is not None:
        query = query.where(Candidate.id == candidate_id)
    rows = session.exec(query.order_by(col(InterestRequest.created_at).desc(), col(InterestRequest.id).desc())).all()
    placements = _placements_by_request(session, [r.id for r, *_ in rows])
    now = utcnow()
    result = []
    for row, candidate, identity, title, employer in rows:
        state = effective_state(row.state, row.expires_at, now)
        result.append(CoachInterest(
            row.id, candidate.id, candidate.ref, f"{identity.given_name} {identity.family_name}", employer, row.offer_id,
            title, state, row.created_at, row.decided_at, row.decline_reason, row.decline_note, row.coach_feedback,
            placements.get(row.id), state in (S.DECLINED, S.EXPIRED)))
    return result


def candidate_user(session: Session, request_id: int) -> int | None:
    """The login of the candidate a request is for (tests and the demo use it)."""
    row = session.get(InterestRequest, request_id)
    return session.get(Candidate, row.candidate_id).user_id if row else None
