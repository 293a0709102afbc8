"""Candidates over the API (coaches): register one, a batch of up to 1,000, list the caseload."""

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.accounts import Role
from domain.services.candidates import caseload_page, register_candidate, register_candidates
from domain.validation import RuleBroken
from web.api.base import ApiError, decode_cursor, endpoint, int_param, invalid, page, read_json
from web.api.inputs import candidate_field_name, candidate_inputs
from web.convertors import by_method
from web.db import call

MAX_BATCH = 1000


def _renamed(broken: RuleBroken) -> ApiError:
    return invalid(broken, {v.field: candidate_field_name(v.field) for v in broken.violations})


@endpoint(Role.COACH)
async def create(request: Request, actor):
    try:
        identity, profile = candidate_inputs(await read_json(request))
        created = await call(request, register_candidate, actor, identity, profile)
    except RuleBroken as broken:
        raise _renamed(broken) from None
    return JSONResponse({"id": created.id, "ref": created.ref}, status_code=201)


@endpoint(Role.COACH)
async def batch(request: Request, actor):
    body = await read_json(request)
    rows = body.get("candidates")
    if not isinstance(rows, list) or not 1 <= len(rows) <= MAX_BATCH:
        raise ApiError(422, "invalid", f"Send 1 to {MAX_BATCH} candidates.",
                       {"candidates": f"A list of 1 to {MAX_BATCH} candidates."})
    parsed, errors = [], []
    for index, row in enumerate(rows):
        try:
            parsed.append((index, *candidate_inputs(row if isinstance(row, dict) else {})))
        except RuleBroken as broken:
            errors.append({"index": index, "error": _error(_renamed(broken))})
        except ApiError as error:
            errors.append({"index": index, "error": _error(error)})
    outcomes = await call(request, register_candidates, actor, parsed)
    created = []
    for index, outcome in outcomes:
        if isinstance(outcome, RuleBroken):
            errors.append({"index": index, "error": _error(_renamed(outcome))})
        else:
            created.append({"index": index, "id": outcome.id, "ref": outcome.ref})
    return JSONResponse({"created": created, "errors": sorted(errors, key=lambda e: e["index"])})


def _error(error: ApiError) -> dict:
    return {"code": error.code, "message": error.message, "fields": error.fields}


@endpoint(Role.COACH)
async def listing(request: Request, actor):
    limit = int_param(request, "limit", 50, 1, 200)
    rows = await call(request, caseload_page, actor, decode_cursor(request), limit + 1)
    return JSONResponse(page(rows, limit))


routes = [
    Route("/candidates", by_method(get=listing, post=create), methods=["GET", "POST"], name="api_candidates"),
    Route("/candidates/batch", batch, methods=["POST"], name="api_candidate_batch"),
]
