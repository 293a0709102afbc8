"""The coach's caseload and candidate workspace: register, identity, profile with its employer preview,
eligibility screening, coaching log, and proposing one candidate to one offer.

Every route takes a candidate of the coach's own coaching service; any other candidate is a 404.
"""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.candidates import MAX_COMMUTE_KM, DiplomaRecognition, ProfileInput
from domain.coaching import LOG_KIND_LABELS
from domain.offers import CEFR_LEVELS, EDUCATION_RANK, LANGUAGES, NACE_SECTIONS, OFFER_TYPE_LABELS
from domain.proposals import PROPOSAL_STATUS_LABELS
from domain.services.audit import record_identity_view
from domain.services.candidates import (
    candidate_view,
    caseload,
    check_candidate,
    profile_choices,
    profile_preview,
    register_candidate,
    update_candidate_identity,
    update_candidate_profile,
)
from domain.services.coaching import add_log_entry
from domain.services.offers import skill_labels
from domain.services.proposals import proposal_subject, propose_candidate, record_candidate_declined
from domain.services.screening import screen_candidate
from domain.services.self_service import profile_history
from domain.services.workspace import candidate_workspace
from domain.tables import utcnow
from domain.validation import REQUIRED, NotFound, RuleBroken
from search.matching import explain_candidates
from web.auth import current_actor, redirect, requires
from web.convertors import by_method
from web.db import call
from web.forms import candidate_values, parse_candidate_profile, parse_identity, parse_log_entry
from web.i18n import country_names, field_errors
from web.templating import language, render, render_block, wants_fragment

FORM = "candidates/form.html"
DETAIL = "candidates/detail.html"
PROPOSE = "candidates/propose.html"
IDENTITY_FIELDS = ("given_name", "family_name", "email", "phone", "date_of_birth", "nationality",
                   "country_of_origin", "arrival_date", "address")
PROFILE_FIELDS = ("skills", "experience", "education_level", "education_field", "diploma_recognition", "languages",
                  "postcode", "max_commute_km", "available_from", "days_per_week", "accepted_offer_types",
                  "sector_preferences", "summary")
MODES = {"register": IDENTITY_FIELDS + PROFILE_FIELDS, "identity": IDENTITY_FIELDS, "profile": PROFILE_FIELDS}


def _labels() -> dict:
    return {"types": OFFER_TYPE_LABELS, "sectors": NACE_SECTIONS, "education_levels": list(EDUCATION_RANK),
            "recognitions": list(DiplomaRecognition), "cefr_levels": CEFR_LEVELS, "languages_all": LANGUAGES,
            "max_commute": MAX_COMMUTE_KM, "log_kinds": LOG_KIND_LABELS, "proposal_statuses": PROPOSAL_STATUS_LABELS}


async def _form_context(request: Request, mode: str, values: dict, errors: dict, profile: ProfileInput | None,
                        candidate=None, preview=None) -> dict:
    lang = language(request)
    skills, experience = await call(request, profile_choices, profile, lang) if profile else ([], [])
    return {"mode": mode, "candidate": candidate, "values": values, "errors": errors, "skills": skills,
            "experience_lines": experience, "fields": MODES[mode], "countries": country_names(lang), "preview": preview,
            **_labels()}


# --- caseload and registration ------------------------------------------------------------------

@requires(Role.COACH)
async def candidates_list(request: Request):
    actor = await current_actor(request)
    return render(request, "candidates/list.html", {"candidates": await call(request, caseload, actor)})


@requires(Role.COACH)
async def candidate_new(request: Request):
    profile = ProfileInput(available_from=utcnow().date())
    return render(request, FORM, await _form_context(request, "register", candidate_values(profile=profile), {}, None))


@requires(Role.COACH)
async def candidate_register(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    identity, identity_errors = parse_identity(form)
    profile, profile_errors = parse_candidate_profile(form)
    parse_errors = identity_errors + profile_errors
    try:
        if parse_errors:
            raise RuleBroken(parse_errors)
        created = await call(request, register_candidate, actor, identity, profile)
    except RuleBroken as broken:
        violations = parse_errors + await call(request, check_candidate, identity, profile)
        errors = field_errors(violations or broken.violations, language(request))
        context = await _form_context(request, "register", candidate_values(form=form), errors, profile)
        return render(request, FORM, context, status_code=422)
    return redirect(str(request.url_for("candidate_detail", id=created.id)), request)


@requires(Role.COACH)
async def candidate_validate(request: Request):
    """Inline validation of the register and identity forms; "required" waits for the submit."""
    form = await request.form()
    mode = "identity" if form.get("mode") == "identity" else "register"
    identity, errors_a = parse_identity(form)
    profile, errors_b = parse_candidate_profile(form) if mode == "register" else (None, [])
    violations = errors_a + errors_b + await call(request, check_candidate, identity, profile)
    errors = field_errors([v for v in violations if v.code != REQUIRED], language(request))
    return render_block(request, FORM, "validation", {"errors": errors, "fields": MODES[mode], "oob": True})


# --- one candidate ------------------------------------------------------------------------------

async def _workspace_context(request: Request, **extra) -> dict:
    actor = await current_actor(request)
    workspace = await call(request, candidate_workspace, actor, request.path_params["id"], language(request))
    return {"w": workspace, "candidate": workspace.candidate, "countries": country_names(language(request)),
            "screen_errors": {}, "log_errors": {}, "log_values": {"happened_on": utcnow().date().isoformat()},
            "screened": None, **_labels(), **extra}


@requires(Role.COACH)
async def candidate_detail(request: Request):
    actor = await current_actor(request)
    history = await call(request, profile_history, actor, request.path_params["id"], language(request))
    return render(request, DETAIL, await _workspace_context(request, own_changes=history))


@requires(Role.COACH)
async def candidate_profile_form(request: Request):
    actor = await current_actor(request)
    view = await call(request, candidate_view, actor, request.path_params["id"])
    preview = await call(request, profile_preview, actor, view.id, None, language(request))
    return render(request, FORM, await _form_context(request, "profile", candidate_values(profile=view.profile), {},
                                                     view.profile, view, preview))


@requires(Role.COACH)
async def candidate_profile_save(request: Request):
    actor = await current_actor(request)
    view = await call(request, candidate_view, actor, request.path_params["id"])  # authorise before validating
    form = await request.form()
    profile, parse_errors = parse_candidate_profile(form, programme=view.profile.programme, path=view.profile.path)
    try:
        if parse_errors:
            raise RuleBroken(parse_errors)
        await call(request, update_candidate_profile, actor, view.id, profile)
    except RuleBroken as broken:
        lang = language(request)
        violations = parse_errors + await call(request, check_candidate, None, profile)
        preview = await call(request, profile_preview, actor, view.id, profile, lang)
        context = await _form_context(request, "profile", candidate_values(form=form),
                                      field_errors(violations or broken.violations, lang), profile, view, preview)
        return render(request, FORM, context, status_code=422)
    return redirect(str(request.url_for("candidate_detail", id=view.id)), request)


@requires(Role.COACH)
async def candidate_profile_validate(request: Request):
    """Inline validation of the profile form, and the employer preview of what is typed, out of band."""
    actor = await current_actor(request)
    form = await request.form()
    profile, parse_errors = parse_candidate_profile(form)
    preview = await call(request, profile_preview, actor, request.path_params["id"], profile, language(request))
    violations = parse_errors + await call(request, check_candidate, None, profile)
    errors = field_errors([v for v in violations if v.code != REQUIRED], language(request))
    return render_block(request, FORM, "validation", {"errors": errors, "fields": PROFILE_FIELDS, "oob": True,
                                                      "preview": preview, **_labels()})


@requires(Role.COACH)
async def candidate_identity_form(request: Request):
    actor = await current_actor(request)
    view = await call(request, candidate_view, actor, request.path_params["id"])
    await call(request, record_identity_view, actor, view.id)
    return render(request, FORM, await _form_context(request, "identity", candidate_values(identity=view.identity), {},
                                                     None, view))


@requires(Role.COACH)
async def candidate_identity_save(request: Request):
    actor = await current_actor(request)
    view = await call(request, candidate_view, actor, request.path_params["id"])
    form = await request.form()
    identity, parse_errors = parse_identity(form)
    try:
        if parse_errors:
            raise RuleBroken(parse_errors)
        await call(request, update_candidate_identity, actor, view.id, identity)
    except RuleBroken as broken:
        violations = parse_errors + await call(request, check_candidate, identity, None)
        context = await _form_context(request, "identity", candidate_values(form=form),
                                      field_errors(violations or broken.violations, language(request)), None, view)
        return render(request, FORM, context, status_code=422)
    return redirect(str(request.url_for("candidate_detail", id=view.id)), request)


@requires(Role.COACH)
async def candidate_screen(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    raw_programme = str(form.get("programme_id", ""))
    errors, screened = {}, None
    try:
        screened = await call(request, screen_candidate, actor, request.path_params["id"],
                              int(raw_programme) if raw_programme.isdigit() else None, str(form.get("path", "")))
    except RuleBroken as broken:
        errors = field_errors(broken.violations, language(request))
    context = await _workspace_context(request, screen_errors=errors, screened=screened,
                                       screen_values={"programme_id": raw_programme, "path": form.get("path", "")})
    return render(request, DETAIL, context, block="screening", status_code=422 if errors else 200)


@requires(Role.COACH)
async def candidate_log(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    entry, parse_errors = parse_log_entry(form)
    errors, values = {}, None
    try:
        if parse_errors:
            raise RuleBroken(parse_errors)
        await call(request, add_log_entry, actor, request.path_params["id"], entry)
    except RuleBroken as broken:
        errors = field_errors(parse_errors or broken.violations, language(request))
        values = {key: str(value) for key, value in form.items() if key in ("happened_on", "kind", "note")}
    extra = {"log_errors": errors, **({"log_values": values} if values else {})}
    context = await _workspace_context(request, **extra)
    return render(request, DETAIL, context, block="coaching_log", status_code=422 if errors else 200)


# --- proposing one candidate to one offer ---------------------------------------------------------

def _offer_id(raw) -> int:
    if not isinstance(raw, str) or not raw.isdigit() or len(raw) > 9:
        raise NotFound()
    return int(raw)


async def _proposal_context(request: Request, offer_id: int) -> dict:
    actor = await current_actor(request)
    subject = await call(request, proposal_subject, actor, request.path_params["id"], offer_id)
    explanation = (await run_in_threadpool(explain_candidates, request.app.state.search, subject.offer,
                                           [subject.candidate]))[subject.candidate.id]
    e = explanation
    labels = await call(request, skill_labels, list(e.essential_covered + e.essential_missing + e.optional_covered
                                                    + e.optional_missing
                                                    + tuple(held for _, held in e.essential_related)
                                                    + e.learning_plan),
                        language(request))
    return {"offer": subject.offer, "candidate": subject.candidate, "explanation": explanation, "labels": labels,
            "refused": subject.refused, "pending": subject.pending, "programme_names": subject.programme_names,
            "errors": {}, "note": "", **_labels()}


@requires(Role.COACH)
async def candidate_propose(request: Request):
    if request.method == "GET":
        context = await _proposal_context(request, _offer_id(request.query_params.get("offer")))
        return render(request, PROPOSE, context)
    actor = await current_actor(request)
    form = await request.form()
    context = await _proposal_context(request, _offer_id(form.get("offer_id")))
    note = str(form.get("note", ""))
    try:
        await call(request, propose_candidate, actor, context["candidate"].id, context["offer"].id, note,
                   context["explanation"], confirmed=form.get("confirm") == "1")
    except RuleBroken as broken:
        context.update(errors=field_errors(broken.violations, language(request)), note=note)
        return render(request, PROPOSE, context, status_code=422)
    return redirect(str(request.url_for("candidate_detail", id=context["candidate"].id)) + "#proposals", request)


@requires(Role.COACH)
async def candidate_declined(request: Request):
    actor = await current_actor(request)
    await call(request, record_candidate_declined, actor, request.path_params["id"], request.path_params["proposed"])
    if wants_fragment(request):
        return render(request, DETAIL, await _workspace_context(request), block="proposals")
    return redirect(str(request.url_for("candidate_detail", id=request.path_params["id"])) + "#proposals")


routes = [
    Route("/candidates", by_method(get=candidates_list, post=candidate_register), methods=["GET", "POST"],
          name="candidates_list"),
    Route("/candidates/new", candidate_new, name="candidate_new"),
    Route("/candidates/validate", candidate_validate, methods=["POST"], name="candidate_validate"),
    Route("/candidates/{id:id}", candidate_detail, name="candidate_detail"),
    Route("/candidates/{id:id}/profile", by_method(get=candidate_profile_form, post=candidate_profile_save),
          methods=["GET", "POST"], name="candidate_profile"),
    Route("/candidates/{id:id}/profile/validate", candidate_profile_validate, methods=["POST"],
          name="candidate_profile_validate"),
    Route("/candidates/{id:id}/identity", by_method(get=candidate_identity_form, post=candidate_identity_save),
          methods=["GET", "POST"], name="candidate_identity"),
    Route("/candidates/{id:id}/screenings", candidate_screen, methods=["POST"], name="candidate_screen"),
    Route("/candidates/{id:id}/log", candidate_log, methods=["POST"], name="candidate_log"),
    Route("/candidates/{id:id}/proposals/new", candidate_propose, methods=["GET", "POST"], name="candidate_propose"),
    Route("/candidates/{id:id}/proposals/{proposed:id}/declined", candidate_declined, methods=["POST"],
          name="candidate_declined"),
]
