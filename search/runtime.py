"""Connecting the app to Meilisearch at start-up, and the outbox worker that runs beside it.

Default: start the Meilisearch binary ourselves (data and master key under the data directory).
With ``MEILI_URL`` set: use that server, with ``MEILI_API_KEY`` as its master key, only to create
the scoped keys; request handlers use the scoped keys, never the master key.
"""

import asyncio
import fcntl
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

from search.client import Search, admin_client, ensure_scoped_keys
from search.index_settings import apply_settings
from search.server import MeiliServer, MeiliServerError, master_key_for, running_url
from search.sync import drain_once, retry_now

log = logging.getLogger("opstap.search")
IDLE_SECONDS = 0.5
ERROR_SECONDS = 5.0
SUPERVISE_SECONDS = 1.0


@dataclass
class SearchRuntime:
    search: Search | None
    server: MeiliServer | None  # our own child process, if this process started it
    data_dir: Path | None = None  # set when Meilisearch is managed by Opstap (no MEILI_URL)
    index_prefix: str = ""

    def close(self) -> None:
        if self.server is not None:
            self.server.release()


def _connect(url: str, master_key: str, index_prefix: str) -> Search:
    keys = ensure_scoped_keys(admin_client(url, master_key))
    search = Search.from_keys(url, keys, index_prefix=index_prefix)
    apply_settings(search.writer, index_prefix)
    return search


def start_search(data_dir: Path, meili_url: str | None, meili_api_key: str | None, index_prefix: str = "") -> SearchRuntime:
    """Connect (starting our own server unless ``meili_url`` is given); never raises.

    When the server cannot be reached, search stays off (pages say so) and writes still work. Call it from the
    thread that lives as long as the app (the event loop's): a server we start dies with that thread.
    """
    server = owner_lock = None
    managed = None if meili_url else data_dir
    try:
        shared = None if meili_url else running_url(data_dir / "meili")
        if not meili_url and not shared:
            # One process per data directory starts the server: the one holding this lock, for as long as it
            # lives (the kernel releases the lock when it dies, however it dies; then another one takes over).
            owner_lock = _try_owner_lock(data_dir / "meili")
            if owner_lock is None:
                raise MeiliServerError("another Opstap process is starting Meilisearch")
        if owner_lock is None:
            # An external server, or the one another Opstap process started on this data directory.
            url = meili_url or shared
            master_key = meili_api_key if meili_url else master_key_for(data_dir / "meili")
        else:
            server = MeiliServer(data_dir / "meili")
            server.owner_lock = owner_lock
            server.start()
            url, master_key = server.url, server.master_key
        return SearchRuntime(_connect(url, master_key, index_prefix), server, managed, index_prefix)
    except Exception as error:  # noqa: BLE001 - the app runs without search rather than not at all
        log.error("search is unavailable: %s: %s", type(error).__name__, error)
        # A server we started stays ours (the supervisor connects again); only a failed start is given up.
        if server is not None and not server.running:
            server.release()
            server = None
        elif server is None and owner_lock is not None:
            owner_lock.close()
        return SearchRuntime(None, server, managed, index_prefix)


def _try_owner_lock(directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    handle = open(directory / "owner.lock", "a")  # noqa: SIM115 - held open for the life of the process
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def supervise_once(runtime: SearchRuntime, bind: Engine | Connection) -> str:
    """Keep a managed Meilisearch alive: 'ok', 'restarted' or 'down'.

    The process that started the server restarts it (same port, data and key) when it has died. Another app process
    on the same data directory reconnects to whichever server is healthy there, or starts one itself when none is.
    After a restart, outbox rows waiting after failed attempts are retried at once, so the index catches up.
    Call from the event loop's thread (see ``start_search``).
    """
    if runtime.data_dir is None:
        return "ok"  # an external server (MEILI_URL): its operator supervises it
    if runtime.server is not None:
        if runtime.server.running and runtime.search is not None:
            return "ok"
        if not runtime.server.running:
            log.error("Meilisearch stopped unexpectedly; restarting it")
        try:
            runtime.server.start()
            runtime.search = _connect(runtime.server.url, runtime.server.master_key, runtime.index_prefix)
        except Exception as error:  # noqa: BLE001 - tried again on the next round
            log.error("Meilisearch restart failed: %s", type(error).__name__)
            return "down"
    else:
        current = runtime.search.url if runtime.search is not None else None
        if current is not None and running_url(runtime.data_dir / "meili") == current:
            return "ok"
        fresh = start_search(runtime.data_dir, None, None, runtime.index_prefix)
        if fresh.search is None:
            return "down"
        runtime.search, runtime.server = fresh.search, fresh.server
    retry_now(bind)
    return "restarted"


async def run_search_supervisor(runtime: SearchRuntime, engine: Engine, on_change) -> None:
    """Check the managed server every second; ``on_change(search)`` after a restart or reconnection."""
    while True:
        await asyncio.sleep(SUPERVISE_SECONDS)
        try:
            if runtime.server is None and runtime.search is not None and runtime.data_dir is not None:
                # Another process owns the server: check it is still there without holding up the loop.
                if await run_in_threadpool(running_url, runtime.data_dir / "meili") == runtime.search.url:
                    continue
            if supervise_once(runtime, engine) == "restarted":  # in the loop's thread, on purpose
                on_change(runtime.search)
        except Exception as error:  # noqa: BLE001 - the database may be restarting too
            log.warning("search supervisor: %s", type(error).__name__)


async def run_outbox_worker(engine: Engine, runtime: SearchRuntime) -> None:
    """Drain the outbox for as long as the app runs; safe beside other app processes."""
    while True:
        try:
            applied = await run_in_threadpool(drain_once, engine, runtime.search) if runtime.search else 0
        except Exception as error:  # noqa: BLE001 - the database may be busy or restarting
            log.warning("outbox worker: %s", type(error).__name__)
            applied = 0
            await asyncio.sleep(ERROR_SECONDS)
        if not applied:
            await asyncio.sleep(IDLE_SECONDS)
