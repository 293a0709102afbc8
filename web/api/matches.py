"""Explained, anonymised matches over the API."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.accounts import Role
from domain.matching import Explanation
from domain.services.candidates import candidate_for_matching
from domain.services.offers import offer_for_matching
from search.matching import SearchUnavailable, match_candidates, match_offers
from web.api.base import endpoint, int_param
from web.db import call


def explanation_json(e: Explanation) -> dict:
    return {
        "essential_covered": list(e.essential_covered), "essential_missing": list(e.essential_missing),
        "optional_covered": list(e.optional_covered), "optional_missing": list(e.optional_missing),
        "distance_km": e.distance_km, "languages_ok": e.languages_ok, "languages_missing": list(e.languages_missing),
        "essential_related": [{"missing": missing, "held": held} for missing, held in e.essential_related],
        "learning_plan": list(e.learning_plan),
    }


def _search(request: Request):
    search = request.app.state.search
    if search is None:
        raise SearchUnavailable()
    return search


@endpoint(Role.EMPLOYER, Role.COACH, Role.ADMIN)
async def offer_matches(request: Request, actor):
    limit = int_param(request, "limit", 20, 1, 100)
    offer = await call(request, offer_for_matching, actor, request.path_params["id"])
    service = actor.organisation_id if actor.role == Role.COACH else None
    matches = await run_in_threadpool(match_candidates, _search(request), offer, limit=limit,
                                      coaching_service_id=service)
    return JSONResponse({"results": [{"candidate_ref": m.ref, "score": m.explanation.score,
                                      "explanation": explanation_json(m.explanation),
                                      "learning_plan": list(m.explanation.learning_plan)} for m in matches]})


@endpoint(Role.COACH)
async def candidate_matches(request: Request, actor):
    limit = int_param(request, "limit", 20, 1, 100)
    candidate = await call(request, candidate_for_matching, actor, request.path_params["id"])
    matches = await run_in_threadpool(match_offers, _search(request), candidate, limit=limit)
    return JSONResponse({"results": [{"offer_id": m.offer_id, "title": m.title, "organisation": m.organisation_name,
                                      "score": m.explanation.score, "explanation": explanation_json(m.explanation)}
                                     for m in matches]})


routes = [
    Route("/offers/{id:id}/matches", offer_matches, name="api_offer_matches"),
    Route("/candidates/{id:id}/matches", candidate_matches, name="api_candidate_matches"),
]
