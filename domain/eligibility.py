"""Programme eligibility: rules are data, evaluated by the coach at screening (SPEC §3). Pure: no I/O.

A programme's rules are a list of plain dicts, stored with the programme in the database::

    {"field": "nationality", "op": "not_in", "value": ["AT", "BE", ...], "label": "eu"}
    {"field": "education_level", "op": "in", "value": ["bachelor", "master", "doctorate"]}
    {"field": "arrival_date", "op": "within_years", "value": 5}

``evaluate`` checks every rule against a candidate's screening facts (identity and profile) and
says, per rule, whether it passed and why, as a message with parameters the web layer translates
("Arrived in Belgium 6 years and 2 months ago (limit 5 years)."). A fact that is not recorded
fails its rule: the coach records it and screens again. The employer only ever sees the outcome.
"""

import calendar
from dataclasses import asdict, dataclass, field
from datetime import date

from domain.validation import N_

# The facts a rule may look at; each comes from the candidate's identity or profile.
DATE_FIELDS = ("arrival_date", "date_of_birth")
SET_FIELDS = ("nationality", "country_of_origin", "education_level", "diploma_recognition")
SCREENING_FIELDS = DATE_FIELDS + SET_FIELDS
COUNTRY_FIELDS = ("nationality", "country_of_origin")

# How a fact reads in a sentence: date facts as a past event, the others as a noun.
FIELD_LABELS = {
    "nationality": N_("Nationality"),
    "country_of_origin": N_("Country of origin"),
    "education_level": N_("Education level"),
    "diploma_recognition": N_("Diploma recognition"),
    "arrival_date": N_("Arrived in Belgium"),
    "date_of_birth": N_("Born"),
}
FIELD_NOUNS = {**FIELD_LABELS, "arrival_date": N_("Date of arrival in Belgium"), "date_of_birth": N_("Date of birth")}

# Names for value sets a rule may refer to with "label" (so the sentence does not list 27 codes).
SET_LABELS = {"eu": N_("an EU member state")}

VALUE_LABELS = {
    "education_level": {"none": N_("No diploma"), "secondary": N_("Secondary school"), "bachelor": N_("Bachelor"),
                        "master": N_("Master"), "doctorate": N_("Doctorate")},
    "diploma_recognition": {"obtained": N_("Recognition obtained"), "pending": N_("Recognition pending"),
                            "not_requested": N_("Recognition not requested")},
}

EU_MEMBER_STATES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
                    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")

MISSING = N_("{field}: not recorded. Record it and screen again.")
UNCHECKABLE = N_("This rule cannot be checked ({rule}). Ask an administrator to correct the programme.")

# op -> (message when passed, message when failed). Set ops have a second pair for labelled sets.
MESSAGES = {
    "in": (N_("{field}: {actual}, accepted ({allowed})."), N_("{field}: {actual}, not accepted (accepted: {allowed}).")),
    "not_in": (N_("{field}: {actual}, not excluded."), N_("{field}: {actual}, excluded ({allowed}).")),
    "not_in_labelled": (N_("{field}: {actual} is not {label}."), N_("{field}: {actual} is {label}.")),
    "in_labelled": (N_("{field}: {actual} is {label}."), N_("{field}: {actual} is not {label}.")),
    "within_years": (N_("{field} {elapsed} ago (limit {limit})."), N_("{field} {elapsed} ago (limit {limit}).")),
    "at_least_years": (N_("{field} {elapsed} ago (at least {limit})."),
                       N_("{field} {elapsed} ago (at least {limit}).")),
}
OPS = ("in", "not_in", "within_years", "at_least_years")


@dataclass(frozen=True)
class RuleOutcome:
    """One rule, checked. ``message`` is a msgid; ``params`` holds JSON-safe values for it.

    Param conventions the web layer formats: ``field``/``label`` are msgids; ``actual`` and
    ``allowed`` are raw values (codes) of ``field``; ``elapsed_years``/``elapsed_months``/
    ``elapsed_days`` and ``limit_years`` are numbers that become "6 years and 2 months".
    """

    field: str
    op: str
    passed: bool
    message: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Screened:
    eligible: bool
    outcomes: list[RuleOutcome]


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def elapsed(since: date, today: date) -> tuple[int, int, int]:
    """Whole (years, months, days) from ``since`` to ``today``; zero when ``since`` is in the future."""
    if since >= today:
        return 0, 0, 0
    months = (today.year - since.year) * 12 + today.month - since.month
    if add_months(since, months) > today:
        months -= 1
    days = (today - add_months(since, months)).days
    return months // 12, months % 12, days


def _date_rule(rule: dict, actual: date, today: date) -> RuleOutcome:
    op, limit = rule["op"], int(rule["value"])
    boundary = add_years(actual, limit)
    passed = today <= boundary if op == "within_years" else today >= boundary
    years, months, days = elapsed(actual, today)
    # Days matter only right at the limit: "5 years and 1 day" explains why 5 years failed.
    show_days = days if years * 12 + months == limit * 12 else 0
    return RuleOutcome(rule["field"], op, passed, MESSAGES[op][0 if passed else 1], {
        "field": FIELD_LABELS[rule["field"]], "elapsed_years": years, "elapsed_months": months,
        "elapsed_days": show_days, "limit_years": limit,
    })


def _set_rule(rule: dict, actual: str) -> RuleOutcome:
    op, values = rule["op"], [str(v) for v in rule["value"]]
    passed = (actual in values) if op == "in" else (actual not in values)
    label = SET_LABELS.get(rule.get("label", ""))
    key = f"{op}_labelled" if label else op
    params = {"field": FIELD_LABELS[rule["field"]], "actual": actual, "allowed": values}
    if label:
        params["label"] = label
    return RuleOutcome(rule["field"], op, passed, MESSAGES[key][0 if passed else 1], params)


def rule_problem(rule: dict) -> str | None:
    """Why a rule cannot be evaluated, or None when it is well formed."""
    if not isinstance(rule, dict) or rule.get("op") not in OPS:
        return "unknown operation"
    name = rule.get("field")
    if rule["op"] in ("in", "not_in"):
        if name not in SET_FIELDS or not isinstance(rule.get("value"), list):
            return "a set rule needs a field like nationality and a list of values"
    elif name not in DATE_FIELDS or not isinstance(rule.get("value"), int) or rule["value"] < 0:
        return "a years rule needs a date field and a whole number of years"
    return None


def evaluate(rules: list[dict], facts: dict, today: date) -> Screened:
    """Every rule checked against ``facts`` (field name -> value; dates as ``date``)."""
    outcomes = []
    for rule in rules:
        problem = rule_problem(rule)
        if problem:
            outcomes.append(RuleOutcome(str(rule.get("field", "")) if isinstance(rule, dict) else "", "invalid",
                                        False, UNCHECKABLE, {"rule": problem}))
            continue
        actual = facts.get(rule["field"])
        if actual in (None, ""):
            outcomes.append(RuleOutcome(rule["field"], rule["op"], False, MISSING,
                                        {"field": FIELD_NOUNS[rule["field"]]}))
        elif rule["field"] in DATE_FIELDS:
            outcomes.append(_date_rule(rule, actual, today))
        else:
            outcomes.append(_set_rule(rule, str(actual)))
    return Screened(eligible=bool(outcomes) and all(o.passed for o in outcomes), outcomes=outcomes)
