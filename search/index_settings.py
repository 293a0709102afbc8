"""The four Meilisearch indexes and their settings, and `apply_settings` to put them in place.

Filterable attributes use the granular syntax of Meilisearch >= 1.14 (checked against 1.21): an
attribute gets `comparison` (<, >=, TO) only when a rule needs it, and no facet search, which keeps
indexing cheaper. ``id`` is filterable everywhere so stale documents are deleted by filter. Only the fields listed here are indexed for filtering; documents hold no identity
data (tenant tokens restrict documents, not fields).
"""

from __future__ import annotations

import json
from typing import Any

import meilisearch
from meilisearch.errors import MeilisearchApiError

LANGUAGE_FIELDS = ["lang_nl", "lang_fr", "lang_en", "lang_de"]  # levels 0-6 (none .. mother tongue)

# Far above any pool we serve (the benchmark goes to 1,000,000 candidates); search/matching.py
# checks every answer's totalHits against what it received, so a cap can never silently bite.
MAX_TOTAL_HITS = 10_000_000

DEFAULT_RANKING_RULES = ["words", "typo", "proximity", "attribute", "sort", "exactness"]

# What matching reads from a candidate hit (search/matching.py's CANDIDATE_FIELDS and FACT_FIELDS).
CANDIDATE_DISPLAYED = ["id", "ref", "skill_nums", "languages", "_geo", "max_commute_km", "experience",
                       "education_level", "education_rank", "education_field", "diploma_recognition",
                       "available_from_ts", "days_per_week", "accepted_types", "eligible_programmes"]


def equality(*attributes: str) -> dict[str, Any]:
    """Filterable with `=`, `!=`, `IN`, `EXISTS`... but not `<`, `>=`, `TO`."""
    return {
        "attributePatterns": list(attributes),
        "features": {"facetSearch": False, "filter": {"equality": True, "comparison": False}},
    }


def comparable(*attributes: str) -> dict[str, Any]:
    """Filterable with equality and comparison operators (numbers, timestamps, levels)."""
    return {
        "attributePatterns": list(attributes),
        "features": {"facetSearch": False, "filter": {"equality": True, "comparison": True}},
    }


GEO = "_geo"  # `_geoRadius`/`_geoBoundingBox` filters; plain string form, allowed beside granular rules

INDEXES: dict[str, dict[str, Any]] = {
    # ESCO skills picker: typo-tolerant, any of the three languages.
    "skills": {
        "primaryKey": "id",
        "settings": {
            "searchableAttributes": ["label_nl", "label_fr", "label_en", "alt_nl", "alt_fr", "alt_en"],
            "filterableAttributes": [equality("id", "type")],
            "sortableAttributes": [],
            "rankingRules": DEFAULT_RANKING_RULES,
            "typoTolerance": {"enabled": True},
            "displayedAttributes": ["*"],
        },
    },
    # ESCO occupations picker (occupation first): same rules as the skills.
    "occupations": {
        "primaryKey": "id",
        "settings": {
            "searchableAttributes": ["label_nl", "label_fr", "label_en", "alt_nl", "alt_fr", "alt_en"],
            "filterableAttributes": [equality("id")],
            "sortableAttributes": [],
            "rankingRules": DEFAULT_RANKING_RULES,
            "typoTolerance": {"enabled": True},
            "displayedAttributes": ["*"],
        },
    },
    "offers": {
        "primaryKey": "id",
        "settings": {
            "searchableAttributes": ["title", "organisation_name", "municipality"],
            "filterableAttributes": [
                equality("id", "type", "status", "sector", "region", "skill_ids", "skill_nums", "organisation_id"),
                comparable("education_rank", *LANGUAGE_FIELDS, "days_per_week", "start_until_ts"),
                GEO,
            ],
            "sortableAttributes": ["published_ts", GEO],
            "rankingRules": DEFAULT_RANKING_RULES,
            "typoTolerance": {"enabled": True},
            # Matching reads every offer that passes the filters and holds one of the skills: no cap below that.
            "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
            "displayedAttributes": ["*"],
        },
    },
    # Anonymised profiles: retrieved by filters and integer skill numbers (``skill_nums``), ranked by skill
    # fit in the app; `ref` only as text. No facet is read (skill rarity is counted by filter).
    # Hits carry only CANDIDATE_DISPLAYED: Meilisearch turns every displayed field of a hit into JSON before
    # picking the ones asked for, so the filter-only fields and the long skill URIs made every hit cost
    # more (bench: ~13 % of the matcher's p95 at 100,000 candidates). Documents keep every field.
    "candidates": {
        "primaryKey": "id",
        "settings": {
            "searchableAttributes": ["ref"],
            "filterableAttributes": [
                equality("id", "accepted_types", "skill_nums", "coaching_service_id", "eligible_programmes"),
                comparable(
                    "education_rank", *LANGUAGE_FIELDS, "available_from_ts", "days_per_week", "max_commute_km",
                    "reach_min_lat", "reach_max_lat", "reach_min_lng", "reach_max_lng",
                ),
                GEO,
            ],
            "sortableAttributes": [GEO],
            "rankingRules": DEFAULT_RANKING_RULES,
            "typoTolerance": {"enabled": False},
            # Retrieval is bounded by score (search/matching.py), never by a hit cap: allow every document.
            "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
            "displayedAttributes": CANDIDATE_DISPLAYED,
        },
    },
    # Engaged employers directory (SPEC §6): facets by sector, region, province, offer type and trained
    # mentors; "engaged now" is `live = true OR last_engaged_ts >= <12 months ago>` (search/directory.py).
    "employers": {
        "primaryKey": "id",
        "settings": {
            "searchableAttributes": ["name", "municipality", "place_names"],
            "filterableAttributes": [
                equality("id", "sector", "region", "province", "offer_types", "has_trained_mentors", "live"),
                comparable("last_engaged_ts"),
            ],
            "sortableAttributes": ["name"],
            "rankingRules": DEFAULT_RANKING_RULES,
            "typoTolerance": {"enabled": True},
            "pagination": {"maxTotalHits": 10000},  # the CSV export pages through every employer
            "displayedAttributes": ["*"],
        },
    },
}


class SearchTaskError(RuntimeError):
    """A Meilisearch task failed (or did not finish in time); ``code`` is Meilisearch's error code, if any."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


def wait_for(client: meilisearch.Client, task_uid: int, *, timeout_s: float = 120.0) -> None:
    """Wait for a task; raise `SearchTaskError` with Meilisearch's error if it did not succeed."""
    task = client.wait_for_task(task_uid, timeout_in_ms=int(timeout_s * 1000), interval_in_ms=20)
    if task.status != "succeeded":
        raise SearchTaskError(
            f"Meilisearch task {task_uid} ({task.type} on {task.index_uid}) {task.status}: {task.error}",
            (task.error or {}).get("code", "") if isinstance(task.error, dict) else "",
        )


# The server may return these lists in another order; their order carries no meaning.
UNORDERED = {"sortableAttributes", "filterableAttributes", "displayedAttributes"}


def _canonical(items: list[Any]) -> list[str]:
    return sorted(json.dumps(item, sort_keys=True) for item in items)


def _matches(current: Any, wanted: Any, key: str = "") -> bool:
    """Whether the server's value already is what we want (dicts: only the keys we set)."""
    if key in UNORDERED and isinstance(current, list):
        return _canonical(current) == _canonical(wanted)
    if isinstance(wanted, dict):
        return isinstance(current, dict) and all(
            k in current and _matches(current[k], v) for k, v in wanted.items()
        )
    return current == wanted


def apply_settings(
    writer: meilisearch.Client, prefix: str = "", *, timeout_s: float = 120.0
) -> dict[str, list[str]]:
    """Create missing indexes and bring their settings up to date, waiting for every task.

    Idempotent: settings already in place are not sent again. Returns the names of the settings
    changed, per index that needed a change (an empty dict when everything was in place).
    """
    changed: dict[str, list[str]] = {}
    for base in INDEXES:
        name = f"{prefix}{base}"
        updated = apply_index_settings(writer, base, name, timeout_s=timeout_s)
        if updated:
            changed[name] = updated
    return changed


def apply_index_settings(writer: meilisearch.Client, base: str, name: str, *, timeout_s: float = 120.0) -> list[str]:
    """Create index ``name`` if missing and give it the settings of ``base``; returns what changed."""
    spec = INDEXES[base]
    try:
        info = writer.get_raw_index(name)
    except MeilisearchApiError as error:
        if error.code != "index_not_found":
            raise
        try:
            wait_for(writer, writer.create_index(name, {"primaryKey": spec["primaryKey"]}).task_uid,
                     timeout_s=timeout_s)
        except SearchTaskError as error:
            if error.code != "index_already_exists":  # another app process, starting at the same time, made it
                raise
    else:
        if info.get("primaryKey") not in (None, spec["primaryKey"]):
            raise SearchTaskError(
                f"index {name} has primary key {info['primaryKey']!r}, expected {spec['primaryKey']!r}"
            )
    index = writer.index(name)
    current = index.get_settings()
    updates = {key: value for key, value in spec["settings"].items() if not _matches(current.get(key), value, key)}
    if updates:
        wait_for(writer, index.update_settings(updates).task_uid, timeout_s=timeout_s)
    return sorted(updates)
