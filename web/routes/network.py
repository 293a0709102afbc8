"""Sector networks: the directory of engaged employers (search, facets, CSV), an employer's page,
and the dashboard; and the employer's own page as the networks see it (SPEC §6)."""


from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.engagement import END_REASON_LABELS, FUNNEL_STAGES
from domain.offers import NACE_SECTIONS, OFFER_TYPE_LABELS
from domain.places import PROVINCE_LABELS, PROVINCES, REGION_LABELS
from domain.services.audit import record_export
from domain.services.engagement import (
    directory_rows,
    directory_table,
    employer_engagement,
    network_dashboard,
    own_engagement,
)
from domain.services.freshness import pool_freshness_of
from domain.tables import utcnow
from search.directory import DirectoryQuery, directory_ids, search_directory
from search.matching import SearchUnavailable
from web.auth import current_actor, requires
from web.charts import SMALL_WIDTH, WIDTH, bar_chart
from web.csv_files import csv_download
from web.db import call
from web.i18n import translations
from web.templating import language, render, wants_fragment

DIRECTORY = "network/directory.html"
EMPLOYER = "network/employer.html"


def _labels() -> dict:
    return {"sectors": NACE_SECTIONS, "types": OFFER_TYPE_LABELS, "regions": REGION_LABELS,
            "provinces": PROVINCE_LABELS, "province_regions": {code: region for code, (region, _l) in PROVINCES.items()},
            "stages": FUNNEL_STAGES, "end_reasons": END_REASON_LABELS}


def _query(request: Request) -> DirectoryQuery:
    params = request.query_params
    return DirectoryQuery.parse(q=params.get("q", ""), sectors=params.getlist("sector"), areas=params.getlist("area"),
                                types=params.getlist("type"), trained_mentors=params.get("mentors") == "1",
                                page=params.get("page", "1"))


@requires(Role.NETWORK, Role.ADMIN)
async def directory(request: Request):
    query = _query(request)
    try:
        page = await run_in_threadpool(search_directory, request.app.state.search, query, utcnow())
    except SearchUnavailable:
        page = None
    return render(request, DIRECTORY, {"query": query, "page": page, "oob": wants_fragment(request), **_labels()},
                  block="directory_results")


@requires(Role.NETWORK, Role.ADMIN)
async def directory_csv(request: Request):
    actor = await current_actor(request)
    query = _query(request)
    try:
        ids = await run_in_threadpool(directory_ids, request.app.state.search, query, utcnow())
    except SearchUnavailable:
        return render(request, DIRECTORY, {"query": query, "page": None, "oob": False, **_labels()}, status_code=503)
    rows = await call(request, directory_rows, actor, ids)
    await call(request, record_export, actor, "directory", len(rows))
    return csv_download(directory_table(rows, translations(language(request)).gettext), "engaged-employers",
                        vary="Cookie, Accept-Language")


@requires(Role.NETWORK, Role.ADMIN)
async def directory_employer(request: Request):
    actor = await current_actor(request)
    engagement = await call(request, employer_engagement, actor, request.path_params["id"])
    return render(request, EMPLOYER, {"engagement": engagement, "own": False, **_labels()})


@requires(Role.EMPLOYER)
async def organisation_engagement(request: Request):
    actor = await current_actor(request)
    engagement = await call(request, own_engagement, actor)
    return render(request, EMPLOYER, {"engagement": engagement, "own": True, **_labels()})


@requires(Role.NETWORK, Role.ADMIN)
async def dashboard(request: Request):
    actor = await current_actor(request)
    figures = await call(request, network_dashboard, actor)
    freshness = await call(request, pool_freshness_of, actor)
    gettext = translations(language(request)).gettext

    def funnel_chart(funnel, width=WIDTH):
        return bar_chart([(gettext(label), figure) for (_key, label), figure
                          in zip(FUNNEL_STAGES, funnel.stages, strict=True)], width=width)

    charts = {
        "total": funnel_chart(figures.total),
        "sector": [(f, funnel_chart(f, SMALL_WIDTH)) for f in figures.by_sector],
        "type": [(f, funnel_chart(f, SMALL_WIDTH)) for f in figures.by_type],
        "end_reasons": bar_chart([(gettext(END_REASON_LABELS[reason]), figure)
                                  for reason, figure in figures.end_reasons]),
    }
    names = {"sector": {f.key: f"{f.key} · {gettext(NACE_SECTIONS[f.key])}" if f.key in NACE_SECTIONS else f.key
                        for f in figures.by_sector},
             "type": {f.key: gettext(OFFER_TYPE_LABELS[f.key]) if f.key in OFFER_TYPE_LABELS else f.key
                      for f in figures.by_type}}
    return render(request, "network/dashboard.html", {"figures": figures, "charts": charts, "names": names,
                                                      "freshness": freshness, **_labels()})


routes = [
    Route("/network/employers", directory, name="directory"),
    Route("/network/employers.csv", directory_csv, name="directory_csv"),
    Route("/network/employers/{id:id}", directory_employer, name="directory_employer"),
    Route("/network/dashboard", dashboard, name="network_dashboard"),
    Route("/organisation/engagement", organisation_engagement, name="organisation_engagement"),
]
