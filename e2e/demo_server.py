"""A real Opstap server on a free port with the demo data (every role, every state), for the all-pages
test and the screenshot script."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from domain.db import make_engine, session_scope
from domain.links import Links
from domain.migrate import upgrade
from domain.services.outbox import pending_count
from domain.services.reference import load_esco
from seed.demo import seed_demo
from web.app import create_app
from web.settings import Settings


@contextmanager
def demo_server(data_dir: Path, **settings) -> Iterator[str]:
    """Yields the base URL; the server stops when the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'demo.sqlite3'}",
                      secret_key="demo-pages-" + "z" * 32, api_requests_per_minute=1_000_000, **settings)
    engine = make_engine(config.database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        load_esco(session)
        seed_demo(session, Links(config.secret_key, base_url))
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    try:
        while not server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the demo server did not start")
            time.sleep(0.05)
        while True:  # the matches pages need the indexes caught up with the database
            with session_scope(engine) as session:
                if pending_count(session) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the search index did not catch up with the demo data")
            time.sleep(0.2)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
