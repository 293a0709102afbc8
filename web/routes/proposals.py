"""Shortlists and proposals: a coach pins, removes and orders candidates for an offer and sends them
to the employer; the employer sees what was proposed (anonymised) on the offer page and may decline."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.proposals import PROPOSAL_STATUS_LABELS
from domain.services.proposals import (
    decline_proposed,
    move,
    pin,
    send_proposal,
    shortlist,
    shortlist_to_send,
    unpin,
)
from domain.validation import RuleBroken
from search.matching import explain_candidates
from web.auth import current_actor, redirect, requires
from web.db import call
from web.i18n import field_errors
from web.templating import language, render_block, wants_fragment

MATCHES = "matching/candidates.html"
ACTIONS = {"pin": pin, "remove": unpin, "up": move, "down": move}


def _shortlist_response(request: Request, offer_id: int, context: dict, status_code: int = 200):
    """The shortlist region for htmx; without htmx, back to the matches page."""
    if not wants_fragment(request):
        return redirect(str(request.url_for("offer_matches", id=offer_id)) + "#shortlist")
    return render_block(request, MATCHES, "shortlist", {"offer_id": offer_id, "errors": {}, "note": "", "sent": False,
                                                        "proposal_statuses": PROPOSAL_STATUS_LABELS, **context},
                        status_code=status_code)


@requires(Role.COACH)
async def shortlist_change(request: Request):
    actor = await current_actor(request)
    offer_id, candidate_id = request.path_params["id"], request.path_params["candidate"]
    action = request.url.path.rsplit("/", 1)[1]
    args = (action,) if action in ("up", "down") else ()
    try:
        current = await call(request, ACTIONS[action], actor, offer_id, candidate_id, *args)
    except RuleBroken as broken:
        current = await call(request, shortlist, actor, offer_id)
        return _shortlist_response(request, offer_id, {"shortlist": current,
                                                       "errors": field_errors(broken.violations, language(request))},
                                   status_code=422)
    return _shortlist_response(request, offer_id, {"shortlist": current})


@requires(Role.COACH)
async def proposal_send(request: Request):
    actor = await current_actor(request)
    offer_id = request.path_params["id"]
    form = await request.form()
    note = str(form.get("note", ""))
    offer, candidates = await call(request, shortlist_to_send, actor, offer_id)
    explanations = await run_in_threadpool(explain_candidates, request.app.state.search, offer, candidates)
    try:
        await call(request, send_proposal, actor, offer_id, note, explanations, confirmed=form.get("confirm") == "1")
    except RuleBroken as broken:
        current = await call(request, shortlist, actor, offer_id)
        return _shortlist_response(request, offer_id, {
            "shortlist": current, "note": note, "errors": field_errors(broken.violations, language(request))},
            status_code=422)
    current = await call(request, shortlist, actor, offer_id)
    return _shortlist_response(request, offer_id, {"shortlist": current, "sent": True})


@requires(Role.EMPLOYER)
async def proposal_decline(request: Request):
    actor = await current_actor(request)
    offer_id = request.path_params["id"]
    await call(request, decline_proposed, actor, offer_id, request.path_params["proposed"])
    return redirect(str(request.url_for("offer_detail", id=offer_id)) + "#proposals", request)


routes = [
    *[Route(f"/offers/{{id:id}}/shortlist/{{candidate:id}}/{action}", shortlist_change, methods=["POST"],
            name=f"shortlist_{action}") for action in ACTIONS],
    Route("/offers/{id:id}/proposals", proposal_send, methods=["POST"], name="proposal_send"),
    Route("/offers/{id:id}/proposals/{proposed:id}/decline", proposal_decline, methods=["POST"], name="proposal_decline"),
]
