"""Pseudonymous references: short, readable, and never running out as the pool grows."""

from domain.candidates import REFERENCE_ALPHABET, REFERENCE_LENGTH, new_reference


def test_a_reference_has_four_readable_characters_by_default():
    ref = new_reference()
    assert ref.startswith("K-") and len(ref) == 2 + REFERENCE_LENGTH
    assert set(ref[2:]) <= set(REFERENCE_ALPHABET)
    assert not set("01ILO") & set(REFERENCE_ALPHABET)


def test_a_longer_reference_can_be_asked_for_when_short_ones_are_taken():
    assert len(new_reference(5)) == 7
    assert len({new_reference(5) for _ in range(200)}) == 200  # 28.6 million to choose from
