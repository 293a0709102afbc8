"""Belgian postcodes to municipalities, with approximate coordinates (reference data, read-only)."""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from domain.reference import Place, places, places_by_postcode
from domain.validation import N_

REGION_LABELS = {
    "brussels": N_("Brussels-Capital Region"),
    "flanders": N_("Flanders"),
    "wallonia": N_("Wallonia"),
}

# The ten provinces by ISO 3166-2:BE code, in the order of the regions above; Brussels has none.
PROVINCES = {
    "VAN": ("flanders", N_("Antwerp")),
    "VBR": ("flanders", N_("Flemish Brabant")),
    "VLI": ("flanders", N_("Limburg")),
    "VOV": ("flanders", N_("East Flanders")),
    "VWV": ("flanders", N_("West Flanders")),
    "WBR": ("wallonia", N_("Walloon Brabant")),
    "WHT": ("wallonia", N_("Hainaut")),
    "WLG": ("wallonia", N_("Liège")),
    "WLX": ("wallonia", N_("Luxembourg")),
    "WNA": ("wallonia", N_("Namur")),
}
PROVINCE_LABELS = {code: label for code, (_region, label) in PROVINCES.items()}

# The reference data names provinces in Dutch and French; this is the Dutch name -> code.
_PROVINCE_CODES = {
    "Antwerpen": "VAN", "Vlaams-Brabant": "VBR", "Limburg": "VLI", "Oost-Vlaanderen": "VOV",
    "West-Vlaanderen": "VWV", "Waals-Brabant": "WBR", "Henegouwen": "WHT", "Luik": "WLG", "Luxemburg": "WLX",
    "Namen": "WNA",
}


@dataclass(frozen=True)
class Location:
    postcode: str
    municipality: str
    region: str
    lat: float
    lon: float
    province: str = ""  # ISO 3166-2:BE code; "" in the Brussels-Capital Region


def _key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ").split())


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Place]:
    """Every municipality name, Dutch and French (case, accents and hyphens ignored) -> its place with the
    lowest postcode ("Bruxelles" and "Brussel" -> 1000, "Gand" and "Gent" -> 9000)."""
    found: dict[str, Place] = {}
    for place in places():  # sorted by postcode
        for name in place.municipality.values():
            found.setdefault(_key(name), place)
    return found


def place_names(name: str) -> list[str]:
    """A municipality's names in Dutch and French, from either ("Anvers" -> ["Antwerpen", "Anvers"]);
    ``[name]`` when it is not a Belgian municipality."""
    place = _by_name().get(_key(name))
    if place is None:
        return [name] if name else []
    return list(dict.fromkeys(v for k in ("nl", "fr") if (v := place.municipality.get(k))))


def find_place(text: str) -> Place | None:
    """What someone typed as a place: a postcode ("9000", "9000 Gent") or a municipality name in Dutch or
    French ("Gand", "Gent")."""
    text = text.strip()
    if text[:1].isdigit():
        digits = text[:4]
        if len(digits) < 4 or not digits.isdigit() or (len(text) > 4 and text[4].isdigit()):
            return None
        found = places_by_postcode(digits)
        return found[0] if found else None
    return _by_name().get(_key(text))


def locate(postcode: str, lang: str = "nl") -> Location | None:
    """The municipality for a postcode or a municipality name (Dutch or French); ``None`` when unknown."""
    place = find_place(postcode)
    if place is None:
        return None
    province = _PROVINCE_CODES.get((place.province or {}).get("nl", ""), "")
    return Location(place.postcode, place.name(lang), place.region, place.lat, place.lon, province)
