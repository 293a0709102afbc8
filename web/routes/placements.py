"""Placements: the employer nominates the mentor, starts, completes or ends; the coach follows, checks in
and is warned early; the mentor records check-ins through their signed link, without an account."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.offers import LANGUAGES
from domain.placement import (
    CHECK_IN_INTERVAL_DAYS,
    CONTRACT_LABELS,
    END_REASON_LABELS,
    FLAG_LABELS,
    OUTCOME_LABELS,
    PLACEMENT_STATE_LABELS,
    RATING_LABELS,
)
from domain.services.meetings import meeting_of_placement
from domain.services.placements import (
    complete_placement,
    end_placement_early,
    mentor_check_in,
    mentor_page,
    nominate_mentor,
    placement_detail,
    placements_of,
    record_check_in,
    start_placement,
)
from domain.services.training_plan import training_plan
from domain.tables import utcnow
from domain.validation import RuleBroken
from web.auth import current_actor, requires
from web.db import call
from web.forms import parse_check_in, parse_mentor, parse_outcome
from web.i18n import field_errors
from web.links import links_for
from web.templating import language, render

DETAIL = "placements/detail.html"
LABELS = {"placement_states": PLACEMENT_STATE_LABELS, "ratings": RATING_LABELS, "outcomes": OUTCOME_LABELS,
          "contracts": CONTRACT_LABELS, "flag_labels": FLAG_LABELS, "check_in_days": CHECK_IN_INTERVAL_DAYS,
          "languages_all": LANGUAGES, "end_reasons": END_REASON_LABELS}


@requires(Role.EMPLOYER, Role.COACH)
async def placements_list(request: Request):
    actor = await current_actor(request)
    return render(request, "placements/list.html", {"placements": await call(request, placements_of, actor), **LABELS})


async def _detail(request: Request, *, errors: dict | None = None, values: dict | None = None, status_code: int = 200):
    """The page, or its ``placement`` block for htmx: every form on it answers with the whole block."""
    actor = await current_actor(request)
    placement = await call(request, placement_detail, actor, request.path_params["id"])
    values = {"on": utcnow().date().isoformat(), **(values or {})}
    if placement.mentor and "mentor" not in (errors or {}):
        m = placement.mentor
        values.setdefault("mentor", {"name": m.name, "role": m.role, "email": m.email, "languages": m.languages,
                                     "training_completed": "1" if m.training_completed else "",
                                     "training_completed_on": m.training_completed_on.isoformat()
                                     if m.training_completed_on else ""})
    meeting = await call(request, meeting_of_placement, actor, placement.id)
    return render(request, DETAIL, {"p": placement, "errors": errors or {}, "values": values, "meeting": meeting,
                                    **LABELS}, block="placement", status_code=status_code)


@requires(Role.EMPLOYER, Role.COACH)
async def placement_page(request: Request):
    return await _detail(request)


async def _act(request: Request, form_name: str, work, form_values: dict):
    """Run ``work()``; on broken rules show them beside that form's fields, keeping what was typed."""
    try:
        await work()
    except RuleBroken as broken:
        return await _detail(request, errors={form_name: field_errors(broken.violations, language(request))},
                             values={form_name: form_values}, status_code=422)
    return await _detail(request)


def _typed(form) -> dict:
    values = {key: value for key, value in form.items() if isinstance(value, str) and key != "csrf_token"}
    values["languages"] = [v for v in form.getlist("languages") if isinstance(v, str)]
    return values


@requires(Role.EMPLOYER)
async def placement_mentor(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    mentor, parse_errors = parse_mentor(form)

    async def work():
        if parse_errors:
            raise RuleBroken(parse_errors)
        await call(request, nominate_mentor, actor, request.path_params["id"], mentor, links=links_for(request))

    return await _act(request, "mentor", work, _typed(form))


@requires(Role.EMPLOYER)
async def placement_start(request: Request):
    actor = await current_actor(request)

    async def work():
        await call(request, start_placement, actor, request.path_params["id"])

    return await _act(request, "start", work, {})


@requires(Role.EMPLOYER)
async def placement_complete(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    result, parse_errors = parse_outcome(form)

    async def work():
        if parse_errors:
            raise RuleBroken(parse_errors)
        await call(request, complete_placement, actor, request.path_params["id"], result)

    return await _act(request, "complete", work, _typed(form))


@requires(Role.EMPLOYER, Role.COACH)
async def placement_end(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    reason, note = str(form.get("end_reason", "")), str(form.get("end_note", ""))

    async def work():
        await call(request, end_placement_early, actor, request.path_params["id"], reason, note)

    return await _act(request, "end", work, _typed(form))


@requires(Role.COACH)
async def placement_check_in(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    check_in, parse_errors = parse_check_in(form)

    async def work():
        if parse_errors:
            raise RuleBroken(parse_errors)
        await call(request, record_check_in, actor, request.path_params["id"], check_in, links=links_for(request))

    return await _act(request, "check_in", work, _typed(form))


# --- the mentor's link -------------------------------------------------------------------------------------

async def mentor(request: Request):
    """No account: the signed, expiring, single-purpose link is the key. A wrong or old link is a 404."""
    token = request.path_params["token"]
    links = links_for(request)
    errors, values, saved, status_code = {}, {"on": utcnow().date().isoformat()}, False, 200
    if request.method == "POST":
        form = await request.form()
        check_in, parse_errors = parse_check_in(form)
        try:
            if parse_errors:
                raise RuleBroken(parse_errors)
            await call(request, mentor_check_in, token, check_in, links=links)
            saved = True
        except RuleBroken as broken:
            errors = field_errors(broken.violations, language(request))
            values = {key: value for key, value in form.items() if isinstance(value, str)}
            status_code = 422
    page = await call(request, mentor_page, token, links)
    # The link is the key; Referrer-Policy: same-origin (every response) keeps it from other sites.
    return render(request, "mentor/check_ins.html", {"page": page, "errors": errors, "values": values,
                                                     "saved": saved, "token": token, **LABELS},
                  block="mentor_check_ins", status_code=status_code)


@requires(Role.EMPLOYER, Role.COACH, Role.CANDIDATE)
async def placement_training_plan(request: Request):
    """The printable training plan of a work-based training (issue 13); 404 for anyone else."""
    actor = await current_actor(request)
    plan = await call(request, training_plan, actor, request.path_params["id"], language(request))
    return render(request, "placements/training_plan.html", {"plan": plan, **LABELS})


routes = [
    Route("/placements", placements_list, name="placements_list"),
    Route("/placements/{id:id}", placement_page, name="placement_detail"),
    Route("/placements/{id:id}/training-plan", placement_training_plan, name="placement_training_plan"),
    Route("/placements/{id:id}/mentor", placement_mentor, methods=["POST"], name="placement_mentor"),
    Route("/placements/{id:id}/start", placement_start, methods=["POST"], name="placement_start"),
    Route("/placements/{id:id}/complete", placement_complete, methods=["POST"], name="placement_complete"),
    Route("/placements/{id:id}/end", placement_end, methods=["POST"], name="placement_end"),
    Route("/placements/{id:id}/check-ins", placement_check_in, methods=["POST"], name="placement_check_in"),
    Route("/mentor/{token}", mentor, methods=["GET", "POST"], name="mentor"),
]
