"""What every API endpoint shares: bearer-token auth, the rate limit, JSON errors, cursors."""

import functools
import json
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from domain.accounts import Actor, Role
from domain.services.api_tokens import use_token
from domain.validation import NotAllowed, NotFound, RuleBroken
from search.matching import SearchUnavailable
from web.db import call
from web.i18n import explain

log = logging.getLogger("opstap.api")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields, self.headers = status, code, message, fields or {}, headers


def error_response(status: int, code: str, message: str, fields: dict | None = None,
                   headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "fields": fields or {}}},
                        status_code=status, headers=headers)


def invalid(broken: RuleBroken, rename: dict[str, str] | None = None) -> ApiError:
    """422 with one English message per field, in the API's field names."""
    fields: dict[str, str] = {}
    for violation in broken.violations:
        name = (rename or {}).get(violation.field, violation.field)
        fields.setdefault(name, explain(violation, "en"))
    return ApiError(422, "invalid", "Some fields break the rules; see fields.", fields)


async def read_json(request: Request) -> dict:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(400, "bad_json", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", "The request body must be a JSON object.")
    return body


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "bad_parameter", f"{name} must be a whole number.", {name: "Enter a whole number."}) from None
    if not low <= value <= high:
        raise ApiError(400, "bad_parameter", f"{name} must be between {low} and {high}.",
                       {name: f"Between {low} and {high}."})
    return value


def encode_cursor(last_id: int) -> str:
    """Opaque to clients; in fact the last id seen, so pages stay stable while rows are added."""
    return str(last_id)


def decode_cursor(request: Request) -> int:
    raw = request.query_params.get("cursor")
    if raw is None:
        return 0
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise ApiError(400, "bad_cursor", "The cursor is not one this API gave out.", {"cursor": "Invalid cursor."})
    return int(raw)


def page(items: list, limit: int, key=lambda item: item["id"]) -> dict:
    """``items`` holds up to ``limit + 1`` rows: the extra one only says there is a next page."""
    more = len(items) > limit
    items = items[:limit]
    return {"results": items, "next_cursor": encode_cursor(key(items[-1])) if more and items else None}


async def _authenticate(request: Request) -> Actor:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "unauthenticated", "Send a token: Authorization: Bearer <token>.")
    use = await call(request, use_token, secret.strip(), limit=request.app.state.settings.api_requests_per_minute)
    if use is None:
        raise ApiError(401, "unauthenticated", "This token is unknown, expired or revoked.")
    if use.retry_after is not None:
        raise ApiError(429, "rate_limited", "Too many requests for this token; slow down.",
                       headers={"Retry-After": str(max(use.retry_after, 1))})
    return use.actor


def endpoint(*roles: Role):
    """An API endpoint for ``roles`` (any role when none): ``handler(request, actor)``; errors as JSON."""

    def decorate(handler):
        @functools.wraps(handler)
        async def wrapped(request: Request) -> Response:
            try:
                actor = await _authenticate(request)
                if roles and actor.role not in roles:
                    raise ApiError(403, "forbidden", "Your role cannot do this.")
                return await handler(request, actor)
            except ApiError as error:
                return error_response(error.status, error.code, error.message, error.fields, error.headers)
            except RuleBroken as broken:
                error = invalid(broken)
                return error_response(error.status, error.code, error.message, error.fields)
            except NotFound:
                return error_response(404, "not_found", "Nothing you may see exists here.")
            except NotAllowed:
                return error_response(409, "not_allowed", "This is not possible in the current state, or not for you.")
            except SearchUnavailable:
                return error_response(503, "search_unavailable", "Search is temporarily unavailable; try again soon.",
                                      headers={"Retry-After": "10"})

        return wrapped

    return decorate


async def in_threadpool(function, *args, **kwargs):
    return await run_in_threadpool(function, *args, **kwargs)
