"""Shortlists and proposals: a coach pins candidates of their caseload for an offer, orders them, and
sends them to the employer with a note; or proposes one candidate to one offer.

What the employer receives is anonymised: the reference, the explanation of the match as it was
when sent, and programme eligibility (the outcome only). The note is scrubbed of the proposed
candidates' identity before it is stored.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from domain.accounts import Actor, Role
from domain.anonymise import ProfileFacts, scrub
from domain.matching import Explanation
from domain.offers import OfferStatus
from domain.proposals import (
    MAX_SHORTLIST,
    REFUSED,
    ProposalStatus,
    moved,
    needs_confirmation,
    validate_proposal,
)
from domain.services.candidates import _own_candidate, _terms, profile_facts
from domain.services.offers import OfferFacts, offer_facts, skill_labels
from domain.tables import (
    AuditEntry,
    Candidate,
    CandidateIdentity,
    Offer,
    Organisation,
    Programme,
    Proposal,
    ProposedCandidate,
    ShortlistEntry,
    utcnow,
)
from domain.validation import N_, NotAllowed, NotFound, RuleBroken, Violation

log = logging.getLogger("opstap.proposals")  # references only, never identity


@dataclass(frozen=True)
class ShortlistLine:
    candidate_id: int
    ref: str
    position: int
    refused: str  # the latest "no" for this offer (a ProposalStatus), or ""
    pending: bool  # proposed for this offer already, no answer yet


@dataclass(frozen=True)
class Shortlist:
    offer_id: int
    lines: list[ShortlistLine]

    @property
    def refused(self) -> list[ShortlistLine]:
        return [line for line in self.lines if line.refused]

    @property
    def candidate_ids(self) -> set[int]:
        return {line.candidate_id for line in self.lines}


def _coach_offer(session: Session, actor: Actor, offer_id: int) -> Offer:
    """Coaches shortlist for and propose to published offers only."""
    if actor.role != Role.COACH or actor.organisation_id is None:
        raise NotAllowed()
    offer = session.get(Offer, offer_id)
    if offer is None or offer.status != OfferStatus.PUBLISHED:
        raise NotFound()
    return offer


def history(session: Session, offer_id: int, candidate_ids: list[int]) -> dict[int, tuple[str, bool]]:
    """Per candidate: (latest refusal for this offer or "", whether a proposal is still open)."""
    if not candidate_ids:
        return {}
    rows = session.exec(select(ProposedCandidate).where(ProposedCandidate.offer_id == offer_id,
                                                        col(ProposedCandidate.candidate_id).in_(candidate_ids))
                        .order_by(ProposedCandidate.id)).all()
    result: dict[int, tuple[str, bool]] = {}
    for row in rows:
        refused, pending = result.get(row.candidate_id, ("", False))
        if row.status in REFUSED:
            refused = row.status
        pending = pending or row.status == ProposalStatus.PROPOSED
        result[row.candidate_id] = (refused, pending)
    return result


def _lines(session: Session, actor: Actor, offer_id: int) -> list[ShortlistLine]:
    rows = session.exec(select(ShortlistEntry, Candidate.ref).join(Candidate, Candidate.id == ShortlistEntry.candidate_id)
                        .where(ShortlistEntry.offer_id == offer_id,
                               ShortlistEntry.coaching_service_id == actor.organisation_id,
                               Candidate.erased_at == None)  # noqa: E711
                        .order_by(ShortlistEntry.position, ShortlistEntry.pinned_at)).all()
    past = history(session, offer_id, [entry.candidate_id for entry, _ in rows])
    return [ShortlistLine(entry.candidate_id, ref, position, *past.get(entry.candidate_id, ("", False)))
            for position, (entry, ref) in enumerate(rows, start=1)]


def shortlist(session: Session, actor: Actor, offer_id: int) -> Shortlist:
    offer = _coach_offer(session, actor, offer_id)
    return Shortlist(offer.id, _lines(session, actor, offer.id))


def _entries(session: Session, actor: Actor, offer_id: int) -> list[ShortlistEntry]:
    return list(session.exec(select(ShortlistEntry).where(ShortlistEntry.offer_id == offer_id,
                                                          ShortlistEntry.coaching_service_id == actor.organisation_id)
                             .order_by(ShortlistEntry.position, ShortlistEntry.pinned_at)).all())


def _renumber(session: Session, entries: list[ShortlistEntry]) -> None:
    for position, entry in enumerate(entries, start=1):
        entry.position = position
        session.add(entry)


def pin(session: Session, actor: Actor, offer_id: int, candidate_id: int) -> Shortlist:
    """Add a candidate of the coach's own caseload to the end of the offer's shortlist (once)."""
    offer = _coach_offer(session, actor, offer_id)
    candidate = _own_candidate(session, actor, candidate_id)
    entries = _entries(session, actor, offer.id)
    if any(e.candidate_id == candidate.id for e in entries):
        return shortlist(session, actor, offer.id)
    if len(entries) >= MAX_SHORTLIST:
        raise RuleBroken([Violation("shortlist", N_("A shortlist holds at most {max} candidates."),
                                    {"max": MAX_SHORTLIST})])
    try:
        with session.begin_nested():  # pinned at the same moment by a colleague: once is enough
            session.add(ShortlistEntry(offer_id=offer.id, candidate_id=candidate.id,
                                       coaching_service_id=actor.organisation_id,
                                       position=len(entries) + 1, pinned_by=actor.id))
            session.flush()
    except IntegrityError:
        pass
    return shortlist(session, actor, offer.id)


def unpin(session: Session, actor: Actor, offer_id: int, candidate_id: int) -> Shortlist:
    offer = _coach_offer(session, actor, offer_id)
    candidate = _own_candidate(session, actor, candidate_id)
    entries = _entries(session, actor, offer.id)
    for entry in entries:
        if entry.candidate_id == candidate.id:
            session.delete(entry)
    session.flush()
    _renumber(session, [e for e in entries if e.candidate_id != candidate.id])
    session.flush()
    return shortlist(session, actor, offer.id)


def move(session: Session, actor: Actor, offer_id: int, candidate_id: int, direction: str) -> Shortlist:
    offer = _coach_offer(session, actor, offer_id)
    candidate = _own_candidate(session, actor, candidate_id)
    entries = {e.candidate_id: e for e in _entries(session, actor, offer.id)}
    order = moved(list(entries), candidate.id, direction)
    _renumber(session, [entries[i] for i in order])
    session.flush()
    return shortlist(session, actor, offer.id)


def shortlist_to_send(session: Session, actor: Actor, offer_id: int) -> tuple[OfferFacts, list[ProfileFacts]]:
    """What the route needs to explain each shortlisted candidate before sending: the offer and their profiles."""
    offer = _coach_offer(session, actor, offer_id)
    lines = _lines(session, actor, offer.id)
    facts = profile_facts(session, [line.candidate_id for line in lines])
    return offer_facts(session, [offer.id])[offer.id], [facts[line.candidate_id] for line in lines
                                                         if line.candidate_id in facts]


@dataclass(frozen=True)
class ProposalSubject:
    offer: OfferFacts
    candidate: ProfileFacts
    refused: str  # the candidate's latest "no" for this offer, or ""
    pending: bool
    programme_names: dict[str, str]


def proposal_subject(session: Session, actor: Actor, candidate_id: int, offer_id: int) -> ProposalSubject:
    """The offer and candidate of a one-to-one proposal, and the candidate's history with that offer."""
    offer = _coach_offer(session, actor, offer_id)
    candidate = _own_candidate(session, actor, candidate_id)
    refused, pending = history(session, offer.id, [candidate.id]).get(candidate.id, ("", False))
    return ProposalSubject(offer_facts(session, [offer.id])[offer.id], profile_facts(session, [candidate.id])[candidate.id],
                           refused, pending, dict(session.exec(select(Programme.key, Programme.name)).all()))


def _propose(session: Session, actor: Actor, offer: Offer, candidate_ids: list[int], note: str,
             explanations: dict[int, Explanation], confirmed: bool) -> int:
    past = history(session, offer.id, candidate_ids)
    refs = dict(session.exec(select(Candidate.id, Candidate.ref).where(col(Candidate.id).in_(candidate_ids))).all()) \
        if candidate_ids else {}
    broken = validate_proposal(note, len(candidate_ids))
    pending = [refs[i] for i in candidate_ids if past.get(i, ("", False))[1]]
    if pending:
        broken.append(Violation("shortlist", N_("Already proposed for this offer, waiting for an answer: {refs}."),
                                {"refs": ", ".join(pending)}))
    broken += needs_confirmation({i for i in candidate_ids if past.get(i, ("", False))[0]}, confirmed)
    if broken:
        raise RuleBroken(broken)
    identities = session.exec(select(CandidateIdentity).where(col(CandidateIdentity.candidate_id).in_(candidate_ids))).all()
    terms = [term for identity in identities for term in _terms(identity)]
    proposal = Proposal(offer_id=offer.id, coaching_service_id=actor.organisation_id, sent_by=actor.id,
                        note=scrub(note.strip(), terms))
    session.add(proposal)
    session.flush()
    for position, candidate_id in enumerate(candidate_ids, start=1):
        session.add(ProposedCandidate(proposal_id=proposal.id, offer_id=offer.id, candidate_id=candidate_id,
                                      position=position, explanation=asdict(explanations[candidate_id])))
    session.add(AuditEntry(actor_id=actor.id, action="proposal.send", subject=f"offer:{offer.id}",
                           detail={"proposal": proposal.id, "candidates": [refs[i] for i in candidate_ids]}))
    session.flush()
    log.info("proposal %s sent for offer %s by user %s: %s", proposal.id, offer.id, actor.id,
             ", ".join(refs[i] for i in candidate_ids))
    return proposal.id


def send_proposal(session: Session, actor: Actor, offer_id: int, note: str, explanations: dict[int, Explanation],
                  confirmed: bool = False) -> int:
    """Send the shortlist, in its order, to the offer's employer; the shortlist is then empty again."""
    offer = _coach_offer(session, actor, offer_id)
    entries = _entries(session, actor, offer.id)
    live = set(session.exec(select(Candidate.id).where(col(Candidate.id).in_([e.candidate_id for e in entries]),
                                                       Candidate.erased_at == None)).all())  # noqa: E711
    ids = [e.candidate_id for e in entries if e.candidate_id in live and e.candidate_id in explanations]
    proposal_id = _propose(session, actor, offer, ids, note, explanations, confirmed)
    for entry in entries:
        session.delete(entry)
    return proposal_id


def propose_candidate(session: Session, actor: Actor, candidate_id: int, offer_id: int, note: str,
                      explanation: Explanation, confirmed: bool = False) -> int:
    offer = _coach_offer(session, actor, offer_id)
    candidate = _own_candidate(session, actor, candidate_id)
    return _propose(session, actor, offer, [candidate.id], note, {candidate.id: explanation}, confirmed)


# --- what the employer receives ---------------------------------------------------------------

@dataclass(frozen=True)
class ReceivedCandidate:
    id: int  # the ProposedCandidate row
    ref: str
    explanation: Explanation
    eligible_for: list[str]  # programme names: the screening's outcome only
    status: ProposalStatus


@dataclass(frozen=True)
class ReceivedProposal:
    id: int
    coaching_service: str
    note: str
    sent_at: datetime
    candidates: list[ReceivedCandidate]


def explanation_of(data: dict) -> Explanation:
    return Explanation(**{key: tuple(value) if isinstance(value, list) else value for key, value in data.items()})


def _own_offer(session: Session, actor: Actor, offer_id: int) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None or actor.role != Role.EMPLOYER or offer.organisation_id != actor.organisation_id:
        raise NotFound()
    return offer


@dataclass(frozen=True)
class ReceivedProposals:
    items: list[ReceivedProposal]
    labels: dict[str, str]  # skill URI -> label, for the explanations


def received_proposals(session: Session, actor: Actor, offer_id: int, lang: str = "en") -> ReceivedProposals:
    """The proposals coaches sent for one of the employer's offers, newest first. No identity: refs only."""
    offer = _own_offer(session, actor, offer_id)
    proposals = session.exec(select(Proposal, Organisation.name)
                             .join(Organisation, Organisation.id == Proposal.coaching_service_id)
                             .where(Proposal.offer_id == offer.id).order_by(col(Proposal.sent_at).desc())).all()
    rows = session.exec(select(ProposedCandidate, Candidate.ref).join(Candidate, Candidate.id == ProposedCandidate.candidate_id)
                        .where(ProposedCandidate.offer_id == offer.id, Candidate.erased_at == None)  # noqa: E711
                        .order_by(ProposedCandidate.position)).all()
    facts = profile_facts(session, [row.candidate_id for row, _ in rows])
    names = dict(session.exec(select(Programme.key, Programme.name)).all())
    by_proposal: dict[int, list[ReceivedCandidate]] = {}
    for row, ref in rows:
        eligible = [names.get(key, key) for key in facts[row.candidate_id].eligible_programmes] \
            if row.candidate_id in facts else []
        by_proposal.setdefault(row.proposal_id, []).append(ReceivedCandidate(
            row.id, ref, explanation_of(row.explanation), eligible, ProposalStatus(row.status)))
    items = [ReceivedProposal(p.id, service, p.note, p.sent_at, by_proposal.get(p.id, []))
             for p, service in proposals if by_proposal.get(p.id)]
    uris = sorted({uri for item in items for c in item.candidates for uri in
                   c.explanation.essential_covered + c.explanation.essential_missing
                   + c.explanation.optional_covered + c.explanation.optional_missing
                   + c.explanation.learning_plan})
    return ReceivedProposals(items, skill_labels(session, uris, lang))


def decline_proposed(session: Session, actor: Actor, offer_id: int, proposed_id: int) -> None:
    """The employer turns a proposed candidate down for this offer."""
    offer = _own_offer(session, actor, offer_id)
    row = session.get(ProposedCandidate, proposed_id)
    if row is None or row.offer_id != offer.id:
        raise NotFound()
    if row.status != ProposalStatus.PROPOSED:
        return
    row.status, row.decided_at = ProposalStatus.DECLINED_BY_EMPLOYER, utcnow()
    session.add(row)
    session.add(AuditEntry(actor_id=actor.id, action="proposal.decline", subject=f"offer:{offer.id}",
                           detail={"proposed": row.id}))


# --- the coach's view of a candidate's proposals -----------------------------------------------

@dataclass(frozen=True)
class CandidateProposal:
    id: int  # the ProposedCandidate row
    offer_id: int
    offer_title: str
    employer: str
    status: ProposalStatus
    sent_at: datetime
    offer_status: str = ""  # a proposal still open on a filled or closed offer has nothing left to wait for


def candidate_proposals(session: Session, actor: Actor, candidate_id: int) -> list[CandidateProposal]:
    candidate = _own_candidate(session, actor, candidate_id)
    rows = session.exec(select(ProposedCandidate, Proposal.sent_at, Offer.title, Organisation.name, Offer.status)
                        .join(Proposal, Proposal.id == ProposedCandidate.proposal_id)
                        .join(Offer, Offer.id == ProposedCandidate.offer_id)
                        .join(Organisation, Organisation.id == Offer.organisation_id)
                        .where(ProposedCandidate.candidate_id == candidate.id)
                        .order_by(col(Proposal.sent_at).desc(), col(ProposedCandidate.id).desc())).all()
    return [CandidateProposal(row.id, row.offer_id, title, employer, ProposalStatus(row.status), sent_at, status)
            for row, sent_at, title, employer, status in rows]


def offer_history(session: Session, actor: Actor, candidate_id: int, offer_ids: list[int]) -> dict[int, tuple[str, bool]]:
    """Per offer: the candidate's latest refusal ("" when none) and whether a proposal is open."""
    candidate = _own_candidate(session, actor, candidate_id)
    rows = session.exec(select(ProposedCandidate).where(ProposedCandidate.candidate_id == candidate.id,
                                                        col(ProposedCandidate.offer_id).in_(offer_ids))
                        .order_by(ProposedCandidate.id)).all() if offer_ids else []
    result: dict[int, tuple[str, bool]] = {}
    for row in rows:
        refused, pending = result.get(row.offer_id, ("", False))
        result[row.offer_id] = (row.status if row.status in REFUSED else refused,
                                pending or row.status == ProposalStatus.PROPOSED)
    return result


def record_candidate_declined(session: Session, actor: Actor, candidate_id: int, proposed_id: int) -> None:
    """The coach records that the candidate said no to this offer."""
    candidate = _own_candidate(session, actor, candidate_id)
    row = session.get(ProposedCandidate, proposed_id)
    if row is None or row.candidate_id != candidate.id:
        raise NotFound()
    if row.status != ProposalStatus.PROPOSED:
        return
    row.status, row.decided_at = ProposalStatus.DECLINED_BY_CANDIDATE, utcnow()
    session.add(row)
    session.add(AuditEntry(actor_id=actor.id, action="proposal.candidate_declined",
                           subject=f"candidate:{candidate.id}", detail={"proposed": row.id}))

