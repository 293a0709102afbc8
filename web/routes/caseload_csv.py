"""CSV import of candidates (in steps, with a polled progress region) and the anonymised caseload export."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.caseload_csv import IMPORT_COLUMNS, MAX_ROWS, REQUIRED_COLUMNS
from domain.services.caseload_csv import continue_import, export_caseload, import_progress, start_import
from web.auth import current_actor, requires
from web.csv_files import CsvImport, csv_download
from web.db import call

candidate_import = CsvImport(
    path="/candidates/import", name="candidate_import", role=Role.COACH, template="candidates/import.html",
    layout={"columns": IMPORT_COLUMNS, "required_columns": REQUIRED_COLUMNS, "max_rows": MAX_ROWS},
    start=start_import, progress=import_progress, proceed=continue_import,
)


@requires(Role.COACH)
async def caseload_export(request: Request):
    actor = await current_actor(request)
    return csv_download(await call(request, export_caseload, actor), "caseload")


routes = [
    *candidate_import.routes(),
    Route("/candidates/export.csv", caseload_export, name="caseload_export"),
]
