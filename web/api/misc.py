"""Skills lookup and search status over the API."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.services.outbox import pending_count
from search.skills import find_skills
from web.api.base import ApiError, endpoint, int_param
from web.db import call


@endpoint()
async def skills(request: Request, actor):
    lang = request.query_params.get("lang", "en")
    if lang not in ("en", "fr", "nl"):
        raise ApiError(400, "bad_parameter", "lang must be en, fr or nl.", {"lang": "One of en, fr, nl."})
    limit = int_param(request, "limit", 10, 1, 50)
    results = await run_in_threadpool(find_skills, request.app.state.search, request.query_params.get("q", ""),
                                      lang, limit)
    return JSONResponse({"results": [{"uri": r.uri, "label": r.label} for r in results]})


@endpoint()
async def search_status(request: Request, actor):
    search = request.app.state.search
    healthy = search is not None and await run_in_threadpool(search.healthy)
    return JSONResponse({"pending": await call(request, pending_count), "healthy": healthy})


routes = [
    Route("/skills", skills, name="api_skills"),
    Route("/search/status", search_status, name="api_search_status"),
]
