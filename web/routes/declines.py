"""Decline reasons (issue 17): a coach sees which reasons come back most for their candidates (by offer type and
sector); an employer privately sees why candidates declined its requests (small counts hidden)."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.interest import DECLINE_REASONS
from domain.offers import NACE_SECTIONS, OFFER_TYPE_LABELS
from domain.services.declines import coach_decline_reasons, employer_decline_reasons
from web.auth import current_actor, requires
from web.db import call
from web.templating import render


@requires(Role.COACH)
async def coaching_declines(request: Request):
    actor = await current_actor(request)
    counts = await call(request, coach_decline_reasons, actor)
    return render(request, "interest/declines_coach.html", {"counts": counts, "reasons": DECLINE_REASONS,
                                                            "types": OFFER_TYPE_LABELS, "sectors": NACE_SECTIONS})


@requires(Role.EMPLOYER)
async def organisation_declines(request: Request):
    actor = await current_actor(request)
    counts = await call(request, employer_decline_reasons, actor)
    return render(request, "interest/declines_employer.html", {"counts": counts, "reasons": DECLINE_REASONS})


routes = [Route("/coaching/declines", coaching_declines, name="coaching_declines"),
          Route("/organisation/declines", organisation_declines, name="organisation_declines")]
