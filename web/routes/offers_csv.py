"""Employers import offers from a CSV file (drafts, errors per row and column, in steps with a polled progress
region like the candidate import) and export their offers."""

import csv
import io

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts import Role
from domain.offers_csv import MAX_OFFER_ROWS, OFFER_COLUMNS, REQUIRED_OFFER_COLUMNS
from domain.services.offers_csv import (
    continue_offer_import,
    export_offers,
    offer_import_progress,
    start_offer_import,
)
from domain.tables import utcnow
from domain.validation import RuleBroken
from search.matching import SearchUnavailable
from search.skills import resolver
from web.auth import current_actor, redirect, requires
from web.convertors import by_method
from web.db import call
from web.i18n import field_errors
from web.templating import language, render

TEMPLATE = "offers/import.html"


def _layout() -> dict:
    return {"columns": OFFER_COLUMNS, "required_columns": REQUIRED_OFFER_COLUMNS, "max_rows": MAX_OFFER_ROWS}


@requires(Role.EMPLOYER)
async def offers_import_form(request: Request):
    return render(request, TEMPLATE, {"progress": None, "errors": {}, **_layout()})


@requires(Role.EMPLOYER)
async def offers_import(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        data, filename = b"", ""
    else:
        data, filename = await upload.read(), upload.filename or ""
    try:
        import_id = await call(request, start_offer_import, actor, filename, data)
    except RuleBroken as broken:
        return render(request, TEMPLATE, {"progress": None, "errors": field_errors(broken.violations, language(request)),
                                          **_layout()}, status_code=422)
    return redirect(str(request.url_for("offers_import_progress", id=import_id)), request)


@requires(Role.EMPLOYER)
async def offers_import_page(request: Request):
    actor = await current_actor(request)
    progress = await call(request, offer_import_progress, actor, request.path_params["id"])
    return render(request, TEMPLATE, {"progress": progress, "errors": {}, **_layout()})


@requires(Role.EMPLOYER)
async def offers_import_next(request: Request):
    """Process the next rows (htmx polls this while the import runs) and show the progress."""
    actor = await current_actor(request)
    resolve = resolver(request.app.state.search, language(request))
    unavailable = False
    try:
        progress = await call(request, continue_offer_import, actor, request.path_params["id"], resolve,
                              ibo_max_weeks=request.app.state.settings.ibo_max_weeks)
    except SearchUnavailable:  # nothing was written; the next poll tries again
        progress, unavailable = await call(request, offer_import_progress, actor, request.path_params["id"]), True
    return render(request, TEMPLATE, {"progress": progress, "unavailable": unavailable, "errors": {}, **_layout()},
                  block="import_progress")


@requires(Role.EMPLOYER)
async def offers_export(request: Request):
    actor = await current_actor(request)
    rows = await call(request, export_offers, actor)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheets read the file as UTF-8
    csv.writer(buffer).writerows(rows)
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="offers-{utcnow().date().isoformat()}.csv"',
                             "Cache-Control": "private, no-store"})


routes = [
    Route("/offers/import", by_method(get=offers_import_form, post=offers_import), methods=["GET", "POST"],
          name="offers_import"),
    Route("/offers/import/{id:id}", offers_import_page, name="offers_import_progress"),
    Route("/offers/import/{id:id}/next", offers_import_next, methods=["POST"], name="offers_import_next"),
    Route("/offers/export.csv", offers_export, name="offers_export"),
]
