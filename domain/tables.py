"""SQLModel table models: the only place tables are declared."""

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Aware UTC; SQLModel's UTCDateTime stores and returns it the same on SQLite and PostgreSQL."""
    return datetime.now(UTC)


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)  # employer | coaching_service | sector_network
    name: str
    sector: str = ""  # NACE section letter
    postcode: str = ""
    municipality: str = ""
    region: str = ""
    size: str = ""
    workplace_languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    engagement_statement: str = ""
    in_directory: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True)
    name: str = ""
    password_hash: str
    role: str  # employer | coach | network | admin | candidate
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class Invitation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    email: str
    token_hash: str = Field(unique=True)
    invited_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class LoginAttempt(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True)  # the e-mail address tried, lower-cased
    at: datetime = Field(default_factory=utcnow, index=True)
    succeeded: bool = False


class Skill(SQLModel, table=True):
    uri: str = Field(primary_key=True)
    type: str = ""
    labels: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    alt: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    search_text: str = ""  # every label, lower-cased, for the database-backed picker


class Occupation(SQLModel, table=True):
    uri: str = Field(primary_key=True)
    isco: str | None = None
    labels: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    search_text: str = ""


class Offer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    type: str
    status: str = Field(default="draft", index=True)
    title: str
    description: str = ""
    occupation_uri: str | None = Field(default=None, foreign_key="occupation.uri")
    duration_value: int
    duration_unit: str
    education_min: str = "none"
    field_of_study: str = ""
    postcode: str
    municipality: str
    region: str
    lat: float
    lon: float
    remote_days: int = 0
    days_per_week: int
    hours_per_week: int
    start_from: date | None = None
    start_until: date | None = None
    places: int = 1
    sector: str
    accessibility_notes: str = ""
    monthly_pay_eur: int | None = None
    followup_contract_months: int | None = None
    followup_open_ended: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None


class OfferSkill(SQLModel, table=True):
    offer_id: int = Field(foreign_key="offer.id", primary_key=True)
    skill_uri: str = Field(foreign_key="skill.uri", primary_key=True)
    essential: bool = True
    position: int = 0


class OfferLanguage(SQLModel, table=True):
    offer_id: int = Field(foreign_key="offer.id", primary_key=True)
    language: str = Field(primary_key=True)
    min_level: str


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    action: str
    subject: str  # e.g. "offer:12"
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


__all__ = [
    "AuditEntry", "Invitation", "LoginAttempt", "Occupation", "Offer", "OfferLanguage", "OfferSkill",
    "Organisation", "Skill", "UniqueConstraint", "User", "utcnow",
]
