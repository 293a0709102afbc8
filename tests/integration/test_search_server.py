"""The Meilisearch server, scoped keys and index settings against the real binary (no mocks)."""

import functools
import threading
import uuid

import pytest
from meilisearch.errors import MeilisearchApiError

from search.client import WRITE_ACTIONS, Search, admin_client, ensure_scoped_keys, key_uid
from search.index_settings import INDEXES, apply_index_settings, apply_settings, wait_for
from search.server import MeiliServer, master_key_for

BRUSSELS = {"lat": 50.8467, "lng": 4.3525}
MECHELEN = {"lat": 51.0259, "lng": 4.4776}  # ~22 km from Brussels


def offer(id: str, *, geo: dict, lang_nl: int, **fields) -> dict:
    return {"id": id, "title": f"Offer {id}", "type": "paid_traineeship", "status": "published",
            "lang_nl": lang_nl, "lang_fr": 0, "_geo": geo, **fields}  # fmt: skip


def add(search: Search, base: str, documents: list[dict]) -> None:
    index = search.writer.index(search.index_name(base))
    wait_for(search.writer, index.add_documents(documents).task_uid)


def test_server_is_healthy_after_start(meili: MeiliServer, search: Search):
    assert meili.running
    assert meili.url.startswith("http://127.0.0.1:")
    assert search.healthy()
    assert len(meili.master_key) >= 32
    assert master_key_for(meili.data_dir) == meili.master_key  # kept, not regenerated
    assert (meili.data_dir / "master_key").stat().st_mode & 0o777 == 0o600


def test_scoped_keys_are_created_once(meili: MeiliServer):
    admin = admin_client(meili.url, meili.master_key)
    first = ensure_scoped_keys(admin, prefix="opstap-keys-test")
    second = ensure_scoped_keys(admin, prefix="opstap-keys-test")

    assert first == second
    assert first.search_key != first.write_key
    keys = [
        k for k in admin.get_keys({"limit": 1000}).results if (k.name or "").startswith("opstap-keys-test")
    ]
    assert sorted(k.name for k in keys) == ["opstap-keys-test search", "opstap-keys-test write"]
    write = next(k for k in keys if k.name.endswith("write"))
    assert sorted(write.actions) == sorted(WRITE_ACTIONS)


def test_search_key_cannot_write_but_write_key_can(search: Search):
    name = search.index_name("offers")

    with pytest.raises(MeilisearchApiError) as error:
        search.reader.index(name).add_documents([offer("o1", geo=BRUSSELS, lang_nl=3)])
    assert error.value.status_code == 403
    assert error.value.code == "invalid_api_key"

    add(search, "offers", [offer("o1", geo=BRUSSELS, lang_nl=3)])
    assert search.reader.index(name).search("")["estimatedTotalHits"] == 1


def test_request_clients_do_not_hold_the_master_key(meili: MeiliServer, search: Search):
    assert meili.master_key not in (search.reader.config.api_key, search.writer.config.api_key)


def test_apply_settings_is_idempotent(search: Search):
    # The fixture applied them once: a second and third run change nothing.
    assert apply_settings(search.writer, search.index_prefix) == {}
    assert apply_settings(search.writer, search.index_prefix) == {}

    for base, spec in INDEXES.items():
        index = search.writer.index(search.index_name(base))
        assert index.get_primary_key() == spec["primaryKey"]
        assert index.get_searchable_attributes() == spec["settings"]["searchableAttributes"]
    offers = search.writer.index(search.index_name("offers"))
    granular = [rule for rule in offers.get_filterable_attributes() if isinstance(rule, dict)]
    assert any(
        "lang_nl" in rule["attributePatterns"] and rule["features"]["filter"]["comparison"]
        for rule in granular
    )


def test_apply_settings_repairs_a_changed_setting(search: Search):
    index = search.writer.index(search.index_name("employers"))
    wait_for(search.writer, index.update_sortable_attributes([]).task_uid)

    assert apply_settings(search.writer, search.index_prefix) == {index.uid: ["sortableAttributes"]}
    assert index.get_sortable_attributes() == ["name"]


def test_geo_radius_and_language_filters(search: Search):
    add(search, "offers", [
        offer("near-fluent", geo=BRUSSELS, lang_nl=4),
        offer("near-beginner", geo=BRUSSELS, lang_nl=1),
        offer("far-fluent", geo=MECHELEN, lang_nl=5),
    ])  # fmt: skip
    offers = search.reader.index(search.index_name("offers"))

    def ids(filter: str | list) -> list[str]:
        return sorted(hit["id"] for hit in offers.search("", {"filter": filter, "limit": 50})["hits"])

    within_10_km = f"_geoRadius({BRUSSELS['lat']}, {BRUSSELS['lng']}, 10000)"
    assert ids(within_10_km) == ["near-beginner", "near-fluent"]
    assert ids("lang_nl >= 3") == ["far-fluent", "near-fluent"]
    assert ids([within_10_km, "lang_nl >= 3"]) == ["near-fluent"]

    hits = offers.search(
        "", {"filter": "lang_nl >= 3", "sort": [f"_geoPoint({BRUSSELS['lat']}, {BRUSSELS['lng']}):asc"]}
    )["hits"]
    assert [hit["id"] for hit in hits] == ["near-fluent", "far-fluent"]
    assert 20_000 < hits[1]["_geoDistance"] < 25_000


def test_stop_and_restart_keep_the_documents(meili: MeiliServer, search: Search):
    add(
        search,
        "employers",
        [{"id": "e1", "name": "Zorg Brussel", "municipality": "Anderlecht", "sector": "care"}],
    )
    port = meili.port
    try:
        meili.stop()
        assert not meili.running
        assert not search.healthy()
    finally:
        meili.restart()

    assert meili.port == port
    assert search.healthy()
    employers = search.reader.index(search.index_name("employers"))
    assert [hit["id"] for hit in employers.search("zorg")["hits"]] == ["e1"]
    assert employers.search("", {"filter": "sector = care"})["estimatedTotalHits"] == 1


def test_a_master_key_that_looks_like_an_option_still_starts_the_server(tmp_path):
    """Generated keys are URL-safe base64 and can start with "-" (it once read as a command-line flag)."""
    (tmp_path / "master_key").write_text("-e" + "k" * 40 + "\n")
    with MeiliServer(tmp_path) as server:
        assert server.master_key.startswith("-e")
        assert admin_client(server.url, server.master_key).is_healthy()
        keys = ensure_scoped_keys(admin_client(server.url, server.master_key))
        assert keys.search_key


def _at_once(work) -> tuple[list, list]:
    """``work()`` in two threads released together, as two app workers starting at the same moment."""
    start, results, errors = threading.Barrier(2), [], []

    def worker():
        start.wait()
        try:
            results.append(work())
        except Exception as error:  # noqa: BLE001 - the test reports whatever escaped
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_two_processes_starting_together_both_get_their_indexes(search: Search):
    """Two app workers on one Meilisearch both find an index missing and both create it: the second creation
    fails with index_already_exists, which must not leave that worker without search."""
    for _ in range(5):
        name = f"race{uuid.uuid4().hex[:8]}_candidates"
        _, errors = _at_once(functools.partial(apply_index_settings, search.writer, "candidates", name))
        assert errors == []
        assert search.writer.get_raw_index(name)["primaryKey"] == INDEXES["candidates"]["primaryKey"]


def test_two_processes_starting_together_both_get_the_scoped_keys(meili: MeiliServer):
    """Both workers find the API keys missing and both create them: both must end with the same keys."""
    admin = admin_client(meili.url, meili.master_key)
    for _ in range(5):
        prefix = f"race{uuid.uuid4().hex[:8]}"
        found, errors = _at_once(lambda prefix=prefix: ensure_scoped_keys(admin_client(meili.url, meili.master_key),
                                                                          prefix))
        assert errors == [] and found[0] == found[1]
        for role in ("search", "write"):
            admin.delete_key(key_uid(prefix, role))
