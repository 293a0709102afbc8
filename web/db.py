"""Running a domain service in Starlette's threadpool, inside one unit of work."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from domain.db import session_scope


async def call(request: Request, service, *args, **kwargs):
    """``service(session, *args, **kwargs)`` in its own session scope: committed on success."""

    def work():
        with session_scope(request.app.state.db) as session:
            return service(session, *args, **kwargs)

    return await run_in_threadpool(work)
