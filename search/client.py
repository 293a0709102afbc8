"""Meilisearch clients: the admin client (master key) and the scoped clients request handlers use.

The master key only administers (creating the scoped keys below); searching and writing go through
two API keys with fixed uids, so every process derives the same keys from the same master key.
"""

from __future__ import annotations

import http.client
import threading
import urllib.parse
import uuid
from dataclasses import dataclass, field

import meilisearch
import orjson
from meilisearch.errors import MeilisearchApiError

# The official client sends `Accept-Encoding: gzip, deflate` (requests' default). Meilisearch then
# compresses responses, which costs ~44 ms per request on a keep-alive connection (TOOLCHAIN.md)
# and a little CPU on every one; our server is local, so ask for plain bodies.
HEADERS = {"Accept-Encoding": "identity"}
DEFAULT_TIMEOUT = 5  # seconds, per request

SEARCH_ACTIONS = ["search"]
WRITE_ACTIONS = [
    "documents.add",
    "documents.delete",
    "documents.get",
    "indexes.create",
    "indexes.get",
    "indexes.update",
    "indexes.swap",
    "indexes.delete",
    "settings.update",
    "settings.get",
    "tasks.get",
    "search",
]


@dataclass(frozen=True)
class ScopedKeys:
    search_key: str = field(repr=False)
    write_key: str = field(repr=False)


def make_client(url: str, api_key: str | None, *, timeout: float = DEFAULT_TIMEOUT) -> meilisearch.Client:
    return meilisearch.Client(url, api_key, timeout=timeout, custom_headers=HEADERS)  # type: ignore[arg-type]


def admin_client(url: str, master_key: str, *, timeout: float = DEFAULT_TIMEOUT) -> meilisearch.Client:
    """A client with the master key: administration only, never in a request handler."""
    return make_client(url, master_key, timeout=timeout)


def key_uid(prefix: str, role: str) -> str:
    """A stable API key uid for ``role`` ("search" or "write") under ``prefix``."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"opstap:meilisearch-key:{prefix}:{role}"))


def _ensure_key(admin: meilisearch.Client, uid: str, name: str, actions: list[str]) -> str:
    wanted = {"uid": uid, "name": name, "actions": actions, "indexes": ["*"], "expiresAt": None}
    try:
        existing = admin.get_key(uid)
    except MeilisearchApiError as error:
        if error.code != "api_key_not_found":
            raise
    else:
        if (
            sorted(existing.actions) == sorted(actions)
            and existing.indexes == ["*"]
            and existing.expires_at is None
        ):
            return existing.key
        # Actions and indexes of a key cannot be changed: replace it. The key string is derived from
        # the uid and the master key, so the replacement has the same value.
        try:
            admin.delete_key(uid)
        except MeilisearchApiError as error:
            if error.code != "api_key_not_found":  # another process replaced it first
                raise
    try:
        return admin.create_key(wanted).key
    except MeilisearchApiError as error:
        if error.code != "api_key_already_exists":  # another app process, starting at the same time, made it
            raise
        return admin.get_key(uid).key


def ensure_scoped_keys(admin: meilisearch.Client, prefix: str = "opstap") -> ScopedKeys:
    """Find or create the search-only and the write API keys (idempotent)."""
    return ScopedKeys(
        search_key=_ensure_key(admin, key_uid(prefix, "search"), f"{prefix} search", SEARCH_ACTIONS),
        write_key=_ensure_key(admin, key_uid(prefix, "write"), f"{prefix} write", WRITE_ACTIONS),
    )


@dataclass(frozen=True)
class Search:
    """What the app holds: the server's URL, the two scoped keys, and the index-name prefix.

    ``reader`` and ``writer`` make a fresh client on each use: the official client mutates a
    shared headers dict per request, so one client must not serve two threads at once.
    """

    url: str
    keys: ScopedKeys = field(repr=False)
    index_prefix: str = ""
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_keys(
        cls, url: str, keys: ScopedKeys, index_prefix: str = "", *, timeout: float = DEFAULT_TIMEOUT
    ) -> Search:
        return cls(url=url, keys=keys, index_prefix=index_prefix, timeout=timeout)

    @property
    def reader(self) -> meilisearch.Client:
        """A search-only client."""
        return make_client(self.url, self.keys.search_key, timeout=self.timeout)

    @property
    def writer(self) -> meilisearch.Client:
        """A client with the documents/settings key (never the master key)."""
        return make_client(self.url, self.keys.write_key, timeout=self.timeout)

    def index_name(self, base: str) -> str:
        return f"{self.index_prefix}{base}"

    def healthy(self, timeout: float = 1.0) -> bool:
        """Whether the server answers ``/health`` within ``timeout`` seconds; never raises."""
        try:
            return make_client(self.url, None, timeout=timeout).is_healthy()
        except Exception:  # noqa: BLE001 - a health probe must not fail the page
            return False


# --- the matcher's reader: one keep-alive connection per thread, no gzip, orjson ---------------

_local = threading.local()


def _connection(url: str, timeout: float) -> http.client.HTTPConnection:
    connections = getattr(_local, "connections", None)
    if connections is None:
        connections = _local.connections = {}
    connection = connections.get(url)
    if connection is None:
        parts = urllib.parse.urlsplit(url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connections[url] = kind(parts.hostname, parts.port, timeout=timeout)
    return connection


def multi_search(search: Search, queries: list[dict]) -> list[dict]:
    """``POST /multi-search`` with the search key; the results, in the order of ``queries``.

    The official client opens a new connection per call and parses with ``json``; the shortlist
    makes one or two of these calls, so a kept-alive connection (per thread: the threadpool reuses
    threads) and orjson are most of what is left to save. Raises ``SearchRequestError`` on any failure.
    """
    return _post(search, "/multi-search", {"queries": queries}, search.keys.search_key, search.timeout, 200)["results"]


class SearchRequestError(RuntimeError):
    """Meilisearch could not be reached or refused a search."""


def send_documents(search: Search, index: str, documents: list[dict]) -> int:
    """Add or replace ``documents`` in ``index`` with the write key; returns the task uid.

    orjson and a kept-alive connection: the official client's ``json.dumps`` of 100,000 documents
    was a noticeable part of a full reindex.
    """
    return _post(search, f"/indexes/{index}/documents?primaryKey=id", documents, search.keys.write_key,
                 max(search.timeout, 60), 202)["taskUid"]


def _post(search: Search, path: str, payload, key: str, timeout: float, expected_status: int) -> dict:
    """POST ``payload`` as orjson over this thread's kept-alive connection, without gzip; a connection
    the server closed meanwhile is opened again once."""
    body = orjson.dumps(payload)
    headers = {"Content-Type": "application/json", "Accept-Encoding": "identity", "Authorization": f"Bearer {key}"}
    path = urllib.parse.urlsplit(search.url).path.rstrip("/") + path
    for attempt in (1, 2):
        connection = _connection(search.url, timeout)
        try:
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            _local.connections.pop(search.url, None)
            if attempt == 2:
                raise SearchRequestError(f"{type(error).__name__}: {error}") from error
            continue
        if response.status != expected_status:
            raise SearchRequestError(f"HTTP {response.status}: {answer[:300]!r}")
        return orjson.loads(answer)
    raise SearchRequestError("unreachable")
