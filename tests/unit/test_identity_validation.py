"""Identity data is checked where it enters: e-mail syntax, phone numbers in E.164, ISO 3166 codes, age."""

from datetime import date

import pytest

from domain.candidates import IdentityInput, validate_identity

TODAY = date(2026, 12, 4)


def fields_of(**values) -> tuple[dict, IdentityInput]:
    identity = IdentityInput(given_name="Rania", family_name="Qudsi", **values)
    return {v.field: v.message for v in validate_identity(identity, today=TODAY)}, identity


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "rania@", "ra nia@example.be", "rania@localhost"])
def test_a_wrong_email_is_refused(email):
    broken, _ = fields_of(email=email)
    assert broken == {"email": "Enter an e-mail address like name@example.be."}


@pytest.mark.parametrize("typed, stored", [("0470 12 34 56", "+32470123456"), ("09 223 45 67", "+3292234567"),
                                           ("0032 470 12 34 56", "+32470123456"), ("+33 6 12 34 56 78", "+33612345678")])
def test_phone_numbers_are_stored_in_e164_belgian_by_default(typed, stored):
    broken, identity = fields_of(phone=typed)
    assert broken == {} and identity.phone == stored


@pytest.mark.parametrize("phone", ["12", "call me", "0470 12", "+32 470 12 34 56 78 90"])
def test_an_impossible_phone_number_is_refused(phone):
    broken, _ = fields_of(phone=phone)
    assert "phone" in broken


@pytest.mark.parametrize("code", ["XX", "ZZ", "S1", "SYR"])
def test_a_country_that_is_not_iso_3166_is_refused(code):
    broken, _ = fields_of(nationality=code, country_of_origin=code)
    assert broken == {"nationality": "Use the two-letter country code, e.g. SY.",
                      "country_of_origin": "Use the two-letter country code, e.g. SY."}


def test_country_codes_are_stored_in_capitals():
    broken, identity = fields_of(nationality="sy", country_of_origin="af")
    assert broken == {} and (identity.nationality, identity.country_of_origin) == ("SY", "AF")


@pytest.mark.parametrize("born, ok", [(date(2011, 12, 4), True), (date(2011, 12, 5), False),
                                      (date(1946, 12, 5), True), (date(1945, 12, 4), False), (date(2026, 1, 1), False)])
def test_the_date_of_birth_is_plausible_15_to_80(born, ok):
    broken, _ = fields_of(date_of_birth=born)
    assert ("date_of_birth" not in broken) is ok
