"""What an employer or coach narrows a match list by, and how it is sorted and paged. Pure.

The same rules serve the page (a GET form whose state is the URL) and the API
(``GET /api/v1/offers/{id}/matches``): ``parse_filters`` turns query parameters into a
``MatchFilters`` or names every wrong field; ``passes`` says whether an anonymised profile
document (``domain.anonymise.anonymised_profile``) meets them; the index applies the same rules
as filter expressions (``search.matching.filter_expressions``), so the exact ranking stays exact
over the filtered set.

Sort: ``fit`` is the exact skill-fit ranking; ``distance`` and ``availability`` order the
``MAX_RESULTS`` best-fitting candidates that pass the filters (nearest first; available soonest
first, "available now" before any date). Pages are ``limit`` long, at most ``MAX_RESULTS`` in all.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from domain.offers import CEFR_LEVELS, CEFR_RANK, EDUCATION_RANK, EducationLevel, OfferType
from domain.validation import N_, RuleBroken, Violation

FILTERABLE_LANGUAGES = ("nl", "fr", "en", "de")  # the languages the candidates index holds a level for
SORTS = ("fit", "distance", "availability")
PAGE_SIZE = 20
MAX_RESULTS = 100
MAX_KM = 500
PROGRAMME_SLUG = re.compile(r"^[a-z0-9_]{1,40}$")


@dataclass(frozen=True)
class MatchFilters:
    languages: tuple[tuple[str, int], ...] = ()  # (language code, minimum CEFR rank 1..6)
    education_min: str = ""  # an EducationLevel value, or "" for any
    max_km: int | None = None
    eligible_for: str = ""  # a programme slug, e.g. "level_at_work"
    available_by: date | None = None
    offer_type: str = ""  # an OfferType value
    sort: str = "fit"
    limit: int = PAGE_SIZE
    offset: int = 0

    @property
    def active(self) -> bool:
        """Whether anything narrows the list (sort and paging aside)."""
        return bool(
            self.languages
            or self.education_min
            or self.max_km is not None
            or self.eligible_for
            or self.available_by
            or self.offer_type
        )

    @property
    def education_rank(self) -> int | None:
        return EDUCATION_RANK[EducationLevel(self.education_min)] if self.education_min else None

    def query(self, **changes) -> list[tuple[str, str]]:
        """The query parameters that give these filters back (``changes`` override), for links."""
        values = {
            "language": [f"{code}:{CEFR_LEVELS[rank - 1]}" for code, rank in self.languages],
            "education_min": self.education_min,
            "max_km": "" if self.max_km is None else str(self.max_km),
            "eligible_for": self.eligible_for,
            "available_by": self.available_by.isoformat() if self.available_by else "",
            "offer_type": self.offer_type,
            "sort": "" if self.sort == "fit" else self.sort,
            "cursor": str(self.offset) if self.offset else "",
        }
        values.update(changes)
        pairs = []
        for name, value in values.items():
            for one in value if isinstance(value, list) else [value]:
                if one:
                    pairs.append((name, one))
        return pairs


def _one(params: Mapping[str, Sequence[str]], name: str) -> str:
    values = [v.strip() for v in params.get(name, ()) if v.strip()]
    return values[-1] if values else ""


def parse_filters(params: Mapping[str, Sequence[str]], *, default_limit: int = PAGE_SIZE) -> MatchFilters:
    """``MatchFilters`` from query parameters (name -> every value given); ``RuleBroken`` names each wrong one.

    ``language`` repeats as ``nl:B2``; empty values mean "no filter" (a GET form sends them)."""
    bad: list[Violation] = []
    languages: dict[str, int] = {}
    for raw in params.get("language", ()):
        raw = raw.strip()
        if not raw:
            continue
        code, _, level = raw.partition(":")
        code, level = code.strip().lower(), level.strip().upper()
        if code not in FILTERABLE_LANGUAGES or level not in CEFR_RANK:
            bad.append(
                Violation(
                    "language",
                    N_(
                        "Give a language and a level, like nl:B2 (languages: nl, fr, en, de; "
                        "levels A1 to C2)."
                    ),
                )
            )
            continue
        languages[code] = max(languages.get(code, 0), CEFR_RANK[level])
    education = _one(params, "education_min")
    if education and education not in {e.value for e in EducationLevel}:
        bad.append(Violation("education_min", N_("Choose an education level from the list.")))
        education = ""
    max_km = None
    raw_km = _one(params, "max_km")
    if raw_km:
        if raw_km.isascii() and raw_km.isdigit() and 1 <= int(raw_km) <= MAX_KM:
            max_km = int(raw_km)
        else:
            bad.append(
                Violation(
                    "max_km", N_("Enter a whole number of kilometres from 1 to {max}."), {"max": MAX_KM}
                )
            )
    eligible = _one(params, "eligible_for")
    if eligible and not PROGRAMME_SLUG.match(eligible):
        bad.append(Violation("eligible_for", N_("Choose a programme from the list.")))
        eligible = ""
    available_by = None
    raw_date = _one(params, "available_by")
    if raw_date:
        try:
            available_by = date.fromisoformat(raw_date)
        except ValueError:
            bad.append(Violation("available_by", N_("Enter a date as YYYY-MM-DD.")))
        else:
            if not 2000 <= available_by.year <= 2100:
                bad.append(Violation("available_by", N_("Enter a date as YYYY-MM-DD.")))
                available_by = None
    offer_type = _one(params, "offer_type")
    if offer_type and offer_type not in {t.value for t in OfferType}:
        bad.append(Violation("offer_type", N_("Choose an offer type from the list.")))
        offer_type = ""
    sort = _one(params, "sort") or "fit"
    if sort not in SORTS:
        bad.append(Violation("sort", N_("Sort by fit, distance or availability.")))
        sort = "fit"
    limit = default_limit
    raw_limit = _one(params, "limit")
    if raw_limit:
        if raw_limit.isascii() and raw_limit.isdigit() and 1 <= int(raw_limit) <= MAX_RESULTS:
            limit = int(raw_limit)
        else:
            bad.append(Violation("limit", N_("Enter a whole number from 1 to {max}."), {"max": MAX_RESULTS}))
    offset = 0
    raw_cursor = _one(params, "cursor")
    if raw_cursor:
        if raw_cursor.isascii() and raw_cursor.isdigit() and int(raw_cursor) < MAX_RESULTS:
            offset = int(raw_cursor)
        else:
            bad.append(Violation("cursor", N_("This is not a cursor the list gave out.")))
    if bad:
        raise RuleBroken(bad)
    return MatchFilters(
        tuple(sorted(languages.items())),
        education,
        max_km,
        eligible,
        available_by,
        offer_type,
        sort,
        limit,
        offset,
    )


def timestamp(day: date) -> int:
    return int(datetime.combine(day, datetime.min.time(), tzinfo=UTC).timestamp())


def passes(filters: MatchFilters, document: Mapping, distance_km: float) -> bool:
    """Whether an anonymised profile document meets ``filters`` (the rule the index filter expresses)."""
    levels = document.get("languages", {})
    if any(levels.get(code, 0) < rank for code, rank in filters.languages):
        return False
    if filters.education_rank is not None and document.get("education_rank", 0) < filters.education_rank:
        return False
    if filters.max_km is not None and distance_km > filters.max_km:
        return False
    if filters.eligible_for and filters.eligible_for not in document.get("eligible_programmes", ()):
        return False
    if filters.available_by and document.get("available_from_ts", 0) > timestamp(filters.available_by):
        return False
    return not (filters.offer_type and filters.offer_type not in document.get("accepted_types", ()))


def page_window(filters: MatchFilters) -> tuple[int, int]:
    """(how many best-fitting candidates to rank, the end of this page), both within ``MAX_RESULTS``.

    Sorting by fit ranks only as far as the page (plus one, to know whether a next page exists);
    other sorts order the ``MAX_RESULTS`` best."""
    end = min(filters.offset + filters.limit, MAX_RESULTS)
    wanted = min(end + 1, MAX_RESULTS) if filters.sort == "fit" else MAX_RESULTS
    return wanted, end


def sort_key(sort: str, score: float, distance_km: float, available_from_ts: int, candidate_id: int) -> tuple:
    if sort == "distance":
        return (distance_km, -score, candidate_id)
    if sort == "availability":
        return (available_from_ts, -score, distance_km, candidate_id)
    return (-score, distance_km, candidate_id)
