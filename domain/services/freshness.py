"""A pool that stays fresh (issue 17): the background job that asks candidates "Still looking?" and employers
to confirm old offers, pauses what goes unanswered, and the one-click answers.

Safe with several processes: every step is a conditional UPDATE on the value it read, and only the process
whose update hit a row writes the mail and the notifications.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, col, select

from domain.accounts import Actor, Role
from domain.freshness import FreshnessRules, PoolFreshness, Step, candidate_step, offer_step, pool_freshness
from domain.links import Links, path
from domain.offers import OfferStatus
from domain.services.notifications import notify, queue_mail, user_email
from domain.services.outbox import enqueue
from domain.tables import Candidate, CandidateIdentity, CandidateProfileChange, Offer, Placement, User, utcnow
from domain.validation import N_, NotAllowed, NotFound

BATCH = 200
DEFAULT_RULES = FreshnessRules()


def _same(column, value):
    return column == None if value is None else column == value  # noqa: E711


def _candidate_email(session: Session, candidate: Candidate) -> str:
    email = user_email(session, candidate.user_id)
    if email:
        return email
    identity = session.get(CandidateIdentity, candidate.id)
    return identity.email if identity is not None else ""


def _ask_candidate(session: Session, candidate: Candidate, links: Links, now: datetime, rules: FreshnessRules) -> bool:
    result = session.execute(update(Candidate).where(Candidate.id == candidate.id, Candidate.paused_at == None,  # noqa: E711
                                                     _same(Candidate.still_looking_asked_at,
                                                           candidate.still_looking_asked_at))
                             .values(still_looking_asked_at=now))
    if result.rowcount != 1:
        return False
    days = rules.answer_within.days
    queue_mail(session, _candidate_email(session, candidate), "still_looking",
               yes=links.still_looking_link(candidate.id, now, "yes"),
               no=links.still_looking_link(candidate.id, now, "no"), days=days)
    notify(session, candidate.user_id, "freshness.asked",
           N_("Are you still looking for a traineeship or work? Answer on your page within {days} days."),
           path("portal"), days=days)
    return True


def _pause_candidate(session: Session, candidate: Candidate, now: datetime) -> bool:
    result = session.execute(update(Candidate).where(Candidate.id == candidate.id, Candidate.paused_at == None,  # noqa: E711
                                                     _same(Candidate.still_looking_asked_at,
                                                           candidate.still_looking_asked_at))
                             .values(paused_at=now, paused_by_clock=True, updated_at=now))
    if result.rowcount != 1:
        return False
    enqueue(session, "candidates", candidate.id)
    session.add(CandidateProfileChange(candidate_id=candidate.id, actor_id=None, kind="paused", at=now))
    notify(session, candidate.coach_id, "freshness.paused",
           N_("{ref} did not answer “Still looking?” within the time given: their profile is paused."),
           path("candidate_detail", id=candidate.id), ref=candidate.ref)
    notify(session, candidate.user_id, "freshness.paused",
           N_("You did not answer “Still looking?”, so employers no longer find your profile. One click on your "
              "page resumes it."), path("portal"))
    return True


def refresh_candidates(session: Session, links: Links, now: datetime | None = None,
                       rules: FreshnessRules = DEFAULT_RULES) -> int:
    now = now or utcnow()
    last = func.coalesce(Candidate.still_looking_at, Candidate.created_at)
    asked = col(Candidate.still_looking_asked_at)
    # exactly the candidates the rules will act on, so answered ones never fill the batch
    due = or_(and_(or_(asked == None, asked < last), last <= now - rules.ask_every),  # noqa: E711
              and_(asked >= last, asked <= now - rules.answer_within))
    reachable = or_(Candidate.user_id != None, CandidateIdentity.email != "")  # noqa: E711 - someone to ask
    rows = session.exec(select(Candidate)
                        .join(CandidateIdentity, col(CandidateIdentity.candidate_id) == Candidate.id, isouter=True)
                        .where(Candidate.paused_at == None, Candidate.erased_at == None, due, reachable)  # noqa: E711
                        .order_by(Candidate.id).limit(BATCH)).all()
    done = 0
    for candidate in rows:
        last = max(m for m in (candidate.created_at, candidate.still_looking_at) if m is not None)
        step = candidate_step(now, last_confirmed=last, asked_at=candidate.still_looking_asked_at, paused=False,
                              rules=rules)
        if step == Step.ASK:
            done += _ask_candidate(session, candidate, links, now, rules)
        elif step == Step.PAUSE:
            done += _pause_candidate(session, candidate, now)
    return done


def _employer_emails(session: Session, offer: Offer) -> list[str]:
    creator = user_email(session, offer.created_by)
    if creator:
        return [creator]
    return list(session.exec(select(User.email).where(User.organisation_id == offer.organisation_id,
                                                      User.role == Role.EMPLOYER, User.is_active == True)  # noqa: E712
                             .order_by(User.id)).all())


def _offer_step_once(session: Session, offer: Offer, step: Step, links: Links, now: datetime,
                     rules: FreshnessRules) -> bool:
    guard = [Offer.id == offer.id, Offer.status == OfferStatus.PUBLISHED,
             _same(Offer.confirm_asked_at, offer.confirm_asked_at)]
    values = {"confirm_asked_at": now} if step == Step.ASK else {"status": OfferStatus.PAUSED}
    if session.execute(update(Offer).where(*guard).values(**values)).rowcount != 1:
        return False
    link = links.url("offer_detail", id=offer.id)
    if step == Step.ASK:
        kind, message = "offer_confirm", N_("Is “{offer}” still open? Confirm it within {days} days.")
    else:
        enqueue(session, "offers", offer.id)
        enqueue(session, "employers", offer.organisation_id)
        kind, message = "offer_paused", N_("“{offer}” was not confirmed and is paused. Publish it again when it is open.")
    for email in _employer_emails(session, offer):
        queue_mail(session, email, kind, offer=offer.title, link=link, days=rules.offer_grace.days)
    notify(session, offer.created_by, f"freshness.{kind}", message, path("offer_detail", id=offer.id),
           offer=offer.title, days=rules.offer_grace.days)
    return True


def refresh_offers(session: Session, links: Links, now: datetime | None = None,
                   rules: FreshnessRules = DEFAULT_RULES) -> int:
    now = now or utcnow()
    old = now - rules.offer_confirm_after
    asked = col(Offer.confirm_asked_at)
    stale = and_(col(Offer.updated_at) <= old, or_(Offer.published_at == None, col(Offer.published_at) <= old),  # noqa: E711
                 or_(Offer.confirmed_at == None, col(Offer.confirmed_at) <= old))  # noqa: E711
    answered = or_(asked < Offer.updated_at, asked < Offer.published_at, asked < Offer.confirmed_at)
    unanswered = and_(asked >= Offer.updated_at, or_(Offer.published_at == None, asked >= Offer.published_at),  # noqa: E711
                      or_(Offer.confirmed_at == None, asked >= Offer.confirmed_at))  # noqa: E711
    # exactly the offers the rules will act on, so confirmed ones never fill the batch
    due = or_(and_(stale, or_(asked == None, answered)), and_(unanswered, asked <= now - rules.offer_grace))  # noqa: E711
    rows = session.exec(select(Offer).where(Offer.status == OfferStatus.PUBLISHED, due)
                        .order_by(Offer.id).limit(BATCH)).all()
    done = 0
    for offer in rows:
        step = offer_step(now, published=True, published_at=offer.published_at, updated_at=offer.updated_at,
                          confirmed_at=offer.confirmed_at, asked_at=offer.confirm_asked_at, rules=rules)
        if step is not None:
            done += _offer_step_once(session, offer, step, links, now, rules)
    return done


def confirm_offer(session: Session, actor: Actor, offer_id: int, now: datetime | None = None) -> None:
    """The employer confirms a published offer is still open: the 60 days start again."""
    offer = session.get(Offer, offer_id)
    if offer is None or actor.role != Role.EMPLOYER or offer.organisation_id != actor.organisation_id:
        raise NotFound()
    offer.confirmed_at = now or utcnow()
    session.add(offer)


@dataclass(frozen=True)
class StillLookingAnswer:
    answer: str  # yes | no
    resumed: bool
    paused: bool


def answer_still_looking(session: Session, candidate_id: int, asked_at: datetime, answer: str,
                         now: datetime | None = None) -> StillLookingAnswer:
    """The one-click answer from the e-mail (or /me). "yes" confirms and resumes a profile the clock paused;
    "no" pauses it. Clicking again does no harm. A link for an earlier question is refused (NotFound)."""
    now = now or utcnow()
    candidate = session.get(Candidate, candidate_id)
    if (candidate is None or candidate.erased_at is not None or answer not in ("yes", "no")
            or candidate.still_looking_asked_at is None
            or abs((candidate.still_looking_asked_at - asked_at).total_seconds()) >= 1):
        raise NotFound()
    return _answer(session, candidate, answer, now)


def answer_still_looking_own(session: Session, actor: Actor, answer: str) -> StillLookingAnswer:
    from domain.services.portal import candidate_of

    if answer not in ("yes", "no"):
        raise NotFound()
    return _answer(session, candidate_of(session, actor), answer, utcnow())


def _answer(session: Session, candidate: Candidate, answer: str, now: datetime) -> StillLookingAnswer:
    resumed = paused = False
    if answer == "yes":
        candidate.still_looking_at = now
        if candidate.paused_at is not None and candidate.paused_by_clock:
            candidate.paused_at, candidate.paused_by_clock, resumed = None, False, True
    elif candidate.paused_at is None:
        candidate.paused_at, candidate.paused_by_clock, paused = now, False, True
    if resumed or paused:
        candidate.updated_at = now
        enqueue(session, "candidates", candidate.id)
        session.add(CandidateProfileChange(candidate_id=candidate.id, actor_id=candidate.user_id,
                                           kind="resumed" if resumed else "paused", at=now))
        notify(session, candidate.coach_id, "profile.resumed" if resumed else "profile.paused",
               N_("{ref} is open to offers again.") if resumed else N_("{ref} paused being matched with offers."),
               path("candidate_detail", id=candidate.id), ref=candidate.ref)
    session.add(candidate)
    return StillLookingAnswer(answer, resumed, paused)


def pool_freshness_of(session: Session, actor: Actor, now: datetime | None = None,
                      rules: FreshnessRules = DEFAULT_RULES) -> PoolFreshness:
    """The share of the pool in matching that confirmed in the last ``ask_every`` (6 weeks): every candidate for a
    network member or an admin, the coach's own coaching service's candidates for a coach."""
    at_work = select(Placement.id).where(Placement.candidate_id == Candidate.id, Placement.state == "active").exists()
    query = select(Candidate.created_at, Candidate.still_looking_at).where(
        Candidate.erased_at == None, Candidate.paused_at == None, ~at_work)  # noqa: E711
    if actor.role == Role.COACH and actor.organisation_id is not None:
        query = query.where(Candidate.coaching_service_id == actor.organisation_id)
    elif actor.role not in (Role.NETWORK, Role.ADMIN):
        raise NotAllowed()
    moments = [max(m for m in (created, answered) if m is not None) for created, answered in session.exec(query).all()]
    return pool_freshness(now or utcnow(), moments, rules)
