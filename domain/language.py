"""The languages Opstap speaks (Dutch, French, English) and their catalogues, for pages, e-mails and
notifications alike. The catalogues are the ``.po`` files under ``web/locale``, compiled in memory on first
use, so no build step writes ``.mo`` files."""

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = {"nl": "Nederlands", "fr": "Français", "en": "English"}
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).parent.parent / "web" / "locale"


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


def known_language(lang: str | None) -> str | None:
    return lang if lang in LANGUAGES else None
