"""CSV files in and out: a download response, and the routes of an import that runs in steps with a polled
progress region (candidates for coaches, offers for employers)."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.accounts import Role
from domain.tables import utcnow
from domain.validation import RuleBroken
from search.matching import SearchUnavailable
from search.skills import resolver
from web.auth import current_actor, redirect, requires
from web.convertors import by_method
from web.db import call
from web.i18n import field_errors
from web.templating import language, render


def csv_download(rows, stem: str, *, vary: str | None = None) -> Response:
    """``rows`` as a dated CSV attachment (``stem-YYYY-MM-DD.csv``) that spreadsheets read as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # the byte-order mark: spreadsheets then read the file as UTF-8
    csv.writer(buffer).writerows(rows)
    headers = {"Content-Disposition": f'attachment; filename="{stem}-{utcnow().date().isoformat()}.csv"',
               "Cache-Control": "private, no-store"}
    if vary:
        headers["Vary"] = vary
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@dataclass(frozen=True)
class CsvImport:
    """An upload form, a progress page, and the step htmx polls while the import runs. Route names are
    ``name``, ``name_progress`` and ``name_next``."""

    path: str
    name: str
    role: Role
    template: str
    layout: dict
    start: Callable  # (session, actor, filename, data) -> import id
    progress: Callable  # (session, actor, import id) -> progress
    proceed: Callable  # (session, actor, import id, resolve, **options) -> progress
    options: Callable[[Request], dict] = field(default=lambda request: {})

    def _render(self, request: Request, status_code: int = 200, block: str | None = None, **context) -> Response:
        context = {"progress": None, "errors": {}, **self.layout, **context}
        return render(request, self.template, context, status_code=status_code, block=block)

    def routes(self) -> list[Route]:
        guard = requires(self.role)

        async def form(request: Request):
            return self._render(request)

        async def upload(request: Request):
            actor = await current_actor(request)
            file = (await request.form()).get("file")
            data, filename = (b"", "") if file is None or isinstance(file, str) else (await file.read(), file.filename or "")
            try:
                import_id = await call(request, self.start, actor, filename, data)
            except RuleBroken as broken:
                return self._render(request, 422, errors=field_errors(broken.violations, language(request)))
            return redirect(str(request.url_for(f"{self.name}_progress", id=import_id)), request)

        async def page(request: Request):
            actor = await current_actor(request)
            return self._render(request, progress=await call(request, self.progress, actor, request.path_params["id"]))

        async def step(request: Request):
            """Process the next rows and show the progress; without search nothing is written and the next poll
            tries again."""
            actor, import_id = await current_actor(request), request.path_params["id"]
            resolve = resolver(request.app.state.search, language(request))
            try:
                progress = await call(request, self.proceed, actor, import_id, resolve, **self.options(request))
                unavailable = False
            except SearchUnavailable:
                progress, unavailable = await call(request, self.progress, actor, import_id), True
            return self._render(request, block="import_progress", progress=progress, unavailable=unavailable)

        return [
            Route(self.path, by_method(get=guard(form), post=guard(upload)), methods=["GET", "POST"], name=self.name),
            Route(f"{self.path}/{{id:id}}", guard(page), name=f"{self.name}_progress"),
            Route(f"{self.path}/{{id:id}}/next", guard(step), methods=["POST"], name=f"{self.name}_next"),
        ]
