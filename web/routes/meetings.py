"""The first meeting: the employer proposes moments on the placement page, the candidate picks one on their
request page; both get a calendar invitation by e-mail (domain/services/meetings.py)."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.services.meetings import (
    cancel_meeting,
    cancel_meeting_by_candidate,
    choose_moment,
    meeting_of_placement,
    propose_meeting,
)
from domain.services.placements import placement_detail
from domain.validation import RuleBroken
from web.auth import current_actor, requires
from web.db import call
from web.i18n import field_errors
from web.links import links_for
from web.routes.placements import LABELS as PLACEMENT_LABELS
from web.routes.portal import request_page
from web.templating import language, render


async def _employer_block(request: Request, meeting, *, errors=None, values=None, status_code: int = 200):
    actor = await current_actor(request)
    placement = await call(request, placement_detail, actor, request.path_params["id"])
    return render(request, "placements/detail.html", {"p": placement, "meeting": meeting, "meeting_errors": errors or {},
                                                      "meeting_values": values or {}, "errors": {}, "values": {},
                                                      **PLACEMENT_LABELS},
                  block="first_meeting", status_code=status_code)


@requires(Role.EMPLOYER)
async def meeting_propose(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    slots = [s for s in form.getlist("slot") if isinstance(s, str)]
    address = str(form.get("address", ""))
    try:
        meeting = await call(request, propose_meeting, actor, request.path_params["id"], slots, address,
                             links_for(request))
    except RuleBroken as broken:
        meeting = await call(request, meeting_of_placement, actor, request.path_params["id"])
        return await _employer_block(request, meeting, errors=field_errors(broken.violations, language(request)),
                                     values={"slots": slots, "address": address}, status_code=422)
    return await _employer_block(request, meeting)


@requires(Role.EMPLOYER)
async def meeting_cancel(request: Request):
    actor = await current_actor(request)
    meeting = await call(request, cancel_meeting, actor, request.path_params["id"], links_for(request))
    return await _employer_block(request, meeting)


@requires(Role.CANDIDATE)
async def meeting_choose(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    try:
        await call(request, choose_moment, actor, request.path_params["id"], str(form.get("chosen", "")),
                   links_for(request))
    except RuleBroken as broken:
        return await request_page(request, meeting_errors=field_errors(broken.violations, language(request)),
                                  status_code=422, block="meeting")
    return await request_page(request, meeting_saved=True, block="meeting")


@requires(Role.CANDIDATE)
async def meeting_cancel_by_candidate(request: Request):
    actor = await current_actor(request)
    await call(request, cancel_meeting_by_candidate, actor, request.path_params["id"], links_for(request))
    return await request_page(request, block="meeting")


routes = [
    Route("/placements/{id:id}/meeting", meeting_propose, methods=["POST"], name="meeting_propose"),
    Route("/placements/{id:id}/meeting/cancel", meeting_cancel, methods=["POST"], name="meeting_cancel"),
    Route("/me/requests/{id:id}/meeting", meeting_choose, methods=["POST"], name="meeting_choose"),
    Route("/me/requests/{id:id}/meeting/cancel", meeting_cancel_by_candidate, methods=["POST"],
          name="meeting_cancel_by_candidate"),
]
