"""The Starlette application: ``create_app(settings)``."""

import asyncio
import contextlib
import gc
import logging
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path

from anyio import to_thread
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from domain import reference
from domain.db import make_engine
from domain.validation import NotAllowed, NotFound
from search.client import Search
from search.runtime import run_outbox_worker, run_search_supervisor, start_search
from web import api
from web.api.base import error_response
from web.background import run_background_jobs
from web.csrf import CSRFMiddleware
from web.routes import (
    accounts,
    admin,
    candidates,
    caseload_csv,
    declines,
    fairness,
    freshness,
    inbox,
    interest,
    language,
    matching,
    meetings,
    network,
    offers,
    offers_csv,
    organisation,
    pickers,
    placements,
    portal,
    proposals,
    self_service,
    sessions,
    tokens,
    trust,
)
from web.security_headers import SecurityHeadersMiddleware
from web.settings import Settings
from web.templating import render

log = logging.getLogger("opstap.web")
STATIC = Path(__file__).parent / "static"
SESSION_MAX_AGE = 7 * 24 * 3600  # the cookie; the server ends sessions sooner (domain/sessions.py)
RETRY_AFTER_SECONDS = 5


async def _error_page(request: Request, status_code: int):
    return render(request, "error.html", {"status_code": status_code}, status_code=status_code)


async def _error(request: Request, status_code: int, headers: dict | None = None):
    """Pages get an HTML page in the user's language; the API gets its JSON error shape."""
    if request.url.path.startswith("/api/"):
        codes = {404: "not_found", 405: "method_not_allowed", 403: "forbidden", 500: "server_error"}
        return error_response(status_code, codes.get(status_code, "error"), HTTPStatus(status_code).phrase + ".",
                              headers=headers)
    response = await _error_page(request, status_code)
    response.headers.update(headers or {})
    return response


async def not_found(request: Request, exc: Exception):
    return await _error(request, 404)


async def not_allowed(request: Request, exc: Exception):
    return await _error(request, 403)


async def http_error(request: Request, exc: HTTPException):
    return await _error(request, exc.status_code, exc.headers)


async def database_unavailable(request: Request, exc: Exception):
    """The database is down or restarting: a friendly 503 (JSON under /api); the pool reconnects by itself."""
    cause = getattr(exc, "orig", None)  # the driver's error: its class and SQLSTATE, never its message (values)
    log.warning("database unavailable on %s %s: %s %s %s", request.method, request.url.path, type(exc).__name__,
                type(cause).__name__ if cause else "", getattr(cause, "sqlstate", "") or "")
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.url.path.startswith("/api/"):
        return error_response(503, "database_unavailable",
                              "The database is unavailable for a moment. Try again in a few seconds.", headers=headers)
    return render(request, "error.html", {"status_code": 503}, status_code=503, headers=headers)


async def server_error(request: Request, exc: Exception):
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return await _error(request, 500)


def create_app(settings: Settings, *, db=None, search: Search | None = None) -> Starlette:
    """The app. Tests pass ``db`` (a Connection inside a transaction) and ``search``; then nothing
    is started. Otherwise the lifespan opens the database, connects to (or starts) Meilisearch,
    and runs the outbox worker until shutdown.
    """

    @asynccontextmanager
    async def lifespan(app: Starlette):
        if db is not None:
            yield
            return
        engine = make_engine(settings.database_url)
        # In this (the event loop's) thread: a Meilisearch we start dies with it, whatever kills the app.
        runtime = start_search(settings.data_dir, settings.meili_url, settings.meili_api_key,
                               settings.meili_index_prefix)
        app.state.db, app.state.search = engine, runtime.search

        def search_changed(search: Search) -> None:
            app.state.search = search

        tasks = [asyncio.create_task(run_outbox_worker(engine, runtime)),
                 asyncio.create_task(run_search_supervisor(runtime, engine, search_changed)),
                 asyncio.create_task(run_background_jobs(engine, settings))]
        # What lives as long as the process (modules, ESCO, places) moves out of the cyclic
        # collector's sight: a full collection over it took ~65 ms, a pause in some request.
        await run_in_threadpool(reference.load_all)
        gc.freeze()
        # Requests' database and search work runs in threads; more of them than this only fight over the GIL
        # (bench/load.py, 2 cores, 2 workers: 40 threads 99 requests/s, 8 threads 112).
        to_thread.current_default_thread_limiter().total_tokens = settings.threads
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await run_in_threadpool(runtime.close)
            engine.dispose()

    app = Starlette(
        routes=[*api.routes, *accounts.routes, *organisation.routes, *offers.routes, *matching.routes, *candidates.routes, *caseload_csv.routes, *proposals.routes, *pickers.routes, *tokens.routes, *sessions.routes, *network.routes, *freshness.routes, *fairness.routes, *declines.routes,
                *interest.routes, *placements.routes, *portal.routes, *self_service.routes, *language.routes, *admin.routes, *meetings.routes, *offers_csv.routes, *inbox.routes, *trust.routes,
                Mount("/static", StaticFiles(directory=STATIC), name="static")],
        middleware=[
            Middleware(SecurityHeadersMiddleware, https_only=settings.https_only),
            Middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="opstap_session",
                       max_age=SESSION_MAX_AGE, same_site="lax", https_only=settings.https_only),
            Middleware(CSRFMiddleware, exempt_prefixes=("/api/",)),
        ],
        exception_handlers={NotFound: not_found, NotAllowed: not_allowed, HTTPException: http_error,
                            OperationalError: database_unavailable, InterfaceError: database_unavailable,
                            Exception: server_error},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.search = search
    if db is not None:
        app.state.db = db
    return app


def create_app_from_env() -> Starlette:
    """The app from the environment: the factory each worker process of ``opstap run --workers N`` calls."""
    return create_app(Settings.from_env())
