"""Employers import offers from a CSV file (drafts, errors per row and column, in steps with a polled progress
region like the candidate import) and export their offers."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.offers_csv import MAX_OFFER_ROWS, OFFER_COLUMNS, REQUIRED_OFFER_COLUMNS
from domain.services.offers_csv import (
    continue_offer_import,
    export_offers,
    offer_import_progress,
    start_offer_import,
)
from web.auth import current_actor, requires
from web.csv_files import CsvImport, csv_download
from web.db import call

offers_import = CsvImport(
    path="/offers/import", name="offers_import", role=Role.EMPLOYER, template="offers/import.html",
    layout={"columns": OFFER_COLUMNS, "required_columns": REQUIRED_OFFER_COLUMNS, "max_rows": MAX_OFFER_ROWS},
    start=start_offer_import, progress=offer_import_progress, proceed=continue_offer_import,
    options=lambda request: {"ibo_max_weeks": request.app.state.settings.ibo_max_weeks},
)


@requires(Role.EMPLOYER)
async def offers_export(request: Request):
    actor = await current_actor(request)
    return csv_download(await call(request, export_offers, actor), "offers")


routes = [
    *offers_import.routes(),
    Route("/offers/export.csv", offers_export, name="offers_export"),
]
