"""Interface languages: Dutch, French and English, switchable, default from the browser (SPEC §7).

Catalogues are the ``.po`` files under ``web/locale``, compiled in memory at start-up, so no
build step writes ``.mo`` files.
"""

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from domain.validation import Violation

LANGUAGES = {"nl": "Nederlands", "fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).parent / "locale"
COOKIE = "opstap_lang"


@lru_cache
def translations(lang: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT_LANGUAGE or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


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
    return translations(lang).gettext(violation.message).format(**violation.params)


def field_errors(violations: list[Violation], lang: str) -> dict[str, str]:
    """The first message per field, in the user's language."""
    errors: dict[str, str] = {}
    for violation in violations:
        errors.setdefault(violation.field, explain(violation, lang))
    return errors
