"""The employer's traineeship offers: list, create, edit with inline validation, status changes."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.interest import INTEREST_STATE_LABELS
from domain.offers import (
    CEFR_LEVELS,
    EDUCATION_RANK,
    EMPLOYER_ACTIONS,
    NACE_SECTIONS,
    OFFER_TYPE_LABELS,
    OfferInput,
    OfferStatus,
    OfferType,
    type_rules,
)
from domain.proposals import PROPOSAL_STATUS_LABELS
from domain.services.freshness import confirm_offer
from domain.services.interest import interest_by_ref
from domain.services.offers import (
    change_status,
    check_offer,
    create_offer,
    describe_skills,
    offer_detail,
    organisation_offers,
    update_offer,
)
from domain.services.proposals import received_proposals
from domain.services.reference import occupation_choice
from domain.validation import N_, REQUIRED, NotAllowed, RuleBroken
from web.auth import current_actor, redirect, requires
from web.convertors import by_method
from web.db import call
from web.forms import OFFER_LANGUAGES, offer_values, parse_offer
from web.i18n import field_errors
from web.templating import language, render, render_block

FORM = "offers/form.html"
FIELDS = ("title", "description", "type", "duration_value", "occupation_uri", "skills", "languages",
          "education_min", "field_of_study", "postcode", "remote_days", "days_per_week", "hours_per_week",
          "start_from", "start_until", "places", "sector", "accessibility_notes", "monthly_pay_eur",
          "followup_contract_months")


def _settings(request: Request):
    return request.app.state.settings


async def _form_context(request: Request, offer: OfferInput, values: dict, errors: dict, offer_id=None) -> dict:
    lang = language(request)
    skills = await call(request, describe_skills, offer.skills, lang)
    occupation = await call(request, occupation_choice, offer.occupation_uri, lang)
    return {
        "offer_id": offer_id, "values": values, "errors": errors, "skills": skills, "occupation": occupation,
        "fields": FIELDS, "types": OFFER_TYPE_LABELS,
        "rules": {t: type_rules(t, ibo_max_weeks=_settings(request).ibo_max_weeks) for t in OfferType},
        "sectors": NACE_SECTIONS, "education_levels": list(EDUCATION_RANK), "cefr_levels": CEFR_LEVELS,
        "offer_languages": OFFER_LANGUAGES,
    }


@requires(Role.EMPLOYER)
async def offers_list(request: Request):
    actor = await current_actor(request)
    offers = await call(request, organisation_offers, actor)
    return render(request, "offers/list.html", {"offers": offers, "types": OFFER_TYPE_LABELS})


@requires(Role.EMPLOYER)
async def offer_new(request: Request):
    offer = OfferInput(places=1)
    return render(request, FORM, await _form_context(request, offer, offer_values(offer=offer), {}))


async def _save(request: Request, offer_id: int | None):
    actor = await current_actor(request)
    form = await request.form()
    offer, parse_errors = parse_offer(form)
    lang = language(request)
    ibo = _settings(request).ibo_max_weeks
    if offer_id is not None:  # authorise before validating: errors must not echo someone else's offer
        await call(request, offer_detail, actor, offer_id)
    try:
        if parse_errors:
            raise RuleBroken(parse_errors)
        if offer_id is None:
            offer_id = await call(request, create_offer, actor, offer, ibo_max_weeks=ibo)
        else:
            await call(request, update_offer, actor, offer_id, offer, ibo_max_weeks=ibo)
    except RuleBroken as broken:
        violations = parse_errors + (await call(request, check_offer, offer, ibo_max_weeks=ibo))
        errors = field_errors(violations or broken.violations, lang)
        context = await _form_context(request, offer, offer_values(form=form), errors, offer_id)
        return render(request, FORM, context, status_code=422)
    return redirect(str(request.url_for("offer_detail", id=offer_id)), request)


@requires(Role.EMPLOYER)
async def offer_create(request: Request):
    return await _save(request, None)


@requires(Role.EMPLOYER)
async def offer_validate(request: Request):
    """Inline validation while typing: every field's message, swapped out of band.

    "Required" messages wait for the submit, so a half-filled form is not covered in red.
    """
    form = await request.form()
    offer, parse_errors = parse_offer(form)
    violations = parse_errors + await call(request, check_offer, offer,
                                           ibo_max_weeks=_settings(request).ibo_max_weeks)
    errors = field_errors([v for v in violations if v.code != REQUIRED], language(request))
    return render_block(request, FORM, "validation", {"errors": errors, "fields": FIELDS, "oob": True})


@requires(Role.EMPLOYER, Role.COACH, Role.ADMIN)
async def offer_show(request: Request):
    actor = await current_actor(request)
    detail = await call(request, offer_detail, actor, request.path_params["id"], language(request))
    own = actor.role == Role.EMPLOYER and detail.organisation_id == actor.organisation_id
    received = await call(request, received_proposals, actor, detail.id, language(request)) if own else None
    interest = await call(request, interest_by_ref, actor, detail.id) if own else {}
    return render(request, "offers/detail.html", {
        "offer": detail, "types": OFFER_TYPE_LABELS, "sectors": NACE_SECTIONS,
        "rules": type_rules(detail.input.type, ibo_max_weeks=_settings(request).ibo_max_weeks),
        "received": received, "proposal_statuses": PROPOSAL_STATUS_LABELS,
        "interest": interest, "interest_states": INTEREST_STATE_LABELS,
    }, block="offer_status")


_CANNOT_EDIT = {
    OfferStatus.FILLED: N_("This offer is filled: every place is taken, so it can no longer be changed. "
                           "To take on more trainees, create a new offer."),
    OfferStatus.CLOSED: N_("This offer is closed, and closing is final: it can no longer be changed. "
                           "Create a new offer instead."),
}


@requires(Role.EMPLOYER)
async def offer_edit(request: Request):
    actor = await current_actor(request)
    offer_id = request.path_params["id"]
    if request.method == "POST":
        return await _save(request, offer_id)
    detail = await call(request, offer_detail, actor, offer_id, language(request))
    if not detail.editable:
        if detail.status in (OfferStatus.FILLED, OfferStatus.CLOSED):  # only its own organisation sees these
            return render(request, "error.html", {"status_code": 403, "reason": _CANNOT_EDIT[detail.status],
                                                  "back": request.url_for("offer_detail", id=offer_id)},
                          status_code=403)
        raise NotAllowed()
    return render(request, FORM, await _form_context(request, detail.input, offer_values(offer=detail.input), {},
                                                     offer_id))


@requires(Role.EMPLOYER)
async def offer_transition(request: Request):
    actor = await current_actor(request)
    offer_id = request.path_params["id"]
    await call(request, change_status, actor, offer_id, request.url.path.rsplit("/", 1)[1])
    detail = await call(request, offer_detail, actor, offer_id, language(request))
    return render(request, "offers/detail.html", {
        "offer": detail, "types": OFFER_TYPE_LABELS, "sectors": NACE_SECTIONS,
        "rules": type_rules(detail.input.type, ibo_max_weeks=_settings(request).ibo_max_weeks),
    }, block="offer_status")


@requires(Role.EMPLOYER)
async def offer_confirm(request: Request):
    """The employer confirms the offer is still open (asked after 60 days without a change)."""
    actor = await current_actor(request)
    offer_id = request.path_params["id"]
    await call(request, confirm_offer, actor, offer_id)
    detail = await call(request, offer_detail, actor, offer_id, language(request))
    return render(request, "offers/detail.html", {
        "offer": detail, "types": OFFER_TYPE_LABELS, "sectors": NACE_SECTIONS,
        "rules": type_rules(detail.input.type, ibo_max_weeks=_settings(request).ibo_max_weeks),
    }, block="offer_status")


routes = [
    Route("/offers", by_method(get=offers_list, post=offer_create), methods=["GET", "POST"], name="offers_list"),
    Route("/offers/new", offer_new, name="offer_new"),
    Route("/offers/validate", offer_validate, methods=["POST"], name="offer_validate"),
    Route("/offers/{id:id}", offer_show, name="offer_detail"),
    Route("/offers/{id:id}/confirm", offer_confirm, methods=["POST"], name="offer_confirm"),
    Route("/offers/{id:id}/edit", offer_edit, methods=["GET", "POST"], name="offer_edit"),
    *[Route(f"/offers/{{id:id}}/{action}", offer_transition, methods=["POST"], name=f"offer_{action}")
      for action in EMPLOYER_ACTIONS],
]
