"""Employers import offers from a CSV file (drafts, errors per row and column) and export their offers."""

import csv
import io

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts import Role
from domain.offers_csv import MAX_OFFER_ROWS, OFFER_COLUMNS, REQUIRED_OFFER_COLUMNS
from domain.services.offers_csv import export_offers, import_offers
from domain.tables import utcnow
from domain.validation import N_, RuleBroken
from search.matching import SearchUnavailable
from search.skills import resolver
from web.auth import current_actor, requires
from web.convertors import by_method
from web.db import call
from web.i18n import field_errors, translations
from web.templating import language, render

TEMPLATE = "offers/import.html"


def _layout() -> dict:
    return {"columns": OFFER_COLUMNS, "required_columns": REQUIRED_OFFER_COLUMNS, "max_rows": MAX_OFFER_ROWS}


@requires(Role.EMPLOYER)
async def offers_import_form(request: Request):
    return render(request, TEMPLATE, {"result": None, "errors": {}, **_layout()})


@requires(Role.EMPLOYER)
async def offers_import(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    upload = form.get("file")
    data = b"" if upload is None or isinstance(upload, str) else await upload.read()
    lang = language(request)
    resolve = resolver(request.app.state.search, lang)
    try:
        result = await call(request, import_offers, actor, data, resolve,
                            ibo_max_weeks=request.app.state.settings.ibo_max_weeks)
    except RuleBroken as broken:
        return render(request, TEMPLATE, {"result": None, "errors": field_errors(broken.violations, lang),
                                          **_layout()}, status_code=422)
    except SearchUnavailable:  # nothing was written
        message = translations(lang).gettext(N_("Skill search is temporarily unavailable. Try again in a few minutes."))
        return render(request, TEMPLATE, {"result": None, "errors": {"file": message}, **_layout()}, status_code=503)
    return render(request, TEMPLATE, {"result": result, "errors": {}, **_layout()},
                  status_code=422 if result.problems else 200)


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
    Route("/offers/export.csv", offers_export, name="offers_export"),
]
