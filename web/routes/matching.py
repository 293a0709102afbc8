"""Ranked, explained matches: an offer's candidates, a candidate's offers."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.interest import INTEREST_STATE_LABELS
from domain.offers import OFFER_TYPE_LABELS
from domain.proposals import PROPOSAL_STATUS_LABELS
from domain.services.candidates import candidate_for_matching
from domain.services.interest import interest_by_candidate
from domain.services.offers import offer_for_matching, skill_labels
from domain.services.proposals import history, offer_history, shortlist
from search.matching import SearchUnavailable, match_candidates, match_offers
from web.auth import current_actor, requires
from web.db import call
from web.templating import language, render


async def skill_labels_of(request: Request, matches, *extra: str) -> dict[str, str]:
    uris = set(extra)
    for match in matches:
        e = match.explanation
        uris.update(getattr(getattr(match, "offer", None), "taught", ()))  # an offer's own "learned here" skills
        uris.update(e.essential_covered + e.essential_missing + e.optional_covered + e.optional_missing
                    + tuple(held for _, held in e.essential_related) + e.learning_plan)
    return await call(request, skill_labels, sorted(uris), language(request))


async def matches_or_unavailable(request: Request, matcher, *args, **kwargs):
    """(matches, unavailable): search being down is a message on the page, never an error."""
    search = request.app.state.search
    if search is None:
        return [], True
    try:
        return await run_in_threadpool(matcher, search, *args, **kwargs), False
    except SearchUnavailable:
        return [], True


@requires(Role.EMPLOYER, Role.COACH, Role.ADMIN)
async def offer_matches(request: Request):
    actor = await current_actor(request)
    offer = await call(request, offer_for_matching, actor, request.path_params["id"])
    service = actor.organisation_id if actor.role == Role.COACH else None
    matches, unavailable = await matches_or_unavailable(request, match_candidates, offer, limit=20, coaching_service_id=service)
    labels = await skill_labels_of(request, matches)
    coach = {}
    if service is not None:  # the coach's shortlist beside the matches, and who said "no" before
        coach = {"shortlist": await call(request, shortlist, actor, offer.id),
                 "history": await call(request, history, offer.id, [m.candidate_id for m in matches]),
                 "offer_id": offer.id, "errors": {}, "note": "", "sent": False,
                 "proposal_statuses": PROPOSAL_STATUS_LABELS}
    employer = {}
    if actor.role == Role.EMPLOYER:  # where the employer's interest in each candidate stands
        employer = {"interest": await call(request, interest_by_candidate, actor, offer.id),
                    "interest_states": INTEREST_STATE_LABELS}
    return render(request, "matching/candidates.html", {
        "offer": offer, "matches": matches, "labels": labels, "unavailable": unavailable,
        "types": OFFER_TYPE_LABELS, "own_caseload": service is not None, **coach, **employer,
    })


@requires(Role.COACH)
async def candidate_offers(request: Request):
    actor = await current_actor(request)
    candidate = await call(request, candidate_for_matching, actor, request.path_params["id"])
    matches, unavailable = await matches_or_unavailable(request, match_offers, candidate, limit=20)
    labels = await skill_labels_of(request, matches, *candidate.skills)
    past = await call(request, offer_history, actor, candidate.id, [m.offer_id for m in matches])
    return render(request, "matching/offers.html", {
        "candidate": candidate, "matches": matches, "labels": labels, "unavailable": unavailable,
        "types": OFFER_TYPE_LABELS, "history": past, "proposal_statuses": PROPOSAL_STATUS_LABELS,
    })


routes = [
    Route("/offers/{id:id}/matches", offer_matches, name="offer_matches"),
    Route("/candidates/{id:id}/offers", candidate_offers, name="candidate_offers"),
]
