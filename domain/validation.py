"""The shape of a broken rule, shared by every pure rule module.

Messages are plain English marked with ``N_`` so Babel extracts them; the web layer
translates them with the user's language and fills in ``params``.
"""

from dataclasses import dataclass, field


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    return message


REQUIRED = "required"
INVALID = "invalid"


@dataclass(frozen=True)
class Violation:
    field: str
    message: str
    params: dict = field(default_factory=dict)
    code: str = INVALID


class RuleBroken(Exception):
    """Raised by services when input breaks one or more rules; nothing has been written."""

    def __init__(self, violations: list[Violation]):
        super().__init__("; ".join(f"{v.field}: {v.message}" for v in violations))
        self.violations = violations


class NotAllowed(Exception):
    """The actor may not do this (wrong role, organisation or state)."""


class NotFound(Exception):
    """Nothing the actor may see exists under that id."""


def required(field_name: str) -> Violation:
    return Violation(field_name, N_("This field is required."), code=REQUIRED)
