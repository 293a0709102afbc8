"""ESCO skills and occupations lookup, an occupation's skills, and search status over the API."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.services.outbox import pending_count
from domain.services.reference import occupation_skills
from search.skills import find_occupations, find_skills
from web.api.base import ApiError, endpoint, int_param
from web.db import call


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "en")
    if lang not in ("en", "fr", "nl"):
        raise ApiError(400, "bad_parameter", "lang must be en, fr or nl.", {"lang": "One of en, fr, nl."})
    return lang


@endpoint()
async def skills(request: Request, actor):
    lang = _lang(request)
    limit = int_param(request, "limit", 10, 1, 50)
    results = await run_in_threadpool(find_skills, request.app.state.search, request.query_params.get("q", ""),
                                      lang, limit)
    return JSONResponse({"results": [{"uri": r.uri, "label": r.label, "group": r.group} for r in results]})


@endpoint()
async def occupations(request: Request, actor):
    lang = _lang(request)
    limit = int_param(request, "limit", 10, 1, 50)
    results = await run_in_threadpool(find_occupations, request.app.state.search, request.query_params.get("q", ""),
                                      lang, limit)
    return JSONResponse({"results": [{"uri": r.uri, "label": r.label, "isco": r.isco} for r in results]})


@endpoint()
async def occupation_skills_of(request: Request, actor):
    lang = _lang(request)
    found = await call(request, occupation_skills, request.query_params.get("uri", ""), lang)
    if found is None:
        raise ApiError(422, "invalid", "uri is not a released ESCO v1.1.1 occupation.",
                       {"uri": "Not a released ESCO v1.1.1 occupation URI."})
    return JSONResponse({"uri": found.occupation.uri, "label": found.occupation.label,
                         "essential": [{"uri": c.uri, "label": c.label} for c in found.essential],
                         "optional": [{"uri": c.uri, "label": c.label} for c in found.optional]})


@endpoint()
async def search_status(request: Request, actor):
    search = request.app.state.search
    healthy = search is not None and await run_in_threadpool(search.healthy)
    return JSONResponse({"pending": await call(request, pending_count), "healthy": healthy})


routes = [
    Route("/skills", skills, name="api_skills"),
    Route("/occupations", occupations, name="api_occupations"),
    Route("/occupations/skills", occupation_skills_of, name="api_occupation_skills"),
    Route("/search/status", search_status, name="api_search_status"),
]
