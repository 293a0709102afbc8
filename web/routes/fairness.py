"""Fairness monitoring (issue 17): the funnel's pass-through rates per group, as a chart with a table alternative,
Wilson intervals, flags in words and suppressed small counts. Sector network members and admins over every
candidate (/network/fairness); a coach over their own service's candidates (/coaching/fairness). Never employers."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.eligibility import VALUE_LABELS
from domain.fairness import DIMENSIONS, FUNNEL, FUNNEL_LABELS, GENDERS, GROUP_LABELS, K, parse_month
from domain.offers import NACE_SECTIONS, OFFER_TYPE_LABELS
from domain.reference import sub_region_name
from domain.services.fairness import FairnessFilter, employer_fairness, fairness_report, state_own_gender
from domain.services.freshness import pool_freshness_of
from domain.validation import N_
from web.auth import current_actor, redirect, requires
from web.charts import rate_chart
from web.db import call
from web.i18n import translations
from web.templating import language, render, wants_fragment

TEMPLATE = "network/fairness.html"
EMPLOYERS = "network/fairness_employers.html"


def _filters(request: Request) -> tuple[FairnessFilter, str, dict]:
    params = request.query_params
    sector = params.get("sector", "")
    offer_type = params.get("type", "")
    start, end = params.get("from", "").strip(), params.get("to", "").strip()
    errors = {}
    start_day, end_day = parse_month(start) if start else None, parse_month(end) if end else None
    if start and start_day is None:
        errors["from"] = N_("Give a month as YYYY-MM, for example 2026-03.")
    if end and end_day is None:
        errors["to"] = N_("Give a month as YYYY-MM, for example 2026-03.")
    if start_day and end_day and end_day < start_day:
        errors["to"] = N_("The last month cannot come before the first.")
        end_day = None
    step = params.get("step", "interest")
    return (FairnessFilter(sector if sector in NACE_SECTIONS else "", offer_type if offer_type in OFFER_TYPE_LABELS else "",
                           start_day, end_day),
            step if step in FUNNEL[1:] else "interest", {"errors": errors, "from": start, "to": end})


def _group_names(tables, lang: str) -> dict:
    """Each table's groups in the reader's language (UN M49 sub-regions from CLDR, the others translated)."""
    gettext = translations(lang).gettext
    labels = {**GROUP_LABELS, **VALUE_LABELS["education_level"]}

    def group_name(dimension: str, group: str) -> str:
        if dimension == "region" and group != "unknown":
            return sub_region_name(group, lang)
        return gettext(labels[group]) if group in labels else group

    return {table.dimension: {g: group_name(table.dimension, g) for g in table.groups} for table in tables}


async def _page(request: Request, route: str):
    actor = await current_actor(request)
    filters, step, typed = _filters(request)
    report = await call(request, fairness_report, actor, filters)
    freshness = await call(request, pool_freshness_of, actor)
    names = _group_names(report.tables, language(request))
    charts = {}
    for table in report.tables:
        column = next(c for c in table.columns if c.step == step)
        charts[table.dimension] = rate_chart([
            (names[table.dimension][cell.group], cell.rate,
             (cell.interval.low, cell.interval.high) if cell.interval else None, cell.flagged)
            for cell in column.cells])
    flagged = [(table.dimension, column.step, cell.group) for table in report.tables for column in table.columns
               for cell in column.cells if cell.flagged]
    return render(request, TEMPLATE, {
        "report": report, "dimensions": DIMENSIONS, "steps": FUNNEL_LABELS, "k": K, "sectors": NACE_SECTIONS,
        "types": OFFER_TYPE_LABELS, "names": names, "charts": charts, "step": step, "typed": typed,
        "flagged": flagged, "route": route, "freshness": freshness}, block="fairness_tables")


@requires(Role.NETWORK, Role.ADMIN)
async def fairness(request: Request):
    return await _page(request, "network_fairness")


@requires(Role.COACH)
async def coaching_fairness(request: Request):
    return await _page(request, "coaching_fairness")


@requires(Role.NETWORK, Role.ADMIN)
async def employers_fairness(request: Request):
    """Per employer: the candidates it was shown, whom it asked and who accepted; one employer's groups on demand."""
    actor = await current_actor(request)
    filters, _step, typed = _filters(request)
    employers = await call(request, employer_fairness, actor, filters)
    wanted = request.query_params.get("employer", "")
    chosen = next((e for e in employers if str(e.organisation_id) == wanted), None)
    return render(request, EMPLOYERS, {
        "employers": employers, "chosen": chosen, "names": _group_names(chosen.tables, language(request)) if chosen
        else {}, "dimensions": DIMENSIONS, "steps": {**FUNNEL_LABELS, "matched": N_("Shown to the employer")},
        "k": K, "sectors": NACE_SECTIONS, "types": OFFER_TYPE_LABELS, "typed": typed, "filters": filters,
        "query": {key: value for key, value in request.query_params.items() if key != "employer"}},
        block="employer_fairness")


@requires(Role.CANDIDATE)
async def own_gender(request: Request):
    """The candidate states, changes or removes their gender (optional; for fairness monitoring in totals only)."""
    actor = await current_actor(request)
    form = await request.form()
    value = str(form.get("gender", ""))
    value = value if value in GENDERS else ""  # a tampered value counts as no answer
    saved = await call(request, state_own_gender, actor, value)
    if wants_fragment(request):
        return render(request, "portal/home.html", {"gender": saved, "genders": GENDERS, "gender_saved": True},
                      block="gender")
    return redirect(str(request.url_for("portal")), request)


routes = [Route("/network/fairness", fairness, name="network_fairness"),
          Route("/network/fairness/employers", employers_fairness, name="network_fairness_employers"),
          Route("/coaching/fairness", coaching_fairness, name="coaching_fairness"),
          Route("/me/gender", own_gender, methods=["POST"], name="own_gender")]
