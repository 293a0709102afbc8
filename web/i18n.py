"""Interface languages: Dutch, French and English, switchable, default from the browser (SPEC §7).

Catalogues are the ``.po`` files under ``web/locale``, loaded by ``domain.language`` (e-mails are
rendered in the recipient's language there too).
"""

import unicodedata
from functools import lru_cache

from babel import Locale

from domain.eligibility import COUNTRY_FIELDS, VALUE_LABELS
from domain.language import DEFAULT_LANGUAGE, LANGUAGES, LOCALE_DIR, translations  # noqa: F401 - re-exported
from domain.validation import Violation

COOKIE = "opstap_lang"


def negotiate(cookie_value: str | None, accept_language: str) -> str:
    """The user's chosen language, else the browser's first supported one, else English."""
    if cookie_value in LANGUAGES:
        return cookie_value
    weighted = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((-quality, position, tag.strip().split("-")[0].lower()))
    for negative_quality, _p, code in sorted(weighted):
        if code in LANGUAGES and negative_quality < 0:  # q=0 means "not acceptable"
            return code
    return DEFAULT_LANGUAGE


def explain(violation: Violation, lang: str) -> str:
    text = translations(lang).gettext(violation.message)
    return text.format(**violation.params) if violation.params else text


def field_errors(violations: list[Violation], lang: str) -> dict[str, str]:
    """The first message per field, in the user's language."""
    errors: dict[str, str] = {}
    for violation in violations:
        errors.setdefault(violation.field, explain(violation, lang))
    return errors


@lru_cache
def country_names(lang: str) -> dict[str, str]:
    """ISO 3166 two-letter codes -> country name in ``lang`` (Babel's CLDR data), sorted by name."""
    names = Locale.parse(lang).territories
    pseudo = {"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
    codes = [code for code in names if len(code) == 2 and code.isalpha() and code not in pseudo]
    return {code: names[code] for code in sorted(codes, key=lambda c: unicodedata.normalize("NFKD", names[c]).casefold())}


def duration_text(lang: str, years: int, months: int = 0, days: int = 0) -> str:
    """"6 years and 2 months" in ``lang``; only the parts that are not zero (months when all are)."""
    t = translations(lang)
    parts = []
    if years:
        parts.append(t.ngettext("%(num)d year", "%(num)d years", years) % {"num": years})
    if months or not (years or days):
        parts.append(t.ngettext("%(num)d month", "%(num)d months", months) % {"num": months})
    if days:
        parts.append(t.ngettext("%(num)d day", "%(num)d days", days) % {"num": days})
    if len(parts) == 1:
        return parts[0]
    return t.gettext("%(list)s and %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


def outcome_text(outcome: dict, lang: str) -> str:
    """A screening rule's outcome (``domain.eligibility.RuleOutcome`` as a dict) in the user's language."""
    t = translations(lang)
    params = dict(outcome.get("params", {}))
    field = outcome.get("field", "")

    def value(code: str) -> str:
        if field in COUNTRY_FIELDS:
            return f"{country_names(lang).get(code, code)} ({code})"
        label = VALUE_LABELS.get(field, {}).get(code)
        return t.gettext(label) if label else code

    for name in ("field", "label"):
        if name in params:
            params[name] = t.gettext(params[name])
    if "actual" in params:
        params["actual"] = value(params["actual"])
    if "allowed" in params:
        params["allowed"] = ", ".join(value(v) for v in params["allowed"])
    if "elapsed_years" in params:
        params["elapsed"] = duration_text(lang, params["elapsed_years"], params["elapsed_months"], params["elapsed_days"])
    if "limit_years" in params:
        params["limit"] = duration_text(lang, params["limit_years"])
    return t.gettext(outcome.get("message", "")).format(**params)
