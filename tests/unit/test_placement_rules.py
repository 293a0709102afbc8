"""Mentor, check-in, outcome and early-warning rules (SPEC §5), and the consent text (what is shared)."""

from datetime import date, timedelta

import pytest

from domain.interest import consent_text, disclosed_fields, validate_decline
from domain.placement import (
    CheckInInput,
    ContractType,
    Flag,
    MentorInput,
    Outcome,
    OutcomeInput,
    Rating,
    follow_up_flags,
    start_violations,
    validate_check_in,
    validate_end_reason,
    validate_mentor,
    validate_outcome,
)

TODAY = date(2026, 6, 15)
IBO, BIO, GTK = "work_based_training", "paid_traineeship", "getting_to_know"


def fields(violations):
    return {v.field for v in violations}


def mentor(**overrides) -> MentorInput:
    values = dict(name="Ilse Maes", role="Head nurse", email="ilse@delinde.be", languages=["nl", "fr"],
                  training_completed=True, training_completed_on=date(2026, 1, 20))
    values.update(overrides)
    return MentorInput(**values)


def test_a_complete_mentor_is_valid():
    assert validate_mentor(mentor(), today=TODAY) == []
    assert validate_mentor(mentor(training_completed=False, training_completed_on=None), today=TODAY) == []


@pytest.mark.parametrize(("overrides", "field"), [
    (dict(name=" "), "name"), (dict(role=""), "role"), (dict(email=""), "email"), (dict(email="ilse@"), "email"),
    (dict(languages=[]), "languages"), (dict(languages=["xx"]), "languages"),
    (dict(training_completed_on=None), "training_completed_on"),
    (dict(training_completed_on=TODAY + timedelta(days=1)), "training_completed_on"),
])
def test_mentor_rules(overrides, field):
    assert fields(validate_mentor(mentor(**overrides), today=TODAY)) == {field}


def test_a_placement_starts_only_with_a_mentor():
    assert fields(start_violations(False)) == {"mentor"}
    assert start_violations(True) == []


@pytest.mark.parametrize(("check_in", "field"), [
    (CheckInInput(None, Rating.GOOD), "on"),
    (CheckInInput(TODAY + timedelta(days=1), Rating.GOOD), "on"),
    (CheckInInput(date(2026, 1, 1), Rating.GOOD), "on"),
    (CheckInInput(TODAY, None), "rating"),
    (CheckInInput(TODAY, Rating.CONCERN, " "), "note"),
    (CheckInInput(TODAY, Rating.GOOD, "x" * 2001), "note"),
])
def test_check_in_rules(check_in, field):
    assert fields(validate_check_in(check_in, today=TODAY, placement_created=date(2026, 3, 1))) == {field}


def test_a_concern_with_a_note_is_valid():
    assert validate_check_in(CheckInInput(TODAY, Rating.CONCERN, "Late three times"), today=TODAY,
                             placement_created=date(2026, 3, 1)) == []


@pytest.mark.parametrize(("state", "started", "last", "rating", "flags"), [
    ("active", TODAY - timedelta(days=13), None, None, []),
    ("active", TODAY - timedelta(days=14), None, None, [Flag.NO_CHECK_IN]),
    ("active", TODAY - timedelta(days=60), TODAY - timedelta(days=13), "good", []),
    ("active", TODAY - timedelta(days=60), TODAY - timedelta(days=14), "good", [Flag.NO_CHECK_IN]),
    ("active", TODAY - timedelta(days=60), TODAY - timedelta(days=2), "concern", [Flag.CONCERN]),
    ("active", TODAY - timedelta(days=60), TODAY - timedelta(days=20), "concern", [Flag.NO_CHECK_IN, Flag.CONCERN]),
    ("active", TODAY - timedelta(days=60), TODAY - timedelta(days=2), "attention", []),
    ("planned", None, None, None, []),
    ("planned", None, TODAY - timedelta(days=1), "concern", [Flag.CONCERN]),
    ("completed", TODAY - timedelta(days=90), TODAY - timedelta(days=30), "concern", []),
    ("ended_early", TODAY - timedelta(days=90), None, None, []),
])
def test_early_warning_flags(state, started, last, rating, flags):
    assert follow_up_flags(state, started, last, rating, TODAY) == flags


@pytest.mark.parametrize(("offer_type", "result", "broken"), [
    (BIO, OutcomeInput(None), {"outcome"}),
    (BIO, OutcomeInput(Outcome.NO_HIRE), set()),
    (BIO, OutcomeInput(Outcome.FURTHER_TRAINING), set()),
    (BIO, OutcomeInput(Outcome.HIRED), {"contract_type"}),
    (BIO, OutcomeInput(Outcome.HIRED, ContractType.FIXED_TERM), {"contract_months"}),
    (BIO, OutcomeInput(Outcome.HIRED, ContractType.FIXED_TERM, 3), set()),
    (BIO, OutcomeInput(Outcome.HIRED, ContractType.FIXED_TERM, 0), {"contract_months"}),
    (BIO, OutcomeInput(Outcome.HIRED, ContractType.TEMPORARY_AGENCY, 2), set()),
    (BIO, OutcomeInput(Outcome.HIRED, ContractType.OPEN_ENDED), set()),
    (GTK, OutcomeInput(Outcome.HIRED, ContractType.OPEN_ENDED), set()),
    # A work-based training (IBO) is completed only with the follow-up contract: ≥ 6 months or open-ended.
    (IBO, OutcomeInput(Outcome.NO_HIRE), {"outcome"}),
    (IBO, OutcomeInput(Outcome.FURTHER_TRAINING), {"outcome"}),
    (IBO, OutcomeInput(Outcome.HIRED), {"contract_type"}),
    (IBO, OutcomeInput(Outcome.HIRED, ContractType.FIXED_TERM, 5), {"contract_months"}),
    (IBO, OutcomeInput(Outcome.HIRED, ContractType.FIXED_TERM, None), {"contract_months"}),
    (IBO, OutcomeInput(Outcome.HIRED, ContractType.FIXED_TERM, 6), set()),
    (IBO, OutcomeInput(Outcome.HIRED, ContractType.OPEN_ENDED), set()),
    (IBO, OutcomeInput(Outcome.HIRED, ContractType.TEMPORARY_AGENCY, 12), {"contract_type"}),
])
def test_outcome_rules(offer_type, result, broken):
    assert fields(validate_outcome(result, offer_type)) == broken


def test_ending_early_needs_a_reason():
    assert fields(validate_end_reason("  ")) == {"end_reason"}
    assert fields(validate_end_reason("Moved to Antwerp")) == {"end_reason"}  # a reason from the list, not free text
    assert validate_end_reason("travel_schedule", "Moved to Antwerp") == []
    assert fields(validate_end_reason("travel_schedule", "x" * 1001)) == {"end_note"}


def test_decline_needs_a_reason_from_the_list():
    assert fields(validate_decline("", "")) == {"reason"}
    assert fields(validate_decline("because", "")) == {"reason"}
    assert validate_decline("distance", "Two hours by bus") == []


def test_what_accepting_discloses_and_the_consent_says():
    assert disclosed_fields("a@b.be", "+32 470") == ["name", "email", "phone"]
    assert disclosed_fields("a@b.be", "") == ["name", "email"]
    assert disclosed_fields("", "") == ["name"]
    text = consent_text("WZC De Linde", "Zorgkundige", ["name", "email"])
    assert "WZC De Linde sees my name and my e-mail address" in text
    assert "Zorgkundige" in text and "phone" not in text
    assert "date of birth, nationality, country of origin" in text
