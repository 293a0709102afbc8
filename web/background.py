"""Jobs every app process runs beside the requests: expire interest requests whose time is up, keep the pool
fresh (ask "Still looking?", ask employers to confirm old offers, pause what goes unanswered), and deliver
queued e-mail. All are safe with several processes (conditional updates; mail claimed with a lease)."""

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from domain.db import session_scope
from domain.freshness import FreshnessRules
from domain.links import Links
from domain.services.freshness import refresh_candidates, refresh_offers
from domain.services.interest import expire_due
from domain.services.notifications import deliver_mail
from web.settings import Settings

log = logging.getLogger("opstap.jobs")
INTERVAL_SECONDS = 2.0
# The freshness rules count in weeks; their scan of every candidate (~25 ms at 100,000 on SQLite, holding the write
# lock every request's transaction waits for) runs once a minute, not every round.
FRESHNESS_SECONDS = 60.0
ERROR_SECONDS = 10.0


def run_jobs_once(engine: Engine, settings: Settings, *, freshness: bool = True) -> int:
    """One round of every job (``freshness=False``: expiries and mail only); returns how much was done (also
    ``opstap jobs``)."""
    with session_scope(engine) as session:
        done = expire_due(session)
    if freshness:
        links = Links(settings.secret_key, settings.public_url)
        rules = FreshnessRules(ask_every=timedelta(weeks=settings.still_looking_weeks))
        with session_scope(engine) as session:
            done += refresh_candidates(session, links, rules=rules)
        with session_scope(engine) as session:
            done += refresh_offers(session, links, rules=rules)
    return done + deliver_mail(engine, settings.smtp_url)


async def run_background_jobs(engine: Engine, settings: Settings) -> None:
    fresh_at = 0.0  # the loop's clock: when the freshness rules ran last
    while True:
        loop_now = asyncio.get_running_loop().time()
        freshness = loop_now - fresh_at >= FRESHNESS_SECONDS
        try:
            done = await run_in_threadpool(run_jobs_once, engine, settings, freshness=freshness)
        except Exception as error:  # noqa: BLE001 - the database may be busy or restarting
            log.warning("background jobs: %s", type(error).__name__)
            await asyncio.sleep(ERROR_SECONDS)
            continue
        if freshness and not done:  # a round with work to do is followed by another at once
            fresh_at = loop_now
        if not done:
            await asyncio.sleep(INTERVAL_SECONDS)
