"""The employer's organisation profile: its rules. Pure Python."""

from dataclasses import dataclass, field

from domain.accounts import ORGANISATION_SIZES
from domain.offers import LANGUAGES, NACE_SECTIONS
from domain.validation import N_, Violation, required

STATEMENT_MAX = 1000


@dataclass
class OrganisationProfileInput:
    name: str = ""
    sector: str = ""
    postcode: str = ""
    size: str = ""
    workplace_languages: list[str] = field(default_factory=list)
    engagement_statement: str = ""
    in_directory: bool = True


def validate_profile(profile: OrganisationProfileInput, *, postcode_known: bool) -> list[Violation]:
    broken = []
    if not profile.name.strip():
        broken.append(required("name"))
    if profile.sector and profile.sector not in NACE_SECTIONS:
        broken.append(Violation("sector", N_("Choose a sector from the list.")))
    if profile.postcode.strip() and not postcode_known:
        broken.append(Violation("postcode", N_("{postcode} is not a Belgian postcode we know."),
                                {"postcode": profile.postcode}))
    if profile.size and profile.size not in ORGANISATION_SIZES:
        broken.append(Violation("size", N_("Choose a size from the list.")))
    if any(language not in LANGUAGES for language in profile.workplace_languages):
        broken.append(Violation("workplace_languages", N_("Choose languages from the list.")))
    if len(profile.engagement_statement) > STATEMENT_MAX:
        broken.append(Violation("engagement_statement", N_("Keep the statement to {max} characters at most."),
                                {"max": STATEMENT_MAX}))
    return broken
