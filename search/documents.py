"""Index documents. Each is built by one function from an explicit list of public fields.

The candidate document IS ``domain.anonymise.anonymised_profile``: there is no second builder.
"""

from datetime import UTC, date, datetime

from domain.anonymise import ProfileFacts, anonymised_profile
from domain.places import place_names
from domain.services.engagement import EmployerFacts
from domain.services.offers import OfferFacts

INDEXED_LANGUAGES = ("nl", "fr", "en", "de")


def skill_key(uri: str) -> str:
    """An ESCO URI's last segment (a UUID): Meilisearch ids allow only ``a-z A-Z 0-9 - _``."""
    return uri.rstrip("/").rsplit("/", 1)[-1]


def timestamp(value: date | datetime | None) -> int:
    if value is None:
        return 0
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time(), tzinfo=UTC)
    return int(value.timestamp())


def skill_document(uri: str, skill_type: str, labels: dict, alt: dict, group: dict | None = None) -> dict:
    """``label_xx`` falls back to English for search; ``langs`` says which labels are ESCO's own
    (a picker marks the English fallback "(EN)"); ``group_xx`` is the skill group shown beside it."""
    english = labels.get("en", "")
    group = group or {}
    return {
        "id": skill_key(uri),
        "uri": uri,
        "type": skill_type,
        "langs": sorted(lang for lang in ("en", "nl", "fr") if labels.get(lang)),
        **{f"label_{lang}": labels.get(lang) or english for lang in ("en", "nl", "fr")},
        **{f"alt_{lang}": list(alt.get(lang, [])) for lang in ("en", "nl", "fr")},
        **{f"group_{lang}": group.get(lang) or group.get("en", "") for lang in ("en", "nl", "fr")},
    }


def occupation_document(uri: str, isco: str | None, labels: dict, alt: dict) -> dict:
    english = labels.get("en", "")
    return {
        "id": skill_key(uri),
        "uri": uri,
        "isco": isco or "",
        "langs": sorted(lang for lang in ("en", "nl", "fr") if labels.get(lang)),
        **{f"label_{lang}": labels.get(lang) or english for lang in ("en", "nl", "fr")},
        **{f"alt_{lang}": list(alt.get(lang, [])) for lang in ("en", "nl", "fr")},
    }


def offer_document(offer: OfferFacts) -> dict:
    return {
        "id": offer.id,
        "title": offer.title,
        "organisation_id": offer.organisation_id,
        "organisation_name": offer.organisation_name,
        "type": offer.type,
        "status": offer.status,
        "sector": offer.sector,
        "municipality": offer.municipality,
        "region": offer.region,
        "_geo": {"lat": offer.lat, "lng": offer.lon},
        "skill_ids": offer.essential + offer.optional,
        "essential_ids": offer.essential,
        "optional_ids": offer.optional,
        **{f"lang_{code}": offer.languages.get(code, 0) for code in INDEXED_LANGUAGES},
        "languages": offer.languages,
        "education_rank": offer.education_rank,
        "days_per_week": offer.days_per_week,
        "hours_per_week": offer.hours_per_week,
        "duration_value": offer.duration_value,
        "duration_unit": offer.duration_unit,
        "start_until_ts": timestamp(offer.start_until),
        "published_ts": timestamp(offer.published_at),
        "places": offer.places,
    }


def candidate_document(facts: ProfileFacts) -> dict:
    return anonymised_profile(facts)


def employer_document(facts: EmployerFacts) -> dict:
    """An engaged employer for the directory: the employer's own facts, no candidate data."""
    return {
        "id": facts.id,
        "name": facts.name,
        "sector": facts.sector,
        "municipality": facts.municipality,
        "place_names": place_names(facts.municipality),  # Dutch and French: "Gand" finds Gent
        "region": facts.region,
        "province": facts.province,
        "offer_types": facts.offer_types,
        "open_offers": facts.open_offers,
        "has_trained_mentors": facts.has_trained_mentors,
        "live": facts.live,
        "last_engaged_ts": timestamp(facts.last_engaged_at),
    }
