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
