"""Interest requests from the employer's side (send, follow, withdraw) and the coach's (reasons, feedback)."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.interest import DECLINE_REASONS, INTEREST_STATE_LABELS
from domain.services.interest import (
    add_coach_feedback,
    coach_requests,
    offer_interest,
    send_interest,
    withdraw_interest,
)
from domain.validation import RuleBroken
from web.auth import current_actor, redirect, requires
from web.db import call
from web.i18n import field_errors
from web.links import links_for
from web.templating import language, render, wants_fragment

LABELS = {"interest_states": INTEREST_STATE_LABELS, "decline_reasons": DECLINE_REASONS}


def _proposed_id(raw) -> int | None:
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) <= 9 else None


@requires(Role.EMPLOYER)
async def interest_send(request: Request):
    """From the matches page or a coach's proposal: the interest form answers in place (htmx) or redirects."""
    actor = await current_actor(request)
    offer_id = request.path_params["id"]
    form = await request.form()
    ref, message = str(form.get("candidate_ref", "")), str(form.get("message", ""))
    proposed_id = _proposed_id(form.get("proposed_id"))
    context = {"offer_id": offer_id, "ref": ref, "message": message, "errors": {}, "sent": None,
               "proposed_id": proposed_id or "", **LABELS}
    try:
        context["sent"] = await call(request, send_interest, actor, offer_id, ref, message, links=links_for(request),
                                     expiry_days=request.app.state.settings.interest_expiry_days,
                                     proposed_id=proposed_id)
    except RuleBroken as broken:
        context["errors"] = field_errors(broken.violations, language(request))
        if wants_fragment(request):
            return render(request, "interest/send.html", context, block="interest_form", status_code=422)
        return render(request, "interest/send.html", context, status_code=422)
    if wants_fragment(request):
        return render(request, "interest/send.html", context, block="interest_form")
    return redirect(str(request.url_for("offer_interest", id=offer_id)), request)


async def _offer_page(request: Request, status_code: int = 200):
    actor = await current_actor(request)
    listing = await call(request, offer_interest, actor, request.path_params["id"])
    return render(request, "interest/offer.html", {"listing": listing, **LABELS}, block="interest_list",
                  status_code=status_code)


@requires(Role.EMPLOYER)
async def offer_interest_page(request: Request):
    return await _offer_page(request)


@requires(Role.EMPLOYER)
async def interest_withdraw(request: Request):
    actor = await current_actor(request)
    await call(request, withdraw_interest, actor, request.path_params["request"])
    if wants_fragment(request):
        return await _offer_page(request)
    return redirect(str(request.url_for("offer_interest", id=request.path_params["id"])))


async def _coach_page(request: Request, errors: dict | None = None, values: dict | None = None, status_code=200):
    actor = await current_actor(request)
    rows = await call(request, coach_requests, actor)
    return render(request, "interest/coach.html", {"rows": rows, "errors": errors or {}, "values": values or {},
                                                   **LABELS}, block="coach_requests", status_code=status_code)


@requires(Role.COACH)
async def coach_interest(request: Request):
    return await _coach_page(request)


@requires(Role.COACH)
async def interest_feedback(request: Request):
    actor = await current_actor(request)
    request_id = request.path_params["request"]
    form = await request.form()
    feedback = str(form.get("feedback", ""))
    try:
        await call(request, add_coach_feedback, actor, request_id, feedback, links=links_for(request))
    except RuleBroken as broken:
        errors = {request_id: field_errors(broken.violations, language(request))}
        return await _coach_page(request, errors, {request_id: feedback}, status_code=422)
    if wants_fragment(request):
        return await _coach_page(request)
    return redirect(str(request.url_for("coach_interest")) + f"#request-{request_id}")


routes = [
    Route("/offers/{id:id}/interest-requests", interest_send, methods=["POST"], name="interest_send"),
    Route("/offers/{id:id}/interest", offer_interest_page, name="offer_interest"),
    Route("/offers/{id:id}/interest/{request:id}/withdraw", interest_withdraw, methods=["POST"],
          name="interest_withdraw"),
    Route("/interest-requests", coach_interest, name="coach_interest"),
    Route("/interest-requests/{request:id}/feedback", interest_feedback, methods=["POST"], name="interest_feedback"),
]
