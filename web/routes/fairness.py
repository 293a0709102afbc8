"""Fairness monitoring for sector networks (issue 17): the funnel's pass-through rates per group, as a table with
Wilson intervals, flags and suppressed small cells. Network members and admins only: never employers."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.eligibility import VALUE_LABELS
from domain.fairness import DIMENSIONS, FUNNEL_LABELS, GROUP_LABELS, K
from domain.offers import NACE_SECTIONS
from domain.services.fairness import fairness_report
from web.auth import current_actor, requires
from web.db import call
from web.templating import render


@requires(Role.NETWORK, Role.ADMIN)
async def fairness(request: Request):
    actor = await current_actor(request)
    sector = request.query_params.get("sector", "")
    sector = sector if sector in NACE_SECTIONS else ""
    report = await call(request, fairness_report, actor, sector)
    return render(request, "network/fairness.html", {
        "report": report, "dimensions": DIMENSIONS, "steps": FUNNEL_LABELS, "k": K, "sectors": NACE_SECTIONS,
        "group_labels": {**GROUP_LABELS, **VALUE_LABELS["education_level"]}}, block="fairness_tables")


routes = [Route("/network/fairness", fairness, name="network_fairness")]
