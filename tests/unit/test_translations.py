"""The Dutch and French catalogues are complete and keep every placeholder of the English text.

Reads the ``.po`` files only (the ``.pot`` template is generated and not in git).
"""

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[2] / "web" / "locale"
LANGUAGES = ("nl", "fr")

# %(name)s, %(num)d, %s and %% (printf style, as gettext and Jinja's newstyle gettext format them).
PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
# {name}, {name!r}, {0:>3} (str.format style); {{ and }} are escaped braces, not placeholders.
FORMAT = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def placeholders(text: str) -> Counter:
    return Counter(PRINTF.findall(text)) + Counter("{" + name + "}" for name in FORMAT.findall(text))


def catalogue(lang: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def messages(lang: str):
    return [message for message in catalogue(lang) if message.id]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_has_messages(lang):
    assert messages(lang), f"{lang}: the catalogue holds no messages"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang):
    untranslated = []
    for message in messages(lang):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not strings or not all(s.strip() for s in strings):
            untranslated.append(message.id)
    assert not untranslated, f"{lang}: {len(untranslated)} without a translation: {untranslated[:20]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_is_fuzzy(lang):
    fuzzy = [message.id for message in messages(lang) if message.fuzzy]
    assert not fuzzy, f"{lang}: {len(fuzzy)} fuzzy: {fuzzy[:20]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_messages_fill_every_form(lang):
    cat = catalogue(lang)
    for message in messages(lang):
        if message.pluralizable:
            assert len(message.string) == cat.num_plurals, f"{lang}: {message.id!r} has the wrong number of forms"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang):
    """The same set of placeholders as the English; a name may repeat, but none may be added, lost or renamed."""
    wrong = []
    for message in messages(lang):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(placeholders(text) for text in ids))
        for index, text in enumerate(strings):
            found = set(placeholders(text))
            if text and found != expected:
                wrong.append(f"{message.id!r} [{index}]: {sorted(expected)} != {sorted(found)} in {text!r}")
    assert not wrong, f"{lang}: placeholders differ:\n" + "\n".join(wrong)


def test_placeholder_pattern():
    assert placeholders("%(num)d of %(total)s, 50%%, {max} {{literal}}") == Counter(
        {"%(num)d": 1, "%(total)s": 1, "%%": 1, "{max}": 1})
