"""Browser journeys against a real Opstap server on a free port, in Debian's Chromium."""

import socket
import threading
import time

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe

from domain.db import make_engine, session_scope
from domain.migrate import upgrade
from domain.services.outbox import pending_count
from domain.services.reference import load_esco
from web.app import create_app
from web.settings import Settings


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]}


@pytest.fixture(scope="session")
def server_settings(tmp_path_factory) -> Settings:
    data_dir = tmp_path_factory.mktemp("e2e")
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'e2e.sqlite3'}",
                        secret_key="e2e-secret-" + "y" * 32,
                        api_requests_per_minute=1_000_000)  # schemathesis sends hundreds of requests a minute
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        load_esco(session)
    engine.dispose()
    return settings


@pytest.fixture(scope="session")
def live_server(server_settings):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(server_settings), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the Opstap test server did not start")
        time.sleep(0.05)
    _wait_until_indexed(server_settings, deadline=time.monotonic() + 240)  # 13,896 skills + 3,007 occupations
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _wait_until_indexed(settings: Settings, deadline: float) -> None:
    """The server's outbox worker indexes the ESCO skills at start; the skill picker needs them."""
    engine = make_engine(settings.database_url)
    try:
        while True:
            with session_scope(engine) as session:
                if pending_count(session) == 0:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError("the search index did not catch up with the database")
            time.sleep(0.2)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture(scope="session")
def engine(server_settings):
    engine = make_engine(server_settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def axe():
    return Axe()


def assert_accessible(axe: Axe, page) -> None:
    """No serious or critical axe-core violation on the page (SPEC §7)."""
    results = axe.run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                              for v in bad)
