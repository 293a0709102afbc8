"""The candidate keeps their own profile on /me: what employers see, the fields they may change, pausing
being matched, and a message to the coach about their identity (SPEC §1)."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.candidates import MAX_COMMUTE_KM
from domain.offers import CEFR_LEVELS, LANGUAGES, NACE_SECTIONS, OFFER_TYPE_LABELS
from domain.services.candidates import check_candidate, profile_choices
from domain.services.self_service import message_coach, own_profile, set_matching_paused, update_own_profile
from domain.validation import REQUIRED, RuleBroken
from web.auth import current_actor, redirect, requires
from web.convertors import by_method
from web.db import call
from web.forms import candidate_values, parse_candidate_profile
from web.i18n import field_errors
from web.templating import language, render, render_block, wants_fragment

PROFILE = "portal/profile.html"
HOME = "portal/home.html"
OWN_FIELDS = ("available_from", "days_per_week", "max_commute_km", "accepted_offer_types", "sector_preferences",
              "languages", "skills")


def labels() -> dict:
    return {"types": OFFER_TYPE_LABELS, "sectors": NACE_SECTIONS, "cefr_levels": CEFR_LEVELS,
            "languages_all": LANGUAGES, "max_commute": MAX_COMMUTE_KM}


async def _context(request: Request, own, values: dict, errors: dict, **extra) -> dict:
    skills, _experience = await call(request, profile_choices, own.profile, language(request))
    return {"own": own, "values": values, "errors": errors, "skills": skills, "fields": OWN_FIELDS,
            "saved": False, "message_errors": {}, "message_values": {}, "message_sent": False, **labels(), **extra}


@requires(Role.CANDIDATE)
async def own_profile_form(request: Request):
    actor = await current_actor(request)
    own = await call(request, own_profile, actor, language(request))
    context = await _context(request, own, candidate_values(profile=own.profile), {},
                             saved=request.query_params.get("saved") == "1")
    return render(request, PROFILE, context)


def _violations_of_own_fields(violations) -> list:
    return [v for v in violations if v.field in OWN_FIELDS]


@requires(Role.CANDIDATE)
async def own_profile_save(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    typed, parse_errors = parse_candidate_profile(form)
    lang = language(request)
    try:
        if _violations_of_own_fields(parse_errors):
            raise RuleBroken(_violations_of_own_fields(parse_errors))
        await call(request, update_own_profile, actor, typed)
    except RuleBroken as broken:
        own = await call(request, own_profile, actor, lang, typed)
        violations = _violations_of_own_fields(parse_errors + await call(request, check_candidate, None, own.profile))
        context = await _context(request, own, candidate_values(form=form),
                                 field_errors(violations or broken.violations, lang))
        return render(request, PROFILE, context, status_code=422)
    return redirect(str(request.url_for("own_profile")) + "?saved=1", request)


@requires(Role.CANDIDATE)
async def own_profile_preview(request: Request):
    """As the candidate types: inline messages, and the employer preview of what they typed, out of band."""
    actor = await current_actor(request)
    form = await request.form()
    typed, parse_errors = parse_candidate_profile(form)
    own = await call(request, own_profile, actor, language(request), typed)
    violations = _violations_of_own_fields(parse_errors + await call(request, check_candidate, None, own.profile))
    errors = field_errors([v for v in violations if v.code != REQUIRED], language(request))
    return render_block(request, PROFILE, "validation", {"errors": errors, "fields": OWN_FIELDS, "oob": True,
                                                        "own": own, **labels()})


@requires(Role.CANDIDATE)
async def own_matching(request: Request):
    """Pause or resume being matched; answers with the portal's matching block for htmx."""
    actor = await current_actor(request)
    form = await request.form()
    await call(request, set_matching_paused, actor, form.get("paused") == "1")
    if wants_fragment(request):
        own = await call(request, own_profile, actor, language(request))
        return render(request, HOME, {"own": own, "matching_changed": True, **labels()}, block="matching")
    return redirect(str(request.url_for("portal")), request)


@requires(Role.CANDIDATE)
async def own_message(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    text = str(form.get("message", ""))
    lang = language(request)
    try:
        await call(request, message_coach, actor, text)
    except RuleBroken as broken:
        own = await call(request, own_profile, actor, lang)
        context = await _context(request, own, candidate_values(profile=own.profile), {},
                                 message_errors=field_errors(broken.violations, lang), message_values={"message": text})
        return render(request, PROFILE, context, block="message", status_code=422)
    own = await call(request, own_profile, actor, lang)
    context = await _context(request, own, candidate_values(profile=own.profile), {}, message_sent=True)
    return render(request, PROFILE, context, block="message")


routes = [
    Route("/me/profile", by_method(get=own_profile_form, post=own_profile_save), methods=["GET", "POST"],
          name="own_profile"),
    Route("/me/profile/preview", own_profile_preview, methods=["POST"], name="own_profile_preview"),
    Route("/me/matching", own_matching, methods=["POST"], name="own_matching"),
    Route("/me/message", own_message, methods=["POST"], name="own_message"),
]
