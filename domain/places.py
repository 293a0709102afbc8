"""Belgian postcodes to municipalities, with approximate coordinates (reference data, read-only)."""

from dataclasses import dataclass

from seed.reference import places_by_postcode


@dataclass(frozen=True)
class Location:
    postcode: str
    municipality: str
    region: str
    lat: float
    lon: float


def locate(postcode: str, lang: str = "nl") -> Location | None:
    """The first municipality for a postcode; ``None`` when the postcode is unknown."""
    found = places_by_postcode(postcode.strip())
    if not found:
        return None
    place = found[0]
    return Location(place.postcode, place.name(lang), place.region, place.lat, place.lon)
