"""Interest requests over the API: the employer sends and withdraws; the candidate accepts (which is their
consent to show exactly ``disclosed_fields`` to that employer) or declines. Same services as the pages."""

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.accounts import Actor, Role
from domain.interest import DECLINE_REASONS
from domain.services.interest import (
    NoPlaceLeft,
    accept_interest,
    candidate_request,
    coach_requests,
    decline_interest,
    employer_request,
    send_interest,
    withdraw_interest,
)
from domain.validation import NotFound
from web.api.base import ApiError, endpoint, read_json
from web.api.inputs import Reader
from web.db import call
from web.links import links_for


async def _optional_json(request: Request) -> dict:
    """The body, or ``{}`` when there is none: accept and decline need nothing more than the path."""
    if not (await request.body()).strip():
        return {}
    return await read_json(request)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _employer_json(view) -> dict:
    contact = view.contact
    return {"id": view.id, "candidate_ref": view.candidate_ref, "state": view.state.value, "message": view.message,
            "created_at": _iso(view.created_at), "expires_at": _iso(view.expires_at),
            "decided_at": _iso(view.decided_at), "placement_id": view.placement_id,
            "coach_feedback": view.coach_feedback, "disclosed_fields": contact.fields if contact else [],
            "candidate": {"name": contact.name, "email": contact.email, "phone": contact.phone} if contact else None}


def _candidate_json(view) -> dict:
    return {"id": view.id, "offer_id": view.offer.id, "offer_title": view.offer.title, "employer": view.offer.employer,
            "state": view.state.value, "message": view.message, "created_at": _iso(view.created_at),
            "expires_at": _iso(view.expires_at), "decided_at": _iso(view.decided_at),
            "placement_id": view.placement_id, "disclosed_fields": view.disclosed_fields,
            "consent_text": view.consent_text or None}


async def _view(request: Request, actor: Actor, request_id: int) -> dict:
    if actor.role == Role.EMPLOYER:
        return _employer_json(await call(request, employer_request, actor, request_id, "api"))
    if actor.role == Role.CANDIDATE:
        return _candidate_json(await call(request, candidate_request, actor, request_id))
    rows = [r for r in await call(request, coach_requests, actor) if r.id == request_id]
    if not rows:
        raise NotFound()
    r = rows[0]
    return {"id": r.id, "offer_id": r.offer_id, "candidate_ref": r.candidate_ref, "state": r.state.value,
            "created_at": _iso(r.created_at), "decided_at": _iso(r.decided_at), "placement_id": r.placement_id,
            "decline_reason": r.decline_reason or None}


@endpoint(Role.EMPLOYER)
async def create(request: Request, actor):
    r = Reader(await read_json(request))
    ref, message = r.text("candidate_ref"), r.text("message")
    r.finish()
    sent = await call(request, send_interest, actor, request.path_params["id"], ref, message,
                      links=links_for(request), expiry_days=request.app.state.settings.interest_expiry_days)
    return JSONResponse(_employer_json(await call(request, employer_request, actor, sent.id, "api")) |
                        {"offer_id": sent.offer_id}, status_code=201)


@endpoint(Role.EMPLOYER, Role.CANDIDATE, Role.COACH)
async def show(request: Request, actor):
    return JSONResponse(await _view(request, actor, request.path_params["id"]))


@endpoint(Role.CANDIDATE)
async def accept(request: Request, actor):
    r = Reader(await _optional_json(request))
    consent = r.boolean("consent", True)
    r.finish()
    if not consent:
        raise ApiError(422, "invalid", "Accepting shares your name and contact details; send consent true.",
                       {"consent": "Must be true to accept."})
    try:
        accepted = await call(request, accept_interest, actor, request.path_params["id"], confirmed=True,
                              links=links_for(request), language="en")
    except NoPlaceLeft:
        raise ApiError(409, "no_place_left", "Every place of this offer is taken.") from None
    return JSONResponse(await _view(request, actor, accepted.interest_request_id))


@endpoint(Role.CANDIDATE)
async def decline(request: Request, actor):
    r = Reader(await _optional_json(request))
    reason, note = r.text("reason", "other") or "other", r.text("note")
    r.finish()
    await call(request, decline_interest, actor, request.path_params["id"], reason, note, links=links_for(request))
    return JSONResponse(await _view(request, actor, request.path_params["id"]))


@endpoint(Role.EMPLOYER)
async def withdraw(request: Request, actor):
    await call(request, withdraw_interest, actor, request.path_params["id"])
    return JSONResponse(await _view(request, actor, request.path_params["id"]))


REASONS = list(DECLINE_REASONS)

routes = [
    Route("/offers/{id:id}/interest-requests", create, methods=["POST"], name="api_interest_create"),
    Route("/interest-requests/{id:id}", show, name="api_interest"),
    Route("/interest-requests/{id:id}/accept", accept, methods=["POST"], name="api_interest_accept"),
    Route("/interest-requests/{id:id}/decline", decline, methods=["POST"], name="api_interest_decline"),
    Route("/interest-requests/{id:id}/withdraw", withdraw, methods=["POST"], name="api_interest_withdraw"),
]
