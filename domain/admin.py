"""What an administrator may change and how: organisations, users' roles, programme rules as data. Pure."""

from domain.accounts import ROLE_ORGANISATION_KIND, OrganisationKind, Role
from domain.eligibility import (
    COUNTRY_FIELDS,
    DATE_FIELDS,
    EU_MEMBER_STATES,
    OPS,
    SET_FIELDS,
    VALUE_LABELS,
    rule_problem,
)
from domain.validation import N_, Violation, required

ORGANISATION_KIND_LABELS = {
    OrganisationKind.EMPLOYER: N_("Employer"),
    OrganisationKind.COACHING_SERVICE: N_("Coaching service"),
    OrganisationKind.SECTOR_NETWORK: N_("Sector network"),
}
ROLE_LABELS = {
    Role.EMPLOYER: N_("Employer member"),
    Role.COACH: N_("Job coach"),
    Role.NETWORK: N_("Sector network member"),
    Role.ADMIN: N_("Administrator"),
    Role.CANDIDATE: N_("Candidate"),
}
OP_LABELS = {
    "in": N_("is one of"),
    "not_in": N_("is none of"),
    "within_years": N_("at most this many years ago"),
    "at_least_years": N_("at least this many years ago"),
}
ORGANISATION_NAME_MAX = 200


def organisation_name_violations(name: str) -> list[Violation]:
    if not name.strip():
        return [required("name")]
    if len(name.strip()) > ORGANISATION_NAME_MAX:
        return [Violation("name", N_("Keep the name to {max} characters at most."), {"max": ORGANISATION_NAME_MAX})]
    return []


def roles_for(kind: str | None) -> list[Role]:
    """The roles a user of an organisation of ``kind`` (None: no organisation) may have."""
    own = [role for role, k in ROLE_ORGANISATION_KIND.items() if k == kind]
    return own + [Role.ADMIN]


def role_change_violations(current: str, new: str, organisation_kind: str | None) -> list[Violation]:
    if current == Role.CANDIDATE:
        return [Violation("role", N_("A candidate's login belongs to their profile; its role cannot change."))]
    if new not in {r.value for r in roles_for(organisation_kind)}:
        return [Violation("role", N_("This role does not fit the user's organisation."))]
    return []


def parse_rule(field: str, op: str, raw_value: str) -> tuple[dict, list[Violation]]:
    """A rule from the admin's form: values as a comma-separated list of codes, or a whole number of years."""
    field, op, raw_value = field.strip(), op.strip(), raw_value.strip()
    if field not in SET_FIELDS + DATE_FIELDS:
        return {}, [Violation("field", N_("Choose a field from the list."))]
    if op not in OPS:
        return {}, [Violation("op", N_("Choose an operation from the list."))]
    if field in SET_FIELDS:
        if op not in ("in", "not_in"):
            return {}, [Violation("op", N_("For this field, choose “is one of” or “is none of”."))]
        values = list(dict.fromkeys(v.strip() for v in raw_value.split(",") if v.strip()))
        if field in COUNTRY_FIELDS:
            values = [v.upper() for v in values]
            if any(len(v) != 2 or not v.isalpha() for v in values):
                return {}, [Violation("value", N_("Give two-letter country codes separated by commas, e.g. SY, AF."))]
        elif any(v not in VALUE_LABELS[field] for v in values):
            return {}, [Violation("value", N_("Use these values, separated by commas: {values}."),
                                  {"values": ", ".join(VALUE_LABELS[field])})]
        if not values:
            return {}, [Violation("value", N_("Give at least one value."))]
        rule = {"field": field, "op": op, "value": values}
        if field in COUNTRY_FIELDS and set(values) == set(EU_MEMBER_STATES):
            rule["label"] = "eu"
        return rule, []
    if op not in ("within_years", "at_least_years"):
        return {}, [Violation("op", N_("For a date, choose “at most” or “at least” this many years ago."))]
    if not raw_value.isdigit() or int(raw_value) > 100:
        return {}, [Violation("value", N_("Give a whole number of years from 0 to 100."))]
    rule = {"field": field, "op": op, "value": int(raw_value)}
    assert rule_problem(rule) is None
    return rule, []


def rule_value_text(rule: dict) -> str:
    """The rule's value as the admin's form shows it."""
    value = rule.get("value")
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value if value is not None else "")
