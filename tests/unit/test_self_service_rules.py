"""What a candidate may change on their own profile, and how a change is recorded. Pure rules."""

from datetime import date

from domain.candidates import (
    SELF_SERVICE_FIELDS,
    LanguageLevel,
    ProfileInput,
    message_violations,
    profile_changes,
    with_own_changes,
)
from domain.offers import EducationLevel, OfferType


def test_only_the_self_service_fields_are_taken_from_what_the_candidate_typed():
    saved = ProfileInput(postcode="9000", education_level=EducationLevel.MASTER, summary="coach's words",
                         days_per_week=5, programme="level_at_work")
    typed = ProfileInput(postcode="1000", education_level=EducationLevel.NONE, summary="mine", days_per_week=2,
                         available_from=date(2027, 1, 4), languages=[LanguageLevel("fr", "B2")])
    merged = with_own_changes(saved, typed)
    assert (merged.postcode, merged.education_level, merged.summary, merged.programme) == \
        ("9000", EducationLevel.MASTER, "coach's words", "level_at_work")
    assert (merged.days_per_week, merged.available_from, merged.languages) == \
        (2, date(2027, 1, 4), [LanguageLevel("fr", "B2")])
    assert "postcode" not in SELF_SERVICE_FIELDS and "summary" not in SELF_SERVICE_FIELDS


def test_changes_are_recorded_as_plain_values_and_order_does_not_count():
    before = ProfileInput(accepted_offer_types=[OfferType.PAID_TRAINEESHIP, OfferType.GETTING_TO_KNOW],
                          languages=[LanguageLevel("nl", "A2")], available_from=date(2027, 1, 1))
    after = ProfileInput(accepted_offer_types=[OfferType.GETTING_TO_KNOW, OfferType.PAID_TRAINEESHIP],
                         languages=[LanguageLevel("nl", "B1")], available_from=date(2027, 2, 1))
    assert profile_changes(before, after) == {"languages": [["nl:A2"], ["nl:B1"]],
                                              "available_from": ["2027-01-01", "2027-02-01"]}
    assert profile_changes(before, before) == {}


def test_a_message_to_the_coach_must_say_something_and_stay_short():
    assert message_violations("  ")[0].field == "message"
    assert message_violations("x" * 2001)[0].params == {"max": 2000}
    assert message_violations("Please correct my phone number.") == []
