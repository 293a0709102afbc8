"""Connecting the app to Meilisearch at start-up, and the outbox worker that runs beside it.

Default: start the Meilisearch binary ourselves (data and master key under the data directory).
With ``MEILI_URL`` set: use that server, with ``MEILI_API_KEY`` as its master key, only to create
the scoped keys; request handlers use the scoped keys, never the master key.
"""

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from search.client import Search, admin_client, ensure_scoped_keys
from search.index_settings import apply_settings
from search.server import MeiliServer, master_key_for, running_url
from search.sync import drain_once

log = logging.getLogger("opstap.search")
IDLE_SECONDS = 0.5
ERROR_SECONDS = 5.0


@dataclass
class SearchRuntime:
    search: Search | None
    server: MeiliServer | None

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()


def start_search(data_dir: Path, meili_url: str | None, meili_api_key: str | None, index_prefix: str = "") -> SearchRuntime:
    """Connect (starting our own server unless ``meili_url`` is given); never raises.

    When the server cannot be reached, search stays off (pages say so) and writes still work.
    """
    server = None
    try:
        shared = None if meili_url else running_url(data_dir / "meili")
        if meili_url or shared:
            # An external server, or the one another Opstap process started on this data directory.
            url = meili_url or shared
            master_key = meili_api_key if meili_url else master_key_for(data_dir / "meili")
        else:
            server = MeiliServer(data_dir / "meili")
            server.start()
            url, master_key = server.url, server.master_key
        keys = ensure_scoped_keys(admin_client(url, master_key))
        search = Search.from_keys(url, keys, index_prefix=index_prefix)
        apply_settings(search.writer, index_prefix)
        return SearchRuntime(search, server)
    except Exception as error:  # noqa: BLE001 - the app runs without search rather than not at all
        log.error("search is unavailable: %s: %s", type(error).__name__, error)
        if server is not None:
            server.stop()
        return SearchRuntime(None, None)


async def run_outbox_worker(engine: Engine, search: Search) -> None:
    """Drain the outbox for as long as the app runs; safe beside other app processes."""
    while True:
        try:
            applied = await run_in_threadpool(drain_once, engine, search)
        except Exception as error:  # noqa: BLE001 - the database may be busy or restarting
            log.warning("outbox worker: %s", type(error).__name__)
            applied = 0
            await asyncio.sleep(ERROR_SECONDS)
        if not applied:
            await asyncio.sleep(IDLE_SECONDS)
