"""Belgian postcodes to municipalities, with approximate coordinates (reference data, read-only)."""

from dataclasses import dataclass

from domain.validation import N_
from seed.reference import places_by_postcode

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


def locate(postcode: str, lang: str = "nl") -> Location | None:
    """The first municipality for a postcode; ``None`` when the postcode is unknown."""
    found = places_by_postcode(postcode.strip())
    if not found:
        return None
    place = found[0]
    province = _PROVINCE_CODES.get((place.province or {}).get("nl", ""), "")
    return Location(place.postcode, place.name(lang), place.region, place.lat, place.lon, province)
