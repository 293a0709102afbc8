"""Who may do what: roles, the acting user, password and rate-limit rules. Pure Python."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email

from domain.validation import N_, Violation


class Role(StrEnum):
    EMPLOYER = "employer"
    COACH = "coach"
    NETWORK = "network"
    ADMIN = "admin"
    CANDIDATE = "candidate"


class OrganisationKind(StrEnum):
    EMPLOYER = "employer"
    COACHING_SERVICE = "coaching_service"
    SECTOR_NETWORK = "sector_network"


ROLE_ORGANISATION_KIND = {
    Role.EMPLOYER: OrganisationKind.EMPLOYER,
    Role.COACH: OrganisationKind.COACHING_SERVICE,
    Role.NETWORK: OrganisationKind.SECTOR_NETWORK,
}

ORGANISATION_SIZES = ("1-9", "10-49", "50-249", "250+")


@dataclass(frozen=True)
class Actor:
    """The signed-in user, as every service and route sees them."""

    id: int
    email: str
    name: str
    role: Role
    organisation_id: int | None
    organisation_name: str = ""
    language: str = ""  # nl | fr | en, chosen by the user; "" until they chose


MIN_PASSWORD_LENGTH = 10
LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILED_LOGINS = 5
INVITATION_VALIDITY = timedelta(days=14)

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_violations(password: str, field: str = "password") -> list[Violation]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return [Violation(field, N_("Use at least {min} characters."), {"min": MIN_PASSWORD_LENGTH})]
    return []


def email_violations(email: str, field: str = "email") -> list[Violation]:
    """Syntax only (email-validator, no DNS lookups): a wrong address is caught where it is typed."""
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        return [Violation(field, N_("Enter an e-mail address like name@example.be."))]
    return []


def login_blocked(failed_attempts_in_window: int) -> bool:
    return failed_attempts_in_window >= MAX_FAILED_LOGINS


def new_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry(now: datetime) -> datetime:
    return now + INVITATION_VALIDITY


# --- e-mailed, single-use account links: password reset and the candidate's login link -------------

ACCOUNT_LINK_VALIDITY = timedelta(hours=1)
LINK_REQUEST_WINDOW = timedelta(hours=1)
MAX_LINK_REQUESTS_PER_ADDRESS = 3  # per purpose, per hour
MAX_LINK_REQUESTS_PER_CLIENT = 20  # per purpose, per hour, from one IP address
API_TOKEN_DEFAULT_DAYS = 365
API_TOKEN_DAY_CHOICES = (30, 90, 365, 730)


def normalised_email(email: str) -> str:
    """The one spelling of an address that rate limits and look-ups use: no surrounding space, lower case."""
    return "".join(email.split()).lower()


def link_requests_allowed(by_address: int, by_client: int) -> bool:
    """Whether one more link may be e-mailed, given the requests in the window for the address and the client."""
    return by_address < MAX_LINK_REQUESTS_PER_ADDRESS and by_client < MAX_LINK_REQUESTS_PER_CLIENT
