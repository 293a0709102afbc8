"""Explained, anonymised matches over the API."""

from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.accounts import Role
from domain.match_filters import parse_filters
from domain.matching import Explanation
from domain.offers import CEFR_LEVELS
from domain.services.candidates import candidate_for_matching
from domain.services.offers import offer_for_matching
from domain.validation import RuleBroken
from search.matching import SearchUnavailable, match_candidates_page, match_offers
from web.api.base import ApiError, endpoint, int_param
from web.api.openapi import MATCH_FILTERS
from web.db import call
from web.i18n import field_errors


def explanation_json(e: Explanation) -> dict:
    return {
        "essential_covered": list(e.essential_covered), "essential_missing": list(e.essential_missing),
        "optional_covered": list(e.optional_covered), "optional_missing": list(e.optional_missing),
        "distance_km": e.distance_km, "languages_ok": e.languages_ok, "languages_missing": list(e.languages_missing),
        "essential_related": [{"missing": missing, "held": held} for missing, held in e.essential_related],
        "learning_plan": list(e.learning_plan),
        "weights": dict(e.weights),
    }


def facts_json(facts: dict) -> dict:
    """The anonymised facts of a match (allow-listed fields of the candidate document only)."""
    available = facts.get("available_from_ts", 0)
    return {
        "education": {"level": facts.get("education_level", ""), "field": facts.get("education_field", ""),
                      "diploma_recognition": facts.get("diploma_recognition", "")},
        "experience": [{"occupation_uri": x["occupation"], "years": x["years"]} for x in facts.get("experience", [])],
        "languages": {code: CEFR_LEVELS[rank - 1] for code, rank in facts.get("languages", {}).items() if 1 <= rank <= 6},
        "available_from": datetime.fromtimestamp(available, UTC).date().isoformat() if available else None,
        "days_per_week": facts.get("days_per_week"),
        "max_commute_km": facts.get("max_commute_km"),
        "accepted_offer_types": list(facts.get("accepted_types", [])),
        "eligible_for": list(facts.get("eligible_programmes", [])),
    }


MATCH_FILTER_NAMES = frozenset(p["name"] for p in MATCH_FILTERS) | {"limit"}


def match_filters(request: Request):
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    # A page's form sends empty filters for "any"; the API's contract has no empty values: leave the parameter out.
    empty = sorted(name for name, values in params.items() if name in MATCH_FILTER_NAMES and "" in values)
    if empty:
        raise ApiError(400, "bad_parameter", "Some parameters are not valid: " + ", ".join(empty) + ".",
                       {name: "Leave the parameter out instead of sending it empty." for name in empty})
    try:
        return parse_filters(params)
    except RuleBroken as broken:
        fields = field_errors(broken.violations, "en")
        raise ApiError(400, "bad_parameter", "Some parameters are not valid: " + ", ".join(fields) + ".",
                       fields) from None


def _search(request: Request):
    search = request.app.state.search
    if search is None:
        raise SearchUnavailable()
    return search


@endpoint(Role.EMPLOYER, Role.COACH, Role.ADMIN)
async def offer_matches(request: Request, actor):
    filters = match_filters(request)
    offer = await call(request, offer_for_matching, actor, request.path_params["id"])
    service = actor.organisation_id if actor.role == Role.COACH else None
    page = await run_in_threadpool(match_candidates_page, _search(request), offer, filters,
                                   coaching_service_id=service)
    return JSONResponse({"results": [{"candidate_ref": m.ref, "score": m.explanation.score,
                                      "explanation": explanation_json(m.explanation), "facts": facts_json(m.facts),
                                      "learning_plan": list(m.explanation.learning_plan)}
                                     for m in page.matches],
                         "next_cursor": None if page.next_offset is None else str(page.next_offset)})


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
