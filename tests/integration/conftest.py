"""Integration fixtures: a real Meilisearch server per test session (TOOLCHAIN.md §Meilisearch)."""

import uuid

import pytest

from search.client import Search, admin_client, ensure_scoped_keys
from search.index_settings import apply_settings
from search.server import MeiliServer


@pytest.fixture(scope="session")
def meili(tmp_path_factory):
    """The Meilisearch binary on a free port with a temporary data directory."""
    with MeiliServer(tmp_path_factory.mktemp("meili")) as server:
        yield server


@pytest.fixture(scope="session")
def meili_keys(meili):
    return ensure_scoped_keys(admin_client(meili.url, meili.master_key))


@pytest.fixture
def search(meili, meili_keys) -> Search:
    """Scoped clients with index names unique to this test, settings applied."""
    if not meili.running:  # a test that stopped the server and failed before restarting it
        meili.start()
    search = Search.from_keys(meili.url, meili_keys, index_prefix=f"t{uuid.uuid4().hex[:10]}_")
    apply_settings(search.writer, search.index_prefix)
    return search
