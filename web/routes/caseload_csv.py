"""CSV import of candidates (in chunks, with a polled progress region) and the anonymised caseload export."""

import csv
import io

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts import Role
from domain.caseload_csv import IMPORT_COLUMNS, MAX_ROWS, REQUIRED_COLUMNS
from domain.services.caseload_csv import continue_import, export_caseload, import_progress, start_import
from domain.tables import utcnow
from domain.validation import RuleBroken
from search.matching import SearchUnavailable
from search.skills import resolver
from web.auth import current_actor, redirect, requires
from web.convertors import by_method
from web.db import call
from web.i18n import field_errors
from web.templating import language, render

TEMPLATE = "candidates/import.html"


def _layout() -> dict:
    return {"columns": IMPORT_COLUMNS, "required_columns": REQUIRED_COLUMNS, "max_rows": MAX_ROWS}


@requires(Role.COACH)
async def import_form(request: Request):
    return render(request, TEMPLATE, {"progress": None, "errors": {}, **_layout()})


@requires(Role.COACH)
async def import_upload(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        data, filename = b"", ""
    else:
        data, filename = await upload.read(), upload.filename or ""
    try:
        import_id = await call(request, start_import, actor, filename, data)
    except RuleBroken as broken:
        return render(request, TEMPLATE, {"progress": None, "errors": field_errors(broken.violations, language(request)),
                                          **_layout()}, status_code=422)
    return redirect(str(request.url_for("candidate_import_progress", id=import_id)), request)


@requires(Role.COACH)
async def import_page(request: Request):
    actor = await current_actor(request)
    progress = await call(request, import_progress, actor, request.path_params["id"])
    return render(request, TEMPLATE, {"progress": progress, "errors": {}, **_layout()})


@requires(Role.COACH)
async def import_next(request: Request):
    """Process the next chunk (htmx polls this while the import runs) and show the progress."""
    actor = await current_actor(request)
    resolve = resolver(request.app.state.search, language(request))
    unavailable = False
    try:
        progress = await call(request, continue_import, actor, request.path_params["id"], resolve)
    except SearchUnavailable:  # nothing was written; the next poll tries again
        progress, unavailable = await call(request, import_progress, actor, request.path_params["id"]), True
    return render(request, TEMPLATE, {"progress": progress, "unavailable": unavailable, "errors": {}, **_layout()},
                  block="import_progress")


@requires(Role.COACH)
async def caseload_export(request: Request):
    actor = await current_actor(request)
    rows = await call(request, export_caseload, actor)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheets read the file as UTF-8
    csv.writer(buffer).writerows(rows)
    filename = f"caseload-{utcnow().date().isoformat()}.csv"
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "private, no-store"})


routes = [
    Route("/candidates/import", by_method(get=import_form, post=import_upload), methods=["GET", "POST"],
          name="candidate_import"),
    Route("/candidates/import/{id:id}", import_page, name="candidate_import_progress"),
    Route("/candidates/import/{id:id}/next", import_next, methods=["POST"], name="candidate_import_next"),
    Route("/candidates/export.csv", caseload_export, name="caseload_export"),
]
