"""The caseload as CSV: the import layout (read, row by row, with errors per column) and the export
(anonymised fields only). Pure: no I/O. The layout is documented in README.md.

Lists inside a cell are separated by ``|`` (so both ``,`` and ``;`` work as the file's delimiter);
dates are ``YYYY-MM-DD`` or ``DD/MM/YYYY``; codes are case-insensitive.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice

from domain.candidates import DiplomaRecognition, IdentityInput, LanguageLevel, ProfileInput
from domain.offers import CEFR_LEVELS, LANGUAGES, NACE_SECTIONS, EducationLevel, OfferType
from domain.validation import N_, Violation

IDENTITY_COLUMNS = ("given_name", "family_name", "email", "phone", "date_of_birth", "nationality",
                    "country_of_origin", "arrival_date", "address", "correspondence_language")
PROFILE_COLUMNS = ("education_level", "education_field", "diploma_recognition", "languages", "postcode",
                   "max_commute_km", "available_from", "days_per_week", "accepted_offer_types",
                   "sector_preferences", "skills", "experience", "summary")
IMPORT_COLUMNS = IDENTITY_COLUMNS + PROFILE_COLUMNS
REQUIRED_COLUMNS = ("given_name", "family_name", "postcode")

# The export: the reference and anonymised profile fields, never identity.
EXPORT_COLUMNS = ("ref", "municipality", "region", "education_level", "education_field", "diploma_recognition",
                  "languages", "max_commute_km", "available_from", "days_per_week", "accepted_offer_types",
                  "programme", "path", "eligible_programmes", "sector_preferences", "skills", "experience",
                  "summary")

LIST_SEPARATOR = "|"
MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024


class UnreadableFile(Exception):
    """The file is not a CSV file this import can read; nothing was imported."""

    def __init__(self, violation: Violation):
        super().__init__(violation.message)
        self.violation = violation


BINARY_SIGNATURES = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"GIF8", b"\xff\xd8\xff")


def looks_binary(data: bytes) -> bool:
    """An image, a PDF or a spreadsheet (.xlsx, .xls) rather than text: known signatures, or NUL bytes."""
    return data.startswith(BINARY_SIGNATURES) or b"\x00" in data[:4096]


def decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM spreadsheets add), else Windows-1252 as Excel saves it."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(Violation("file", N_("The file is larger than {max} MB; split it into parts."),
                                       {"max": MAX_BYTES // (1024 * 1024)}))
    if looks_binary(data):
        raise UnreadableFile(Violation("file", N_("This is not a CSV file. In your spreadsheet, choose "
                                                  "“Save as” and the CSV format, then upload that file.")))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _dialect(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _reader(text: str):
    return csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))


def read_header(text: str, columns=IMPORT_COLUMNS, required=REQUIRED_COLUMNS, max_rows: int = MAX_ROWS,
                no_rows: str = N_("The file has a header but no candidates.")) -> tuple[list[str], int]:
    """(column names, number of data records) of a file laid out in ``columns``; raises ``UnreadableFile`` when
    the layout is wrong. The offers import reads its files with its own columns through this too."""
    if not text.strip():
        raise UnreadableFile(Violation("file", N_("The file is empty.")))
    try:
        reader = _reader(text)
        header = [name.strip().lower() for name in next(reader)]
        count = sum(1 for _ in reader)
    except csv.Error as error:
        raise UnreadableFile(Violation("file", N_("This is not a CSV file we can read ({error})."),
                                       {"error": str(error)})) from None
    unknown = [name for name in header if name and name not in columns]
    if unknown:
        raise UnreadableFile(Violation("file", N_("Unknown columns: {columns}. Use the column names of the layout."),
                                       {"columns": ", ".join(unknown)}))
    missing = [name for name in required if name not in header]
    if missing:
        raise UnreadableFile(Violation("file", N_("Required columns are missing: {columns}."),
                                       {"columns": ", ".join(missing)}))
    doubles = sorted({name for name in header if name and header.count(name) > 1})
    if doubles:
        raise UnreadableFile(Violation("file", N_("Columns appear twice: {columns}."), {"columns": ", ".join(doubles)}))
    if count == 0:
        raise UnreadableFile(Violation("file", no_rows))
    if count > max_rows:
        raise UnreadableFile(Violation("file", N_("The file has more than {max} rows; split it into parts."),
                                       {"max": max_rows}))
    return header, count


def records(text: str, start: int, stop: int) -> list[tuple[int, dict[str, str]]]:
    """Data records ``start`` to ``stop`` (0-based) as (row number in the spreadsheet, values by column).

    The header is row 1, so the first record is row 2.
    """
    reader = _reader(text)
    header = [name.strip().lower() for name in next(reader)]
    rows = []
    for index, values in enumerate(islice(reader, start, stop), start=start):
        padded = values + [""] * (len(header) - len(values))
        rows.append((index + 2, {name: padded[i].strip() for i, name in enumerate(header) if name}))
    return rows


@dataclass
class ParsedRow:
    row: int
    identity: IdentityInput
    profile: ProfileInput  # without skills and experience: those are references resolved later
    skill_refs: list[str] = field(default_factory=list)
    experience_refs: list[tuple[str, int]] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    @property
    def blank(self) -> bool:
        return not any([self.identity.given_name, self.identity.family_name, self.profile.postcode])


def split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def parse_day(text: str) -> date | None:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY`` (also with ``-`` or ``.``); raises ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    for separator in ("/", "-", "."):
        parts = text.split(separator)
        if len(parts) == 3 and len(parts[2]) == 4:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
    raise ValueError(text)


class _Cells:
    """Typed reads of one record, collecting a Violation per unreadable cell (field = column name)."""

    def __init__(self, values: dict[str, str]):
        self.values = values
        self.violations: list[Violation] = []

    def text(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def day(self, name: str) -> date | None:
        try:
            return parse_day(self.text(name))
        except ValueError:
            self.violations.append(Violation(name, N_("Write the date as YYYY-MM-DD or DD/MM/YYYY.")))
            return None

    def integer(self, name: str, default: int) -> int:
        raw = self.text(name)
        if not raw:
            return default
        try:
            return int(raw)
        except ValueError:
            self.violations.append(Violation(name, N_("Enter a whole number.")))
            return default

    def choice(self, name: str, enum, default):
        raw = self.text(name).lower()
        if not raw:
            return default
        try:
            return enum(raw)
        except ValueError:
            self.violations.append(Violation(name, N_("Use one of: {choices}."),
                                             {"choices": ", ".join(e.value for e in enum)}))
            return default


def parse_row(row: int, values: dict[str, str]) -> ParsedRow:
    cells = _Cells(values)
    identity = IdentityInput(
        given_name=cells.text("given_name"), family_name=cells.text("family_name"), email=cells.text("email"),
        phone=cells.text("phone"), date_of_birth=cells.day("date_of_birth"),
        nationality=cells.text("nationality").upper(), country_of_origin=cells.text("country_of_origin").upper(),
        arrival_date=cells.day("arrival_date"), address=cells.text("address"),
        correspondence_language=cells.text("correspondence_language").lower(),
    )
    languages = []
    for item in split_list(cells.text("languages")):
        code, _, level = item.partition(":")
        code, level = code.strip().lower(), level.strip().upper()
        if code not in LANGUAGES or level not in CEFR_LEVELS:
            cells.violations.append(Violation("languages", N_("Write languages like nl:B1|en:B2 (levels A1 to C2)."),
                                              {"value": item}))
        else:
            languages.append(LanguageLevel(code, level))
    types = []
    for item in split_list(cells.text("accepted_offer_types")):
        try:
            types.append(OfferType(item.lower()))
        except ValueError:
            cells.violations.append(Violation("accepted_offer_types", N_("Use one of: {choices}."),
                                              {"choices": ", ".join(t.value for t in OfferType)}))
    sectors = [s.upper() for s in split_list(cells.text("sector_preferences"))]
    if any(s not in NACE_SECTIONS for s in sectors):
        cells.violations.append(Violation("sector_preferences", N_("Use NACE section letters A to U, like Q|J.")))
    experience = []
    for item in split_list(cells.text("experience")):
        reference, _, years = item.rpartition("=")
        try:
            experience.append((reference.strip(), int(years)))
        except ValueError:
            cells.violations.append(Violation("experience", N_("Write experience like <occupation>=<years>, e.g. nurse=4.")))
    profile = ProfileInput(
        education_level=cells.choice("education_level", EducationLevel, EducationLevel.NONE),
        education_field=cells.text("education_field"),
        diploma_recognition=cells.choice("diploma_recognition", DiplomaRecognition, DiplomaRecognition.NOT_REQUESTED),
        languages=languages, postcode=cells.text("postcode"),
        max_commute_km=cells.integer("max_commute_km", 25), available_from=cells.day("available_from"),
        days_per_week=cells.integer("days_per_week", 5), accepted_offer_types=types or list(OfferType),
        sector_preferences=[s for s in sectors if s in NACE_SECTIONS], summary=cells.text("summary"),
    )
    return ParsedRow(row, identity, profile, split_list(cells.text("skills")), experience, cells.violations)


def export_row(document: dict, levels: dict[int, str]) -> list[str]:
    """One CSV row from an anonymised profile document (``anonymised_profile``): allow-listed fields only."""
    available = ""
    if document.get("available_from_ts"):
        available = datetime.fromtimestamp(document["available_from_ts"], UTC).date().isoformat()
    values = {
        "ref": document["ref"], "municipality": document["municipality"], "region": document["region"],
        "education_level": document["education_level"], "education_field": document["education_field"],
        "diploma_recognition": document["diploma_recognition"],
        "languages": LIST_SEPARATOR.join(f"{code}:{levels.get(rank, '')}" for code, rank in document["languages"].items()),
        "max_commute_km": str(document["max_commute_km"]), "available_from": available,
        "days_per_week": str(document["days_per_week"]),
        "accepted_offer_types": LIST_SEPARATOR.join(document["accepted_types"]),
        "programme": document["programme"], "path": document["path"],
        "eligible_programmes": LIST_SEPARATOR.join(document["eligible_programmes"]),
        "sector_preferences": LIST_SEPARATOR.join(document["sector_preferences"]),
        "skills": LIST_SEPARATOR.join(document["skill_ids"]),
        "experience": LIST_SEPARATOR.join(f"{e['occupation']}={e['years']}" for e in document["experience"]),
        "summary": document["summary"],
    }
    return [_safe_cell(values[name]) for name in EXPORT_COLUMNS]


def _safe_cell(value: str) -> str:
    """No spreadsheet formula injection: a cell starting with = + - @ is read as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
