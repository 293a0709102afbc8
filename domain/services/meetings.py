"""The first meeting of a placement: the employer proposes up to three moments, the candidate picks one, both
get a calendar invitation by e-mail; a new proposal or a cancellation sends updates (domain/meeting.py)."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from domain.accounts import Actor
from domain.links import Links
from domain.meeting import BRUSSELS, MAX_SLOTS, Invite, MeetingState, ics, slot_violations
from domain.placement import OPEN_PLACEMENT_STATES, Party
from domain.services.interest import _candidate_request
from domain.services.notifications import notify, queue_mail, user_email
from domain.services.placements import _placement
from domain.tables import (
    Candidate,
    CandidateIdentity,
    FirstMeeting,
    InterestRequest,
    Offer,
    Organisation,
    Placement,
    utcnow,
)
from domain.validation import N_, NotFound, RuleBroken, Violation

ORGANISER = "no-reply@opstap.invalid"


@dataclass(frozen=True)
class MeetingView:
    state: str
    slots: list[datetime]  # Brussels time
    chosen: datetime | None
    address: str
    max_slots: int = MAX_SLOTS


def _view(meeting: FirstMeeting | None) -> MeetingView | None:
    if meeting is None:
        return None
    return MeetingView(meeting.state, [datetime.fromisoformat(s) for s in meeting.slots],
                       datetime.fromisoformat(meeting.chosen) if meeting.chosen else None, meeting.address)


def _meeting(session: Session, placement_id: int) -> FirstMeeting | None:
    return session.exec(select(FirstMeeting).where(FirstMeeting.placement_id == placement_id)).first()


def _when(moment: datetime) -> str:
    return moment.astimezone(BRUSSELS).strftime("%Y-%m-%d %H:%M")


def _parties(session: Session, placement: Placement) -> tuple[str, str, str, str]:
    """(candidate's e-mail, employer contact's e-mail, employer name, offer title)."""
    identity = session.get(CandidateIdentity, placement.candidate_id)
    request = session.get(InterestRequest, placement.interest_request_id)
    return (identity.email if identity else "", user_email(session, request.created_by),
            session.get(Organisation, placement.organisation_id).name, session.get(Offer, placement.offer_id).title)


def _send_invitations(session: Session, placement: Placement, meeting: FirstMeeting, links: Links) -> None:
    """The calendar invitation (or its cancellation) to the candidate and the employer, each their own."""
    candidate_email, employer_email, employer, offer = _parties(session, placement)
    meeting.sequence += 1
    cancelled = meeting.state == MeetingState.CANCELLED
    start = datetime.fromisoformat(meeting.chosen)
    kind = "meeting_cancelled" if cancelled else "meeting_scheduled"
    for recipient, link in ((candidate_email, links.url("portal_request", id=placement.interest_request_id)),
                            (employer_email, links.url("placement", id=placement.id))):
        if not recipient:
            continue
        invite = Invite(meeting.uid, meeting.sequence, start, f"Opstap: {offer} · {employer}", meeting.address,
                        link, recipient, cancelled)
        queue_mail(session, recipient, kind, attachment=ics(invite, ORGANISER, utcnow()), offer=offer,
                   employer=employer, when=_when(start), address=meeting.address, link=link)


def meeting_of_placement(session: Session, actor: Actor, placement_id: int) -> MeetingView | None:
    _placement(session, actor, placement_id)
    return _view(_meeting(session, placement_id))


def propose_meeting(session: Session, actor: Actor, placement_id: int, raw_slots: list[str], address: str,
                    links: Links) -> MeetingView:
    """The employer proposes moments (again). A scheduled meeting becomes a proposal: the candidate picks anew."""
    placement, party = _placement(session, actor, placement_id)
    if party != Party.EMPLOYER or placement.state not in OPEN_PLACEMENT_STATES:
        raise NotFound()
    slots, broken = slot_violations(raw_slots, address, utcnow().astimezone(BRUSSELS))
    if broken:
        raise RuleBroken(broken)
    meeting = _meeting(session, placement.id) or FirstMeeting(placement_id=placement.id,
                                                              uid=f"{secrets.token_hex(12)}@opstap")
    meeting.slots = [s.isoformat() for s in slots]
    meeting.chosen, meeting.address = "", address.strip()
    meeting.state, meeting.proposed_by, meeting.updated_at = MeetingState.PROPOSED, actor.id, utcnow()
    session.add(meeting)
    candidate_email, _employer_email, employer, offer = _parties(session, placement)
    link = links.url("portal_request", id=placement.interest_request_id)
    queue_mail(session, candidate_email, "meeting_proposed", employer=employer, offer=offer, link=link,
               moments="\n".join(f"- {_when(s)}" for s in slots))
    notify(session, _candidate_user(session, placement), "meeting.proposed",
           N_("{employer} proposed moments for a first meeting about “{offer}”."),
           f"/me/requests/{placement.interest_request_id}", employer=employer, offer=offer)
    session.flush()
    return _view(meeting)


def _candidate_user(session: Session, placement: Placement) -> int | None:
    return session.get(Candidate, placement.candidate_id).user_id


def cancel_meeting(session: Session, actor: Actor, placement_id: int, links: Links) -> MeetingView | None:
    """The employer cancels; when a moment was chosen, both get the calendar cancellation."""
    placement, party = _placement(session, actor, placement_id)
    if party != Party.EMPLOYER:
        raise NotFound()
    return _cancel(session, placement, links)


def _cancel(session: Session, placement: Placement, links: Links) -> MeetingView | None:
    meeting = _meeting(session, placement.id)
    if meeting is None or meeting.state == MeetingState.CANCELLED:
        return _view(meeting)
    was_scheduled = meeting.state == MeetingState.SCHEDULED
    meeting.state, meeting.updated_at = MeetingState.CANCELLED, utcnow()
    session.add(meeting)
    if was_scheduled:
        _send_invitations(session, placement, meeting, links)
    session.flush()
    return _view(meeting)


def _candidate_placement(session: Session, actor: Actor, request_id: int) -> Placement:
    _candidate, row = _candidate_request(session, actor, request_id)
    placement = session.exec(select(Placement).where(Placement.interest_request_id == row.id)).first()
    if placement is None:
        raise NotFound()
    return placement


def meeting_of_request(session: Session, actor: Actor, request_id: int) -> MeetingView | None:
    """The candidate's view of the first meeting for one accepted request (None before any proposal)."""
    try:
        placement = _candidate_placement(session, actor, request_id)
    except NotFound:
        return None
    return _view(_meeting(session, placement.id))


def choose_moment(session: Session, actor: Actor, request_id: int, chosen: str, links: Links) -> MeetingView:
    """The candidate picks one of the proposed moments: both get the calendar invitation (an update when
    they had picked before)."""
    placement = _candidate_placement(session, actor, request_id)
    meeting = _meeting(session, placement.id)
    if meeting is None or meeting.state == MeetingState.CANCELLED:
        raise NotFound()
    if chosen not in meeting.slots:
        raise RuleBroken([Violation("chosen", N_("Choose one of the proposed moments."))])
    if meeting.state == MeetingState.SCHEDULED and meeting.chosen == chosen:
        return _view(meeting)
    meeting.chosen, meeting.state, meeting.updated_at = chosen, MeetingState.SCHEDULED, utcnow()
    session.add(meeting)
    _send_invitations(session, placement, meeting, links)
    request = session.get(InterestRequest, placement.interest_request_id)
    notify(session, request.created_by, "meeting.scheduled", N_("The first meeting about “{offer}” is on {when}."),
           f"/placements/{placement.id}", offer=session.get(Offer, placement.offer_id).title,
           when=_when(datetime.fromisoformat(chosen)))
    session.flush()
    return _view(meeting)


def cancel_meeting_by_candidate(session: Session, actor: Actor, request_id: int, links: Links) -> MeetingView | None:
    return _cancel(session, _candidate_placement(session, actor, request_id), links)
