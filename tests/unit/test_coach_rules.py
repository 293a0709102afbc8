"""Pure rules of the coach workspace: scrubbing, CSV rows, coaching log, shortlists, screening texts."""

from datetime import date

import pytest

from domain.anonymise import identity_terms, scrub
from domain.caseload_csv import (
    EXPORT_COLUMNS,
    IDENTITY_COLUMNS,
    UnreadableFile,
    decode,
    export_row,
    parse_day,
    parse_row,
    read_header,
    records,
)
from domain.coaching import LogEntryInput, LogKind, validate_log_entry
from domain.offers import EducationLevel, OfferType
from domain.proposals import moved, needs_confirmation, validate_proposal
from web.i18n import duration_text, outcome_text

# --- scrub ---------------------------------------------------------------------------------------

TERMS = identity_terms("Amal", "Haddad El Khoury", "amal.h@example.org", "+32 470 12 34 56",
                       "Kortrijksesteenweg 12, 9000 Gent")


@pytest.mark.parametrize("text,expected", [
    ("Amal worked as a nurse.", "[…] worked as a nurse."),
    ("AMAL and amal", "[…] and […]"),
    ("Ask Haddad El Khoury.", "Ask […]."),
    ("Khoury is kind.", "[…] is kind."),  # each part of a compound family name
    ("Mail amal.h@example.org today", "Mail […] today"),
    ("Mail someone.else@uni.be today", "Mail […] today"),  # any e-mail address
    ("Call +32 470 12 34 56 or 0470/12.34.56.", "Call […] or […]."),
    ("Lives at Kortrijksesteenweg 12, 9000 Gent.", "Lives at […], […]."),
    ("Lives at Veldstraat 4 bus 3 in Gent", "Lives at […] in Gent"),
    ("Lives at Rue Haute 5 bte 2 now", "Lives at […] now"),
    ("Moved to Chaussée de Wavre 110, then left", "Moved to […], then left"),
    ("Took first place in 3 categories", "Took first place in 3 categories"),
    ("Worked 8 years in 2 hospitals", "Worked 8 years in 2 hospitals"),  # small numbers are not phones
    ("Amalgam fillings and Haddadi", "Amalgam fillings and Haddadi"),  # whole words only
    ("", ""),
])
def test_scrub(text, expected):
    assert scrub(text, TERMS) == expected


def test_scrub_ignores_one_letter_terms():
    assert scrub("A nurse from A to Z", ["A"]) == "A nurse from A to Z"


# --- CSV rows ------------------------------------------------------------------------------------

BAKERY_PRODUCTS = "http://data.europa.eu/esco/skill/50db2b5e-edda-496d-8a6e-aff91dc243d9"  # official: prepare bakery products
BAKER = "http://data.europa.eu/esco/occupation/1aadb308-432a-4d01-b54b-b4f7f76dd419"  # official: baker
ROW = {"given_name": "Leyla", "family_name": "Demir", "email": "l@example.org", "date_of_birth": "31/01/1990",
       "nationality": "tr", "arrival_date": "2023-03-01", "education_level": "Bachelor", "languages": "nl:b1 | en:B2",
       "postcode": "9000", "max_commute_km": "40", "days_per_week": "3",
       "accepted_offer_types": "paid_traineeship|GETTING_TO_KNOW", "sector_preferences": "q|j",
       "skills": f"{BAKERY_PRODUCTS} | nursing science",
       "experience": f"nurse=4|{BAKER}=2",
       "summary": "  Nurse  "}


def test_a_full_row():
    parsed = parse_row(2, ROW)
    assert parsed.violations == [] and not parsed.blank
    assert (parsed.identity.given_name, parsed.identity.nationality) == ("Leyla", "TR")
    assert parsed.identity.date_of_birth == date(1990, 1, 31) and parsed.identity.arrival_date == date(2023, 3, 1)
    p = parsed.profile
    assert p.education_level == EducationLevel.BACHELOR
    assert [(lang.language, lang.level) for lang in p.languages] == [("nl", "B1"), ("en", "B2")]
    assert p.accepted_offer_types == [OfferType.PAID_TRAINEESHIP, OfferType.GETTING_TO_KNOW]
    assert p.sector_preferences == ["Q", "J"] and (p.max_commute_km, p.days_per_week) == (40, 3)
    assert parsed.skill_refs == [BAKERY_PRODUCTS, "nursing science"]
    assert parsed.experience_refs == [("nurse", 4), (BAKER, 2)]
    assert p.summary == "Nurse"


def test_defaults_for_empty_cells():
    parsed = parse_row(3, {"given_name": "A", "family_name": "B", "postcode": "9000"})
    assert parsed.violations == []
    assert parsed.profile.accepted_offer_types == list(OfferType)  # open to every type unless told
    assert (parsed.profile.max_commute_km, parsed.profile.days_per_week) == (25, 5)


@pytest.mark.parametrize("column,value,message", [
    ("date_of_birth", "1990-13-01", "Write the date as YYYY-MM-DD or DD/MM/YYYY."),
    ("arrival_date", "yesterday", "Write the date as YYYY-MM-DD or DD/MM/YYYY."),
    ("max_commute_km", "ten", "Enter a whole number."),
    ("education_level", "phd", "Use one of: {choices}."),
    ("languages", "dutch:B1", "Write languages like nl:B1|en:B2 (levels A1 to C2)."),
    ("languages", "nl:B3", "Write languages like nl:B1|en:B2 (levels A1 to C2)."),
    ("accepted_offer_types", "internship", "Use one of: {choices}."),
    ("sector_preferences", "ZZ", "Use NACE section letters A to U, like Q|J."),
    ("experience", "nurse", "Write experience like <occupation>=<years>, e.g. nurse=4."),
])
def test_unreadable_cells_are_reported_by_column(column, value, message):
    parsed = parse_row(7, {**ROW, column: value})
    assert [(v.field, v.message) for v in parsed.violations] == [(column, message)]
    assert parsed.row == 7


def test_a_row_of_empty_cells_is_blank():
    assert parse_row(9, {name: "" for name in ROW}).blank


@pytest.mark.parametrize("text,expected", [("2024-02-01", date(2024, 2, 1)), ("01/02/2024", date(2024, 2, 1)),
                                           ("1-2-2024", date(2024, 2, 1)), ("01.02.2024", date(2024, 2, 1)),
                                           ("", None)])
def test_parse_day(text, expected):
    assert parse_day(text) == expected


def test_header_and_records():
    text = "Given_Name;family_name;postcode\n\"Ana; Maria\";Lima;9000\nBo;Li\n"
    assert read_header(text) == (["given_name", "family_name", "postcode"], 2)
    assert records(text, 0, 10) == [(2, {"given_name": "Ana; Maria", "family_name": "Lima", "postcode": "9000"}),
                                    (3, {"given_name": "Bo", "family_name": "Li", "postcode": ""})]
    assert records(text, 1, 2) == [(3, {"given_name": "Bo", "family_name": "Li", "postcode": ""})]


@pytest.mark.parametrize("text,message", [
    ("", "The file is empty."),
    ("given_name,family_name\nA,B\n", "Required columns are missing: {columns}."),
    ("given_name,family_name,postcode,religion\nA,B,9000,x\n", "Unknown columns: {columns}. Use the column names of the layout."),
    ("given_name,given_name,family_name,postcode\nA,A,B,9000\n", "Columns appear twice: {columns}."),
])
def test_bad_headers(text, message):
    with pytest.raises(UnreadableFile) as error:
        read_header(text)
    assert error.value.violation.message == message


def test_decode_falls_back_to_windows_1252():
    assert decode("\ufeffZoë".encode()) == "Zoë"
    assert decode("Zoë".encode("cp1252")) == "Zoë"


def test_export_row_has_no_identity_and_neutralises_formulas():
    assert not set(EXPORT_COLUMNS) & set(IDENTITY_COLUMNS)
    document = {"ref": "K-AB23", "municipality": "Gent", "region": "flanders", "education_level": "master",
                "education_field": "=cmd()", "diploma_recognition": "pending", "languages": {"en": 4, "nl": 3},
                "max_commute_km": 30, "available_from_ts": 1767225600, "days_per_week": 4,
                "accepted_types": ["paid_traineeship"], "programme": "level_at_work", "path": "career",
                "eligible_programmes": ["level_at_work"], "sector_preferences": ["Q"], "skill_ids": ["s1", "s2"],
                "experience": [{"occupation": "o1", "years": 3}], "summary": "-5 years"}
    row = dict(zip(EXPORT_COLUMNS, export_row(document, {3: "B1", 4: "B2"}), strict=True))
    assert row["languages"] == "en:B2|nl:B1" and row["available_from"] == "2026-01-01"
    assert row["skills"] == "s1|s2" and row["experience"] == "o1=3"
    assert row["education_field"] == "'=cmd()" and row["summary"] == "'-5 years"


# --- coaching log, proposals ---------------------------------------------------------------------

def test_log_entry_rules():
    today = date(2026, 3, 15)
    assert validate_log_entry(LogEntryInput(today, LogKind.INTAKE, "ok"), today=today) == []
    fields = {v.field for v in validate_log_entry(LogEntryInput(None, None, "x" * 4001), today=today)}
    assert fields == {"happened_on", "kind", "note"}
    assert validate_log_entry(LogEntryInput(date(2026, 3, 16), LogKind.FOLLOW_UP), today=today)[0].field == "happened_on"


@pytest.mark.parametrize("order,item,direction,expected", [
    ([1, 2, 3], 3, "up", [1, 3, 2]), ([1, 2, 3], 1, "down", [2, 1, 3]),
    ([1, 2, 3], 1, "up", [1, 2, 3]), ([1, 2, 3], 3, "down", [1, 2, 3]),
    ([1, 2, 3], 9, "up", [1, 2, 3]), ([1, 2, 3], 2, "sideways", [1, 2, 3]),
])
def test_moved(order, item, direction, expected):
    assert moved(order, item, direction) == expected


def test_proposal_rules():
    assert [v.field for v in validate_proposal("", 0)] == ["shortlist"]
    assert [v.field for v in validate_proposal("x" * 1001, 2)] == ["note"]
    assert needs_confirmation({4}, confirmed=False)[0].field == "confirm"
    assert needs_confirmation({4}, confirmed=True) == [] and needs_confirmation(set(), confirmed=False) == []


# --- screening texts -----------------------------------------------------------------------------

@pytest.mark.parametrize("parts,expected", [
    ((6, 2, 0), "6 years and 2 months"), ((5, 0, 1), "5 years and 1 day"), ((1, 1, 0), "1 year and 1 month"),
    ((0, 0, 0), "0 months"), ((0, 3, 0), "3 months"), ((2, 0, 0), "2 years"), ((1, 2, 3), "1 year, 2 months and 3 days"),
])
def test_duration_text(parts, expected):
    assert duration_text("en", *parts) == expected


def test_outcome_text():
    outcome = {"field": "arrival_date", "op": "within_years", "passed": False,
               "message": "{field} {elapsed} ago (limit {limit}).",
               "params": {"field": "Arrived in Belgium", "elapsed_years": 6, "elapsed_months": 2, "elapsed_days": 0,
                          "limit_years": 5}}
    assert outcome_text(outcome, "en") == "Arrived in Belgium 6 years and 2 months ago (limit 5 years)."
    nationality = {"field": "nationality", "op": "not_in", "passed": True, "message": "{field}: {actual} is not {label}.",
                   "params": {"field": "Nationality", "actual": "ER", "allowed": ["BE"], "label": "an EU member state"}}
    assert outcome_text(nationality, "en") == "Nationality: Eritrea (ER) is not an EU member state."
    assert "Érythrée (ER)" in outcome_text(nationality, "fr")


@pytest.mark.parametrize("text,message", [
    ("title,title,type,duration_value,postcode,days_per_week,hours_per_week,sector\nA,A,bio,4,9000,5,38,Q\n",
     "Columns appear twice: {columns}."),
    ("title,type,duration_value,postcode,days_per_week,hours_per_week,sector\n", "The file has a header but no offers."),
    ("title,type,duration_value,postcode,days_per_week,hours_per_week,sector,given_name\nA,bio,4,9000,5,38,Q,x\n",
     "Unknown columns: {columns}. Use the column names of the layout."),
])
def test_offer_files_are_read_by_the_same_rules_with_their_own_columns(text, message):
    from domain.offers_csv import read_offer_header

    with pytest.raises(UnreadableFile) as error:
        read_offer_header(text)
    assert error.value.violation.message == message
