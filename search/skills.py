"""The multilingual, typo-tolerant skill picker over the ``skills`` index."""

from dataclasses import dataclass

from search.client import Search
from search.matching import SearchUnavailable

LANGS = ("en", "nl", "fr")


@dataclass(frozen=True)
class SkillChoice:
    uri: str
    label: str


def find_skills(search: Search | None, q: str, lang: str = "en", limit: int = 10) -> list[SkillChoice]:
    """Skills whose label or alternative label in English, Dutch or French matches ``q``.

    The label shown is in ``lang`` (English when the data has no label in that language).
    """
    if not q.strip():
        return []
    if search is None:
        raise SearchUnavailable()
    label = f"label_{lang if lang in LANGS else 'en'}"
    try:
        result = search.reader.index(search.index_name("skills")).search(
            q, {"limit": limit, "attributesToRetrieve": ["uri", label]})
    except Exception as error:  # noqa: BLE001
        raise SearchUnavailable() from error
    return [SkillChoice(hit["uri"], hit[label]) for hit in result["hits"]]


def skills_by_label(search: Search | None, labels: list[str]) -> dict[str, str | None]:
    """Each label's ESCO skill URI: the hit whose English, Dutch or French label is exactly ``label``
    (case-insensitive), else None. One multi-search for all labels (CSV import)."""
    if not labels:
        return {}
    if search is None:
        raise SearchUnavailable()
    index = search.index_name("skills")
    fields = ["uri", *(f"label_{lang}" for lang in LANGS)]
    try:
        results = search.reader.multi_search([{"indexUid": index, "q": label, "limit": 20,
                                               "attributesToRetrieve": fields} for label in labels])["results"]
    except Exception as error:  # noqa: BLE001
        raise SearchUnavailable() from error
    found: dict[str, str | None] = {}
    for label, result in zip(labels, results, strict=True):
        wanted = label.strip().casefold()
        found[label] = next((hit["uri"] for hit in result["hits"]
                             if any((hit.get(f"label_{lang}") or "").casefold() == wanted for lang in LANGS)), None)
    return found
