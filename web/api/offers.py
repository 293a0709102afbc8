"""Offers over the API: create, read, list, publish, pause, close."""

from dataclasses import asdict

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.accounts import Role
from domain.offers import EMPLOYER_ACTIONS
from domain.services.offers import change_status, create_offer, offer_detail, offer_page
from domain.validation import RuleBroken
from web.api.base import decode_cursor, endpoint, int_param, invalid, page, read_json
from web.api.inputs import OFFER_FIELDS, offer_input
from web.convertors import by_method
from web.db import call


def offer_json(detail) -> dict:
    o = detail.input
    return {
        "id": detail.id, "status": detail.status.value, "organisation": detail.organisation_name,
        "title": o.title, "description": o.description, "type": o.type.value,
        "duration": {"value": o.duration_value, "unit": o.duration_unit.value},
        "occupation": o.occupation_uri,
        "skills": [{"uri": s.uri, "label": s.label, "essential": s.essential, "taught": s.taught}
                   for s in detail.skills],
        "languages": [{"code": lang.language, "min_level": lang.min_level} for lang in o.languages],
        "education_min": o.education_min.value, "field_of_study": o.field_of_study, "postcode": o.postcode,
        "municipality": detail.municipality, "remote_days": o.remote_days, "days_per_week": o.days_per_week,
        "hours_per_week": o.hours_per_week, "start_from": o.start_from.isoformat() if o.start_from else None,
        "start_until": o.start_until.isoformat() if o.start_until else None, "places": o.places,
        "sector": o.sector, "accessibility_notes": o.accessibility_notes, "monthly_pay_eur": o.monthly_pay_eur,
        "followup_contract_months": o.followup_contract_months, "followup_open_ended": o.followup_open_ended,
    }


@endpoint(Role.EMPLOYER)
async def create(request: Request, actor):
    offer = offer_input(await read_json(request))
    try:
        offer_id = await call(request, create_offer, actor, offer, ibo_max_weeks=request.app.state.settings.ibo_max_weeks)
    except RuleBroken as broken:
        raise invalid(broken, OFFER_FIELDS) from None
    return JSONResponse({"id": offer_id, "status": "draft"}, status_code=201)


@endpoint(Role.EMPLOYER, Role.COACH, Role.ADMIN)
async def show(request: Request, actor):
    detail = await call(request, offer_detail, actor, request.path_params["id"], "en")
    return JSONResponse(offer_json(detail))


@endpoint(Role.EMPLOYER, Role.COACH, Role.ADMIN)
async def listing(request: Request, actor):
    limit = int_param(request, "limit", 50, 1, 200)
    rows = await call(request, offer_page, actor, decode_cursor(request), limit + 1)
    return JSONResponse(page([{**asdict(r), "updated_at": r.updated_at.isoformat()} for r in rows], limit))


def _transition(action: str):
    @endpoint(Role.EMPLOYER)
    async def transition(request: Request, actor):
        status = await call(request, change_status, actor, request.path_params["id"], action)
        return JSONResponse({"id": request.path_params["id"], "status": status.value})

    return transition


routes = [
    Route("/offers", by_method(get=listing, post=create), methods=["GET", "POST"], name="api_offers"),
    Route("/offers/{id:id}", show, name="api_offer"),
    *[Route(f"/offers/{{id:id}}/{action}", _transition(action), methods=["POST"], name=f"api_offer_{action}")
      for action in EMPLOYER_ACTIONS],
]
