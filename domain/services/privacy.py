"""A candidate's privacy rights: read who saw their details, download all their data, erase it.

Erasure removes the identity and everything that describes the person (profile, screenings, coaching log,
check-in notes, notifications, mails to them), takes the profile out of the index through the outbox,
and keeps placements and interest requests only as anonymous rows that count in aggregates.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from domain.accounts import Actor, hash_password, new_token
from domain.anonymise import anonymised_profile
from domain.interest import DECLINE_REASONS, DISCLOSURE_ACTION, InterestState, effective_state
from domain.placement import OUTCOME_LABELS
from domain.services.account_links import LOGIN, PASSWORD_RESET
from domain.services.audit import record_export
from domain.services.candidates import _unique_references, profile_facts
from domain.services.notifications import notify
from domain.services.outbox import enqueue
from domain.services.portal import candidate_of
from domain.services.sessions import end_sessions
from domain.tables import (
    AccountLink,
    AuditEntry,
    CandidateExperience,
    CandidateGender,
    CandidateIdentity,
    CandidateLanguage,
    CandidateSkill,
    CheckIn,
    CoachingLogEntry,
    Consent,
    InterestRequest,
    LoginAttempt,
    MatchShown,
    Mentor,
    Notification,
    Offer,
    Organisation,
    OutgoingMail,
    Placement,
    Programme,
    Screening,
    ShortlistEntry,
    User,
    utcnow,
)
from domain.validation import N_, RuleBroken, Violation


@dataclass(frozen=True)
class Disclosure:
    """"Employer X saw your name and e-mail on date Y, because you accepted offer Z" (grouped per day)."""

    organisation: str
    offer: str
    fields: list[str]
    on: date
    times: int


def disclosures_of(session: Session, actor: Actor) -> list[Disclosure]:
    candidate = candidate_of(session, actor)
    return _disclosures(session, candidate.id)


def _disclosures(session: Session, candidate_id: int) -> list[Disclosure]:
    rows = session.exec(select(AuditEntry).where(AuditEntry.action == DISCLOSURE_ACTION,
                                                 AuditEntry.subject == f"candidate:{candidate_id}")
                        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())).all()
    grouped: dict[tuple, int] = {}
    for row in rows:
        d = row.detail
        key = (d.get("organisation", ""), d.get("offer", ""), tuple(d.get("fields", [])), row.at.date())
        grouped[key] = grouped.get(key, 0) + 1
    return [Disclosure(org, offer, list(fields), on, times) for (org, offer, fields, on), times in grouped.items()]


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_candidate_data(session: Session, actor: Actor) -> dict:
    """Everything Opstap holds about the candidate, as JSON-ready data."""
    candidate = candidate_of(session, actor)
    record_export(session, actor, "candidate_data", 1)
    identity = session.get(CandidateIdentity, candidate.id)
    user = session.get(User, actor.id)
    facts = profile_facts(session, [candidate.id]).get(candidate.id)
    programmes = dict(session.exec(select(Programme.id, Programme.name)).all())
    now = utcnow()
    requests = session.exec(select(InterestRequest, Offer.title, Organisation.name)
                            .join(Offer, Offer.id == InterestRequest.offer_id)
                            .join(Organisation, Organisation.id == InterestRequest.organisation_id)
                            .where(InterestRequest.candidate_id == candidate.id).order_by(InterestRequest.id)).all()
    placements = session.exec(select(Placement, Offer.title, Organisation.name)
                              .join(Offer, Offer.id == Placement.offer_id)
                              .join(Organisation, Organisation.id == Placement.organisation_id)
                              .where(Placement.candidate_id == candidate.id).order_by(Placement.id)).all()
    consents = session.exec(select(Consent, Organisation.name).join(Organisation, Organisation.id == Consent.organisation_id)
                            .where(Consent.candidate_id == candidate.id).order_by(Consent.id)).all()
    return {
        "exported_at": now.isoformat(),
        "account": {"email": user.email, "created_at": _iso(user.created_at)},
        "identity": {name: (_iso(value) if isinstance(value, date) else value)
                     for name, value in identity.model_dump().items() if name != "candidate_id"},
        "profile_as_employers_see_it": anonymised_profile(facts) if facts else None,
        "profile_summary_as_written_by_your_coach": candidate.summary,
        "gender_you_stated": (g.gender if (g := session.get(CandidateGender, candidate.id)) else None),
        "screenings": [{"programme": programmes.get(s.programme_id, ""), "path": s.path, "eligible": s.eligible,
                        "results": s.results, "screened_at": _iso(s.screened_at)}
                       for s in session.exec(select(Screening).where(Screening.candidate_id == candidate.id)
                                             .order_by(Screening.id)).all()],
        "coaching_log": [{"on": _iso(e.happened_on), "kind": e.kind, "note": e.note}
                         for e in session.exec(select(CoachingLogEntry).where(CoachingLogEntry.candidate_id == candidate.id)
                                               .order_by(CoachingLogEntry.id)).all()],
        "interest_requests": [{
            "id": r.id, "employer": employer, "offer": title,
            "state": effective_state(r.state, r.expires_at, now).value, "message": r.message,
            "sent_at": _iso(r.created_at), "expires_at": _iso(r.expires_at), "decided_at": _iso(r.decided_at),
            "decline_reason": DECLINE_REASONS.get(r.decline_reason, ""), "decline_note": r.decline_note,
        } for r, title, employer in requests],
        "consents": [{"employer": employer, "fields": list(c.disclosed_fields), "text": c.text,
                      "given_at": _iso(c.given_at)} for c, employer in consents],
        "placements": [_placement_export(session, p, title, employer) for p, title, employer in placements],
        "disclosures": [{"employer": d.organisation, "offer": d.offer, "fields": d.fields, "on": _iso(d.on),
                         "times": d.times} for d in _disclosures(session, candidate.id)],
        "notifications": [{"message": n.message, "params": n.params, "at": _iso(n.created_at)}
                          for n in session.exec(select(Notification).where(Notification.user_id == actor.id)
                                                .order_by(Notification.id)).all()],
    }


def _placement_export(session: Session, p: Placement, title: str, employer: str) -> dict:
    mentor = session.exec(select(Mentor).where(Mentor.placement_id == p.id)).first()
    return {
        "employer": employer, "offer": title, "state": p.state,
        "outcome": OUTCOME_LABELS.get(p.outcome, p.outcome) if p.outcome else None,
        "contract_type": p.contract_type, "contract_months": p.contract_months,
        "contract_open_ended": p.contract_open_ended, "end_reason": p.end_reason, "end_note": p.end_note,
        "created_at": _iso(p.created_at), "started_at": _iso(p.started_at), "ended_at": _iso(p.ended_at),
        "mentor": {"name": mentor.name, "role": mentor.role} if mentor else None,
        "check_ins": [{"on": _iso(c.on), "by": c.author, "rating": c.rating, "note": c.note}
                      for c in session.exec(select(CheckIn).where(CheckIn.placement_id == p.id).order_by(CheckIn.id)).all()],
    }


def erase_candidate(session: Session, actor: Actor, confirmed: bool) -> None:
    """Erase the candidate who asks: identity and personal data gone, anonymous counts kept."""
    candidate = candidate_of(session, actor)
    if not confirmed:
        raise RuleBroken([Violation("confirm", N_("Tick the box to confirm that you want your data erased."),
                                    code="required")])
    now = utcnow()
    user = session.get(User, actor.id)
    old_ref, coach_id = candidate.ref, candidate.coach_id

    for row in session.exec(select(InterestRequest).where(InterestRequest.candidate_id == candidate.id)).all():
        if effective_state(row.state, row.expires_at, now) == InterestState.REQUESTED:
            row.state, row.decided_at, row.decline_reason = InterestState.DECLINED, now, "other"
        row.decline_note, row.coach_feedback = "", ""
        session.add(row)
    placement_ids = list(session.exec(select(Placement.id).where(Placement.candidate_id == candidate.id)).all())
    if placement_ids:
        session.execute(delete(CheckIn).where(col(CheckIn.placement_id).in_(placement_ids)))
        session.execute(update(Placement).where(col(Placement.id).in_(placement_ids)).values(end_note=""))
    for table in (CandidateSkill, CandidateLanguage, CandidateExperience, Screening, CoachingLogEntry, ShortlistEntry,
                  CandidateGender, MatchShown):
        session.execute(delete(table).where(table.candidate_id == candidate.id))
    session.execute(delete(CandidateIdentity).where(CandidateIdentity.candidate_id == candidate.id))
    session.execute(delete(Notification).where(Notification.user_id == user.id))
    session.execute(delete(OutgoingMail).where(OutgoingMail.recipient == user.email))
    session.execute(delete(LoginAttempt).where(col(LoginAttempt.key).in_(
        [user.email, f"{PASSWORD_RESET}:{user.email}", f"{LOGIN}:{user.email}"])))
    session.execute(delete(AccountLink).where(AccountLink.user_id == user.id))
    for consent_id in session.exec(select(Consent.id).where(Consent.candidate_id == candidate.id)).all():
        session.add(AuditEntry(actor_id=user.id, action="consent.withdraw", subject=f"candidate:{candidate.id}",
                               detail={"consent": consent_id, "via": "erasure"}))

    candidate.ref = _unique_references(session, 1)[0]  # the old reference was seen beside the name
    candidate.summary = candidate.summary_scrubbed = candidate.education_field = ""
    candidate.postcode = candidate.municipality = candidate.region = candidate.programme = candidate.path = ""
    candidate.lat = candidate.lon = 0
    candidate.available_from = None
    candidate.accepted_offer_types, candidate.sector_preferences = [], []
    candidate.erased_at = candidate.updated_at = now
    session.add(candidate)
    user.email, user.name, user.is_active = f"erased-{user.id}@erased.invalid", "", False
    user.password_hash = hash_password(new_token())
    session.add(user)
    enqueue(session, "candidates", candidate.id)
    session.add(AuditEntry(actor_id=user.id, action="candidate.erase", subject=f"candidate:{candidate.id}"))
    end_sessions(session, user.id, "erased")
    notify(session, coach_id, "candidate.erased",
           N_("Candidate {ref} erased their data. Their placements remain only as anonymous counts."), "",
           ref=old_ref)
