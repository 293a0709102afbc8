"""The candidate's portal: interest requests in plain language, accept with consent or decline, who saw
their details, their data as JSON, erasure; and logging in with an e-mailed link."""

import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts import Role
from domain.fairness import GENDERS
from domain.interest import DECLINE_REASONS, FIELD_LABELS, INTEREST_STATE_LABELS
from domain.offers import NACE_SECTIONS, OFFER_TYPE_LABELS
from domain.services.account_links import send_login_link, use_login_link
from domain.services.accounts import choose_language
from domain.services.fairness import own_gender
from domain.services.interest import (
    NoPlaceLeft,
    accept_interest,
    candidate_request,
    candidate_requests,
    consent_preview,
    decline_interest,
)
from domain.services.meetings import meeting_of_request
from domain.services.offers import skill_labels
from domain.services.portal import own_profile_facts, set_candidate_password
from domain.services.privacy import disclosures_of, erase_candidate, export_candidate_data
from domain.services.self_service import own_profile
from domain.validation import RuleBroken
from search.matching import match_offers
from web.auth import client_address, current_actor, redirect, requires, session_token, sign_in, sign_out
from web.db import call
from web.i18n import field_errors, translations
from web.links import links_for
from web.routes.matching import matches_or_unavailable, skill_labels_of
from web.templating import language, render, wants_fragment

LABELS = {"interest_states": INTEREST_STATE_LABELS, "decline_reasons": DECLINE_REASONS, "field_labels": FIELD_LABELS,
          "types": OFFER_TYPE_LABELS}


@requires(Role.CANDIDATE)
async def portal(request: Request):
    actor = await current_actor(request)
    requests = await call(request, candidate_requests, actor)
    disclosures = await call(request, disclosures_of, actor)
    facts = await call(request, own_profile_facts, actor)
    fitting, unavailable = await matches_or_unavailable(request, match_offers, facts, limit=10)
    labels = await skill_labels_of(request, fitting)
    own = await call(request, own_profile, actor, language(request))
    gender = await call(request, own_gender, actor)
    return render(request, "portal/home.html", {"requests": requests, "disclosures": disclosures,
                                                "gender": gender, "genders": GENDERS,
                                                "fitting": fitting, "labels": labels, "unavailable": unavailable,
                                                "password_saved": request.query_params.get("password") == "saved",
                                                "own": own, "sectors": NACE_SECTIONS, **LABELS})


async def _request_page(request: Request, *, errors: dict | None = None, values: dict | None = None,
                        status_code: int = 200, block: str = "answer", meeting_errors: dict | None = None,
                        meeting_saved: bool = False):
    actor = await current_actor(request)
    request_id = request.path_params["id"]
    item = await call(request, candidate_request, actor, request_id)
    preview = await call(request, consent_preview, actor, request_id, translations(language(request)).gettext) \
        if "accept" in item.actions else ""
    meeting = await call(request, meeting_of_request, actor, request_id)
    taught = await call(request, skill_labels, list(item.offer.taught), language(request))
    return render(request, "portal/request.html", {"r": item, "consent": preview, "errors": errors or {},
                                                   "values": values or {}, "meeting": meeting,
                                                   "meeting_errors": meeting_errors or {},
                                                   "meeting_saved": meeting_saved, "taught": taught, **LABELS},
                  block=block, status_code=status_code)


request_page = _request_page  # the first meeting's answers render this page too (web/routes/meetings.py)


@requires(Role.CANDIDATE)
async def portal_request(request: Request):
    return await _request_page(request)


@requires(Role.CANDIDATE)
async def portal_accept(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    lang = language(request)
    try:
        await call(request, accept_interest, actor, request.path_params["id"], confirmed=form.get("consent") == "1",
                   links=links_for(request), language=lang, gettext=translations(lang).gettext)
    except RuleBroken as broken:
        return await _request_page(request, errors=field_errors(broken.violations, lang), status_code=422)
    except NoPlaceLeft:
        return await _request_page(request, errors={"offer": translations(lang).gettext(
            "Sorry: every place of this offer was taken just before you answered.")}, status_code=409)
    return await _answered(request)


@requires(Role.CANDIDATE)
async def portal_decline(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    reason, note = str(form.get("reason", "")), str(form.get("note", ""))
    try:
        await call(request, decline_interest, actor, request.path_params["id"], reason, note, links=links_for(request))
    except RuleBroken as broken:
        return await _request_page(request, errors=field_errors(broken.violations, language(request)),
                                   values={"reason": reason, "note": note}, status_code=422)
    return await _answered(request)


async def _answered(request: Request):
    if wants_fragment(request):
        return await _request_page(request)
    return redirect(str(request.url_for("portal_request", id=request.path_params["id"])))


@requires(Role.CANDIDATE)
async def portal_data(request: Request):
    actor = await current_actor(request)
    data = await call(request, export_candidate_data, actor)
    return Response(json.dumps(data, ensure_ascii=False, indent=2), media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="opstap-my-data.json"',
                             "Cache-Control": "private, no-store"})


@requires(Role.CANDIDATE)
async def portal_erase(request: Request):
    actor = await current_actor(request)
    if request.method == "GET":
        return render(request, "portal/erase.html", {"errors": {}})
    form = await request.form()
    try:
        await call(request, erase_candidate, actor, form.get("confirm") == "1")
    except RuleBroken as broken:
        return render(request, "portal/erase.html", {"errors": field_errors(broken.violations, language(request))},
                      status_code=422)
    await sign_out(request)
    return render(request, "portal/erased.html", {})


@requires(Role.CANDIDATE)
async def portal_password(request: Request):
    actor = await current_actor(request)
    if request.method == "GET":
        return render(request, "portal/password.html", {"errors": {}})
    form = await request.form()
    try:
        await call(request, set_candidate_password, actor, str(form.get("password", "")), session_token(request))
    except RuleBroken as broken:
        return render(request, "portal/password.html", {"errors": field_errors(broken.violations, language(request))},
                      status_code=422)
    return redirect(str(request.url_for("portal")) + "?password=saved", request)


# --- logging in with an e-mailed link ----------------------------------------------------------------

async def login_link_request(request: Request):
    if request.method == "GET":
        return render(request, "portal/link.html", {"sent": False, "values": {}})
    form = await request.form()
    email = str(form.get("email", ""))
    await call(request, send_login_link, email, links_for(request), client_address(request))
    return render(request, "portal/link.html", {"sent": True, "values": {"email": email}})


async def login_link(request: Request):
    """GET shows a button; only the POST uses the single-use link, so mail scanners that open links don't."""
    token = request.path_params["token"]
    if request.method == "GET":
        return render(request, "portal/link_open.html", {"token": token, "invalid": False})
    used = await call(request, use_login_link, token)
    if used is None:
        return render(request, "portal/link_open.html", {"token": token, "invalid": True}, status_code=400)
    actor, target = used
    # A first login stores the language the link's page was read in (SPEC: chosen at first login).
    actor = await call(request, choose_language, actor, language(request), only_if_unset=True)
    await sign_in(request, actor)
    return redirect(target, request)


routes = [
    Route("/me", portal, name="portal"),
    Route("/me/requests/{id:id}", portal_request, name="portal_request"),
    Route("/me/requests/{id:id}/accept", portal_accept, methods=["POST"], name="portal_accept"),
    Route("/me/requests/{id:id}/decline", portal_decline, methods=["POST"], name="portal_decline"),
    Route("/me/data.json", portal_data, name="portal_data"),
    Route("/me/erase", portal_erase, methods=["GET", "POST"], name="portal_erase"),
    Route("/me/password", portal_password, methods=["GET", "POST"], name="portal_password"),
    Route("/login/link", login_link_request, methods=["GET", "POST"], name="login_link_request"),
    Route("/login/link/{token}", login_link, methods=["GET", "POST"], name="login_link"),
]
