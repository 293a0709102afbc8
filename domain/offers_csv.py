"""Offers as CSV: the import layout (one offer per row, errors per column) and the export. Pure: no I/O.

Same conventions as the caseload import (domain/caseload_csv.py): ``,`` or ``;`` as delimiter, lists inside a
cell separated by ``|``, dates ``YYYY-MM-DD`` or ``DD/MM/YYYY``, codes case-insensitive; skills and the
occupation as ESCO URIs or exact English, Dutch or French labels. Imported offers are drafts.
"""

from dataclasses import dataclass, field

from domain.caseload_csv import (
    LIST_SEPARATOR,
    UnreadableFile,
    _Cells,
    _safe_cell,
    read_header,
    records,
    split_list,
)
from domain.offers import (
    CEFR_LEVELS,
    LANGUAGES,
    DurationUnit,
    EducationLevel,
    LanguageRequirement,
    OfferInput,
    OfferType,
)
from domain.validation import N_, Violation

OFFER_COLUMNS = ("title", "type", "description", "duration_value", "duration_unit", "postcode", "days_per_week",
                 "hours_per_week", "places", "sector", "monthly_pay_eur", "followup_contract_months",
                 "followup_open_ended", "education_min", "field_of_study", "languages", "essential_skills",
                 "optional_skills", "occupation", "remote_days", "start_from", "start_until", "accessibility_notes",
                 "taught_skills")
REQUIRED_OFFER_COLUMNS = ("title", "type", "duration_value", "postcode", "days_per_week", "hours_per_week", "sector")
EXPORT_OFFER_COLUMNS = ("id", "status", *OFFER_COLUMNS)
MAX_OFFER_ROWS = 10_000


def read_offer_header(text: str) -> tuple[list[str], int]:
    """(column names, number of data rows); raises ``UnreadableFile`` when the layout is wrong."""
    return read_header(text, OFFER_COLUMNS, REQUIRED_OFFER_COLUMNS, MAX_OFFER_ROWS,
                       N_("The file has a header but no offers."))


def offer_records(text: str, start: int, stop: int) -> list[tuple[int, dict[str, str]]]:
    """Data rows ``start`` to ``stop`` (0-based) as (spreadsheet row number, values by column); row 1 is the
    header. The same reading as the caseload import's."""
    return records(text, start, stop)


@dataclass
class ParsedOffer:
    row: int
    offer: OfferInput  # without skills and occupation: references resolved later
    essential_refs: list[str] = field(default_factory=list)
    optional_refs: list[str] = field(default_factory=list)
    occupation_ref: str = ""
    violations: list[Violation] = field(default_factory=list)
    taught_refs: list[str] = field(default_factory=list)  # "learned here": refs among the essential/optional ones

    @property
    def blank(self) -> bool:
        return not any([self.offer.title, self.offer.postcode])


def _optional_int(cells: _Cells, name: str) -> int | None:
    return cells.integer(name, 0) if cells.text(name) else None


def parse_offer_row(row: int, values: dict[str, str]) -> ParsedOffer:
    cells = _Cells(values)
    languages = []
    for item in split_list(cells.text("languages")):
        code, _, level = item.partition(":")
        code, level = code.strip().lower(), level.strip().upper()
        if code not in LANGUAGES or level not in CEFR_LEVELS:
            cells.violations.append(Violation("languages", N_("Write languages like nl:B1|en:B2 (levels A1 to C2).")))
        else:
            languages.append(LanguageRequirement(code, level))
    open_ended = cells.text("followup_open_ended").lower() in ("1", "yes", "ja", "oui", "true", "x")
    offer = OfferInput(
        title=cells.text("title"), description=cells.text("description"),
        type=cells.choice("type", OfferType, None) if cells.text("type") else None,
        duration_value=_optional_int(cells, "duration_value"),
        duration_unit=cells.choice("duration_unit", DurationUnit, None),
        education_min=cells.choice("education_min", EducationLevel, EducationLevel.NONE),
        field_of_study=cells.text("field_of_study"), postcode=cells.text("postcode"),
        remote_days=cells.integer("remote_days", 0), days_per_week=_optional_int(cells, "days_per_week"),
        hours_per_week=_optional_int(cells, "hours_per_week"), start_from=cells.day("start_from"),
        start_until=cells.day("start_until"), places=cells.integer("places", 1), sector=cells.text("sector").upper(),
        accessibility_notes=cells.text("accessibility_notes"), monthly_pay_eur=_optional_int(cells, "monthly_pay_eur"),
        followup_contract_months=_optional_int(cells, "followup_contract_months"), followup_open_ended=open_ended,
        languages=languages,
    )
    essential, optional = split_list(cells.text("essential_skills")), split_list(cells.text("optional_skills"))
    taught = split_list(cells.text("taught_skills"))
    if set(taught) - set(essential) - set(optional):
        cells.violations.append(Violation("taught_skills", N_(
            "List each skill learned here among the essential or optional skills too.")))
    return ParsedOffer(row, offer, essential, optional, cells.text("occupation"), cells.violations, taught)


def export_offer_row(values: dict[str, str]) -> list[str]:
    return [_safe_cell(str(values.get(name, ""))) for name in EXPORT_OFFER_COLUMNS]


__all__ = ["LIST_SEPARATOR", "OFFER_COLUMNS", "REQUIRED_OFFER_COLUMNS", "EXPORT_OFFER_COLUMNS", "ParsedOffer",
           "parse_offer_row", "read_offer_header", "offer_records", "export_offer_row", "UnreadableFile"]
