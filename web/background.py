"""Jobs every app process runs beside the requests: expire interest requests whose time is up, and deliver
queued e-mail. Both are safe with several processes (conditional updates; mail claimed with a lease)."""

import asyncio
import logging

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from domain.db import session_scope
from domain.services.interest import expire_due
from domain.services.notifications import deliver_mail

log = logging.getLogger("opstap.jobs")
INTERVAL_SECONDS = 2.0
ERROR_SECONDS = 10.0


def run_jobs_once(engine: Engine, smtp_url: str | None) -> int:
    """One round of every job; returns how much was done (also ``opstap jobs``)."""
    with session_scope(engine) as session:
        expired = expire_due(session)
    return expired + deliver_mail(engine, smtp_url)


async def run_background_jobs(engine: Engine, smtp_url: str | None) -> None:
    while True:
        try:
            done = await run_in_threadpool(run_jobs_once, engine, smtp_url)
        except Exception as error:  # noqa: BLE001 - the database may be busy or restarting
            log.warning("background jobs: %s", type(error).__name__)
            await asyncio.sleep(ERROR_SECONDS)
            continue
        if not done:
            await asyncio.sleep(INTERVAL_SECONDS)
