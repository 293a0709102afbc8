"""Index documents. Each is built by one function from an explicit list of public fields.

The candidate document IS ``domain.anonymise.anonymised_profile`` plus one internal matching field,
``skill_nums`` (the same skills as integers, which carry no identity): there is no second builder.
"""

import hashlib
from datetime import UTC, date, datetime
from functools import lru_cache

from domain.anonymise import ProfileFacts, anonymised_profile
from domain.places import place_names
from domain.services.engagement import EmployerFacts
from domain.services.offers import OfferFacts

INDEXED_LANGUAGES = ("nl", "fr", "en", "de")


def skill_key(uri: str) -> str:
    """An ESCO URI's last segment (a UUID): Meilisearch ids allow only ``a-z A-Z 0-9 - _``."""
    return uri.rstrip("/").rsplit("/", 1)[-1]


@lru_cache(maxsize=1 << 16)  # ESCO has 13,896 skills; hashing each once per process
def skill_number(uri: str) -> int:
    """A stable integer for an ESCO skill URI (48 bits of its BLAKE2b hash), for filters and hits.

    Self-contained on purpose: no table or migration, the same in every process and index. Integers
    keep filters and hits small (a URI is ~70 bytes). 48 bits stay exact in Meilisearch's numbers
    (< 2^53); tests/unit/test_skill_numbers.py checks they are unique over all 13,896 official ESCO skills.
    """
    return int.from_bytes(hashlib.blake2b(uri.encode(), digest_size=6).digest(), "big")


def skill_numbers(uris) -> list[int]:
    return [skill_number(uri) for uri in uris]


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
        "skill_nums": skill_numbers(offer.essential + offer.optional),
        "essential_ids": offer.essential,
        "taught_ids": offer.taught,
        "optional_ids": offer.optional,
        "essential_nums": skill_numbers(offer.essential),
        "taught_nums": skill_numbers(offer.taught),
        "optional_nums": skill_numbers(offer.optional),
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
        "monthly_pay_eur": offer.monthly_pay_eur,
    }


def candidate_document(facts: ProfileFacts) -> dict:
    """``anonymised_profile(facts)`` and ``skill_nums``: its skills as integers, for matching only."""
    document = anonymised_profile(facts)
    document["skill_nums"] = skill_numbers(document["skill_ids"])
    return document


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
