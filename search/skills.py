"""The multilingual, typo-tolerant ESCO pickers over the ``skills`` and ``occupations`` indexes, and the
resolver that turns what people type in a CSV cell into an ESCO URI with the same search.

Labels are shown in the page's language. Where ESCO has no label in that language the English one is
shown, marked " (EN)": never an invented translation.
"""

import unicodedata
from dataclasses import dataclass, field

from search.client import Search
from search.matching import SearchUnavailable

LANGS = ("en", "nl", "fr")
ENGLISH_MARK = " (EN)"


@dataclass(frozen=True)
class SkillChoice:
    uri: str
    label: str
    group: str = ""


@dataclass(frozen=True)
class OccupationChoice:
    uri: str
    label: str
    isco: str = ""


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


def shown_label(hit: dict, lang: str) -> str:
    """``hit``'s label in ``lang``; the English label marked " (EN)" when ESCO has none in ``lang``."""
    lang = _lang(lang)
    own = hit.get("langs")
    if own is not None and lang not in own:
        return hit.get("label_en", "") + ENGLISH_MARK
    return hit.get(f"label_{lang}") or hit.get("label_en", "")


def _search(search: Search | None, index: str, q: str, limit: int) -> list[dict]:
    if search is None:
        raise SearchUnavailable()
    try:
        return search.reader.index(search.index_name(index)).search(q, {"limit": limit})["hits"]
    except Exception as error:  # noqa: BLE001
        raise SearchUnavailable() from error


def find_skills(search: Search | None, q: str, lang: str = "en", limit: int = 10,
                exclude: frozenset[str] | set[str] = frozenset()) -> list[SkillChoice]:
    """Skills whose label or alternative label in English, Dutch or French matches ``q`` (typos allowed),
    preferred labels first; ``exclude``: URIs already chosen (not proposed twice)."""
    if not q.strip():
        return []
    hits = _search(search, "skills", q, limit + len(exclude))
    lang = _lang(lang)
    return [SkillChoice(hit["uri"], shown_label(hit, lang), hit.get(f"group_{lang}", ""))
            for hit in hits if hit["uri"] not in exclude][:limit]


def find_occupations(search: Search | None, q: str, lang: str = "en", limit: int = 10) -> list[OccupationChoice]:
    """Occupations matching ``q`` in any of the three languages, typos and alternative labels included."""
    if not q.strip():
        return []
    return [OccupationChoice(hit["uri"], shown_label(hit, lang), hit.get("isco", ""))
            for hit in _search(search, "occupations", q, limit)]


# --- resolving typed values (CSV import) -----------------------------------------------------------

def normalise(text: str) -> str:
    """Case-, accent- and spacing-insensitive form used to compare a typed value with labels."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _label_forms(label: str) -> list[str]:
    """A label and, for ESCO's French "infirmier/infirmière" labels, each gendered form."""
    forms = [label]
    if "/" in label:
        forms += [part for part in label.split("/") if part.strip()]
    return [normalise(f) for f in forms]


def _distance(a: str, b: str, cap: int = 3) -> int:
    """Levenshtein distance, stopping early above ``cap``."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > cap:
            return cap + 1
        previous = current
    return previous[-1]


def _typo_budget(text: str) -> int:
    return 0 if len(text) < 5 else 1 if len(text) < 9 else 2


def _closeness(value: str, hit: dict) -> int:
    """How well ``value`` names ``hit``: 4 preferred label, 3 alternative label, 2 a preferred label within
    typo distance, 1 an alternative label within typo distance, 0 only a partial match."""
    preferred = {f for lang in LANGS for f in _label_forms(hit.get(f"label_{lang}") or "")}
    alternative = {f for lang in LANGS for a in hit.get(f"alt_{lang}") or [] for f in _label_forms(a)}
    if value in preferred:
        return 4
    if value in alternative:
        return 3
    budget = _typo_budget(value)
    if budget and any(_distance(value, f) <= budget for f in preferred):
        return 2
    if budget and any(_distance(value, f) <= budget for f in alternative):
        return 1
    return 0


CLEAR_SCORE, CLEAR_MARGIN = 0.9, 0.05
# What resolving needs of each hit (no groups, no ISCO code: a lighter answer), and how many hits.
RESOLVE_FIELDS = ["uri", "langs", *(f"{kind}_{lang}" for kind in ("label", "alt") for lang in LANGS)]
RESOLVE_HITS = 10


def _clear_lead(hits: list[dict]) -> bool:
    """The search's first hit matches almost fully and clearly ahead of the second."""
    top = hits[0].get("_rankingScore", 0)
    second = hits[1].get("_rankingScore", 0) if len(hits) > 1 else 0
    return top >= CLEAR_SCORE and top - second >= CLEAR_MARGIN


@dataclass
class Resolution:
    """What a typed value resolved to: ``uri``, or ``candidates`` (up to three labels) when ambiguous."""

    value: str
    uri: str | None = None
    candidates: list[str] = field(default_factory=list)


def resolve(search: Search | None, index: str, values: list[str], lang: str = "en") -> dict[str, Resolution]:
    """Resolve typed labels against ``skills`` or ``occupations`` with the pickers' search (one multi-search).

    A value resolves when exactly one concept names it best: a preferred label (any language, case and
    accents ignored) beats an alternative label, which beats a label within typo distance. When no exact
    or near label exists, the search's first result is taken if the search ranks it strictly above the
    next one by a clear margin. Otherwise ``uri`` is None and ``candidates`` names the three best.
    """
    if not values:
        return {}
    if search is None:
        raise SearchUnavailable()
    name = search.index_name(index)
    try:
        results = search.reader.multi_search([{"indexUid": name, "q": value, "limit": RESOLVE_HITS,
                                               "showRankingScore": True, "attributesToRetrieve": RESOLVE_FIELDS}
                                              for value in values])["results"]
    except Exception as error:  # noqa: BLE001
        raise SearchUnavailable() from error
    resolved: dict[str, Resolution] = {}
    for value, result in zip(values, results, strict=True):
        hits = result["hits"]
        wanted = normalise(value)
        scored = sorted(((_closeness(wanted, hit), -position, hit) for position, hit in enumerate(hits)),
                        key=lambda item: item[:2], reverse=True)
        answer = Resolution(value)
        if scored and scored[0][0] > 0:
            best = [hit for score, _, hit in scored if score == scored[0][0]]
            if len({hit["uri"] for hit in best}) == 1:
                answer.uri = best[0]["uri"]
        elif hits and _clear_lead(hits):
            answer.uri = hits[0]["uri"]
        if answer.uri is None:
            answer.candidates = [shown_label(hit, lang) for _, _, hit in scored[:3]]
        resolved[value] = answer
    return resolved


def resolver(search: Search | None, lang: str = "en"):
    """``resolve(kind, values) -> {value: (uri or None, candidate labels)}`` for imports (candidates, offers):
    ``kind`` is "skills" or "occupations"; raises SearchUnavailable when search is down."""
    def resolve_values(kind: str, values: list[str]) -> dict[str, tuple[str | None, list[str]]]:
        return {value: (r.uri, r.candidates) for value, r in resolve(search, kind, values, lang).items()}
    return resolve_values
