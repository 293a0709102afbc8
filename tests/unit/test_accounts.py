"""Account rules: password length, e-mail format, login rate limit, password hashing."""

import pytest

from domain.accounts import (
    email_violations,
    hash_password,
    login_blocked,
    password_matches,
    password_violations,
)


def messages(violations) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for v in violations:
        found.setdefault(v.field, []).append(v.message.format(**v.params))
    return found


@pytest.mark.parametrize(("password", "ok"), [("", False), ("x" * 9, False), ("x" * 10, True), ("x" * 64, True)])
def test_password_needs_at_least_10_characters(password, ok):
    expected = {} if ok else {"password": ["Use at least 10 characters."]}
    assert messages(password_violations(password)) == expected


def test_password_violation_uses_the_given_field_name():
    assert messages(password_violations("short", field="new_password")) == {
        "new_password": ["Use at least 10 characters."]
    }


@pytest.mark.parametrize("email", ["name@example.be", "first.last+tag@sub.example.org", "  name@example.be  "])
def test_well_formed_email_is_accepted(email):
    assert email_violations(email) == []


@pytest.mark.parametrize("email", [
    "", "name", "name@", "@example.be", "name@example", "name @example.be", "name@exa mple.be",
])
def test_malformed_email_is_refused(email):
    assert messages(email_violations(email)) == {"email": ["Enter an e-mail address like name@example.be."]}


def test_email_with_two_at_signs_is_refused():
    assert email_violations("name@host@example.be") != []


@pytest.mark.parametrize(("failures", "blocked"), [(0, False), (4, False), (5, True), (6, True)])
def test_login_is_blocked_from_the_fifth_failure(failures, blocked):
    assert login_blocked(failures) is blocked


def test_hashed_password_matches_itself():
    hashed = hash_password("correct horse battery")
    assert hashed != "correct horse battery"
    assert password_matches(hashed, "correct horse battery")


def test_hashed_password_uses_argon2():
    assert hash_password("correct horse battery").startswith("$argon2")


def test_wrong_password_does_not_match():
    assert not password_matches(hash_password("correct horse battery"), "correct horse battery!")


def test_same_password_hashes_differently_each_time():
    assert hash_password("correct horse battery") != hash_password("correct horse battery")


def test_garbage_hash_does_not_match():
    assert not password_matches("not-a-hash", "correct horse battery")
