"""The directory of engaged employers over the ``employers`` index (SPEC §6).

Typo-tolerant search by name, filters by sector, place (region or province), offer type and trained
mentors, with facet counts. Each facet is counted with every *other* filter applied, so choosing
"Brussels" still shows how many employers the other places have: one multi-search per page.
"Engaged now" is decided here, at search time, from the document's ``live`` and ``last_engaged_ts``.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urlencode

from domain.engagement import WINDOW
from domain.offers import NACE_SECTIONS, OfferType
from domain.places import PROVINCES, REGION_LABELS
from search.client import Search
from search.documents import timestamp
from search.matching import SearchUnavailable

PAGE_SIZE = 25
EXPORT_PAGE = 1000
MAX_PAGE = 400
Q_MAX = 100
FIELDS = ["id", "name", "sector", "municipality", "region", "province", "offer_types", "open_offers",
          "has_trained_mentors"]
# A filter group -> the index attributes its facet counts come from.
GROUPS = {"sector": ("sector",), "area": ("region", "province"), "type": ("offer_types",),
          "mentors": ("has_trained_mentors",)}


@dataclass(frozen=True)
class DirectoryQuery:
    q: str = ""
    sectors: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # region keys and province codes
    types: tuple[str, ...] = ()
    trained_mentors: bool = False
    page: int = 1

    @classmethod
    def parse(cls, q: str = "", sectors=(), areas=(), types=(), trained_mentors: bool = False,
              page: str | int = 1) -> "DirectoryQuery":
        """Only known values are kept; the page is clamped to 1..MAX_PAGE."""
        try:
            number = min(max(int(page), 1), MAX_PAGE)
        except (TypeError, ValueError):
            number = 1
        return cls(
            q=" ".join(q.split())[:Q_MAX],
            sectors=tuple(sorted({s for s in sectors if s in NACE_SECTIONS})),
            areas=tuple(a for a in (*REGION_LABELS, *PROVINCES) if a in set(areas)),
            types=tuple(t.value for t in OfferType if t.value in set(types)),
            trained_mentors=trained_mentors,
            page=number,
        )

    def url_query(self, **changes) -> str:
        """The query string of this query (with ``changes``), as the directory's form would send it."""
        query = replace(self, **changes)
        pairs = [("q", query.q)] if query.q else []
        pairs += [("sector", s) for s in query.sectors] + [("area", a) for a in query.areas]
        pairs += [("type", t) for t in query.types]
        if query.trained_mentors:
            pairs.append(("mentors", "1"))
        if query.page > 1:
            pairs.append(("page", str(query.page)))
        return urlencode(pairs)

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.sectors or self.areas or self.types or self.trained_mentors)


@dataclass(frozen=True)
class DirectoryEntry:
    id: int
    name: str
    sector: str
    municipality: str
    region: str
    province: str
    offer_types: list[str]
    open_offers: int
    has_trained_mentors: bool


@dataclass(frozen=True)
class DirectoryPage:
    query: DirectoryQuery
    entries: list[DirectoryEntry]
    total: int
    pages: int
    # group -> value -> employers; "area" holds regions and provinces, "mentors" the key "true".
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def _quoted(values) -> str:
    return "[" + ", ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "]"


def _filters(query: DirectoryQuery, now: datetime, without: str = "") -> list[str]:
    filters = [f"(live = true OR last_engaged_ts >= {timestamp(now - WINDOW)})"]
    if query.sectors and without != "sector":
        filters.append(f"sector IN {_quoted(query.sectors)}")
    if query.areas and without != "area":
        regions = [a for a in query.areas if a in REGION_LABELS]
        provinces = [a for a in query.areas if a in PROVINCES]
        either = ([f"region IN {_quoted(regions)}"] if regions else []) + (
            [f"province IN {_quoted(provinces)}"] if provinces else [])
        filters.append("(" + " OR ".join(either) + ")")
    if query.types and without != "type":
        filters.append(f"offer_types IN {_quoted(query.types)}")
    if query.trained_mentors and without != "mentors":
        filters.append("has_trained_mentors = true")
    return filters


def _selected(query: DirectoryQuery) -> list[str]:
    return [group for group, chosen in (("sector", query.sectors), ("area", query.areas), ("type", query.types),
                                        ("mentors", query.trained_mentors)) if chosen]


def _base(search: Search, query: DirectoryQuery) -> dict:
    base = {"indexUid": search.index_name("employers"), "q": query.q}
    if not query.q:
        base["sort"] = ["name:asc"]
    return base


def _entry(hit: dict) -> DirectoryEntry:
    return DirectoryEntry(hit["id"], hit["name"], hit.get("sector", ""), hit.get("municipality", ""),
                          hit.get("region", ""), hit.get("province", ""), list(hit.get("offer_types", [])),
                          hit.get("open_offers", 0), bool(hit.get("has_trained_mentors")))


def search_directory(search: Search | None, query: DirectoryQuery, now: datetime,
                     page_size: int = PAGE_SIZE) -> DirectoryPage:
    """One page of the directory with its facet counts; ``SearchUnavailable`` when the index does not answer."""
    if search is None:
        raise SearchUnavailable()
    every_attribute = [a for attributes in GROUPS.values() for a in attributes]
    queries = [{**_base(search, query), "filter": _filters(query, now), "facets": every_attribute,
                "hitsPerPage": page_size, "page": query.page, "attributesToRetrieve": FIELDS}]
    selected = _selected(query)
    queries += [{**_base(search, query), "filter": _filters(query, now, without=group), "facets": list(GROUPS[group]),
                 "limit": 0} for group in selected]
    try:
        results = search.reader.multi_search(queries)["results"]
    except Exception as error:  # noqa: BLE001 - any failure to reach the index means the same to a user
        raise SearchUnavailable() from error
    main = results[0]
    distribution = dict(main.get("facetDistribution", {}))
    for group, result in zip(selected, results[1:], strict=True):
        for attribute in GROUPS[group]:
            distribution[attribute] = result.get("facetDistribution", {}).get(attribute, {})
    facets = {group: {value: count for attribute in attributes
                      for value, count in distribution.get(attribute, {}).items() if value}
              for group, attributes in GROUPS.items()}
    return DirectoryPage(query, [_entry(hit) for hit in main["hits"]], main.get("totalHits", 0),
                         main.get("totalPages", 0), facets)


def directory_ids(search: Search | None, query: DirectoryQuery, now: datetime) -> list[int]:
    """Every employer matching ``query`` (all pages), in the directory's order: for the CSV export."""
    ids: list[int] = []
    page = 1
    while True:
        result = search_directory_ids(search, query, now, page)
        ids += result
        if len(result) < EXPORT_PAGE:
            return ids
        page += 1


def search_directory_ids(search: Search | None, query: DirectoryQuery, now: datetime, page: int) -> list[int]:
    if search is None:
        raise SearchUnavailable()
    try:
        result = search.reader.index(search.index_name("employers")).search(query.q, {
            **{k: v for k, v in _base(search, query).items() if k == "sort"},
            "filter": _filters(query, now), "hitsPerPage": EXPORT_PAGE, "page": page, "attributesToRetrieve": ["id"]})
    except Exception as error:  # noqa: BLE001
        raise SearchUnavailable() from error
    return [hit["id"] for hit in result["hits"]]
