"""SQLModel table models: the only place tables are declared."""

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, text
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
    active: bool = True  # an administrator deactivated it: its users can no longer log in
    created_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True)
    name: str = ""
    password_hash: str
    role: str  # employer | coach | network | admin | candidate
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    is_active: bool = True
    language: str = ""  # nl | fr | en: pages, e-mails and notifications to this person; "" until chosen
    created_at: datetime = Field(default_factory=utcnow)


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random id; only its hash is stored here (domain/sessions.py)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = Field(default=None, index=True)
    end_reason: str = ""
    device: str = ""  # a short description of the browser, for the account page


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


class ReferenceLoad(SQLModel, table=True):
    """Which version of a shipped reference file the database holds: an unchanged file is not reloaded."""

    name: str = Field(primary_key=True)  # "esco"
    checksum: str  # sha256 of the shipped file
    loaded_at: datetime = Field(default_factory=utcnow)


class Occupation(SQLModel, table=True):
    """Searched in Meilisearch (``occupations`` index); ``search_text`` (every label, lower-cased) is the
    database fallback when search is down."""

    uri: str = Field(primary_key=True)
    isco: str | None = None
    labels: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    alt: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"))
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
    confirmed_at: datetime | None = None  # the employer confirmed the offer is still open (domain/freshness.py)
    confirm_asked_at: datetime | None = None  # when the employer was last asked to confirm


class OfferSkill(SQLModel, table=True):
    offer_id: int = Field(foreign_key="offer.id", primary_key=True)
    skill_uri: str = Field(foreign_key="skill.uri", primary_key=True)
    essential: bool = True
    taught: bool = False  # "learned here": taught during the traineeship (issue 13)
    position: int = 0


class OfferLanguage(SQLModel, table=True):
    offer_id: int = Field(foreign_key="offer.id", primary_key=True)
    language: str = Field(primary_key=True)
    min_level: str


class Candidate(SQLModel, table=True):
    """The anonymised profile. Identity lives in CandidateIdentity, never here."""

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True, index=True)
    coaching_service_id: int = Field(foreign_key="organisation.id", index=True)
    coach_id: int | None = Field(default=None, foreign_key="user.id")
    education_level: str = "none"
    education_field: str = ""
    diploma_recognition: str = "not_requested"
    postcode: str = ""
    municipality: str = ""
    region: str = ""
    lat: float = 0
    lon: float = 0
    max_commute_km: int = 25
    available_from: date | None = None
    days_per_week: int = 5
    accepted_offer_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    programme: str = ""
    path: str = ""
    sector_preferences: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    summary: str = ""  # as the coach typed it; only the scrubbed version leaves the coach
    summary_scrubbed: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    erased_at: datetime | None = None
    user_id: int | None = Field(default=None, foreign_key="user.id", unique=True)  # the candidate's own login
    paused_at: datetime | None = None  # the candidate paused being matched: out of the index until resumed
    still_looking_at: datetime | None = None  # the candidate's last "still looking" answer (domain/freshness.py)
    still_looking_asked_at: datetime | None = None  # when "Still looking?" was last asked
    paused_by_clock: bool = False  # paused because "Still looking?" went unanswered


class CandidateIdentity(SQLModel, table=True):
    """Who the candidate is. Never indexed; shown to an employer only after consent."""

    candidate_id: int = Field(foreign_key="candidate.id", primary_key=True)
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    phone: str = ""
    date_of_birth: date | None = None
    nationality: str = ""
    country_of_origin: str = ""
    arrival_date: date | None = None
    address: str = ""
    correspondence_language: str = "nl"  # e-mails to the candidate until they choose their own language


class CandidateGender(SQLModel, table=True):
    """Gender as the candidate chose to state it on their page (issue 17), only for fairness monitoring in
    aggregate: never part of the profile, the index, an employer's page, an export or the identity shown after
    consent. No row: not stated."""

    candidate_id: int = Field(foreign_key="candidate.id", primary_key=True)
    gender: str  # a key of domain.fairness.GENDERS
    stated_at: datetime = Field(default_factory=utcnow)


class MatchShown(SQLModel, table=True):
    """A candidate an employer's match list showed for an offer, first time only (issue 17: the pool an employer
    was shown, compared with whom it asked). Internal: only fairness monitoring reads it, in aggregate; never
    indexed or exported; deleted with the candidate at erasure."""

    offer_id: int = Field(foreign_key="offer.id", primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", primary_key=True, index=True)
    first_shown_at: datetime = Field(default_factory=utcnow)


class CandidateSkill(SQLModel, table=True):
    candidate_id: int = Field(foreign_key="candidate.id", primary_key=True)
    skill_uri: str = Field(foreign_key="skill.uri", primary_key=True, index=True)


class CandidateLanguage(SQLModel, table=True):
    candidate_id: int = Field(foreign_key="candidate.id", primary_key=True)
    language: str = Field(primary_key=True)
    level: str


class CandidateExperience(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    occupation_uri: str = Field(foreign_key="occupation.uri")
    years: int = 0


class Programme(SQLModel, table=True):
    """A programme a candidate may follow (e.g. Level@work); its eligibility rules are data (domain/eligibility.py)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    description: str = ""
    rules: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    paths: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    version: int = 1  # of its rules; every change an administrator makes is kept in ProgrammeVersion


class ProgrammeVersion(SQLModel, table=True):
    """The rules of a programme as they were from ``changed_at``: version 1 is the rules before any change."""

    __table_args__ = (UniqueConstraint("programme_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    version: int
    rules: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    changed_by: int | None = Field(default=None, foreign_key="user.id")
    changed_at: datetime = Field(default_factory=utcnow)


class Screening(SQLModel, table=True):
    """A coach checked a candidate against a programme's rules: who, when, for which path, and the outcome."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    programme_id: int = Field(foreign_key="programme.id")
    path: str
    eligible: bool
    results: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # coach-only
    screened_by: int | None = Field(default=None, foreign_key="user.id")
    screened_at: datetime = Field(default_factory=utcnow)


class CoachingLogEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="user.id")
    happened_on: date
    kind: str  # intake | individual_session | group_session | follow_up
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class ShortlistEntry(SQLModel, table=True):
    """A candidate a coach pinned for an offer, in the coach's order; one shortlist per offer and service."""

    offer_id: int = Field(foreign_key="offer.id", primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", primary_key=True)
    coaching_service_id: int = Field(foreign_key="organisation.id", index=True)
    position: int = 0
    pinned_by: int | None = Field(default=None, foreign_key="user.id")
    pinned_at: datetime = Field(default_factory=utcnow)


class Proposal(SQLModel, table=True):
    """Anonymised candidates a coaching service sent to an employer for one offer, with a note."""

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="offer.id", index=True)
    coaching_service_id: int = Field(foreign_key="organisation.id", index=True)
    sent_by: int | None = Field(default=None, foreign_key="user.id")
    note: str = ""  # scrubbed of the proposed candidates' identity before it is stored
    sent_at: datetime = Field(default_factory=utcnow)


class ProposedCandidate(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("proposal_id", "candidate_id"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    offer_id: int = Field(foreign_key="offer.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    position: int = 0
    explanation: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # as sent
    status: str = "proposed"  # proposed | declined_by_employer | declined_by_candidate
    decided_at: datetime | None = None


class CandidateImport(SQLModel, table=True):
    """A CSV import, processed in chunks; its progress lives here so any app process can continue it.

    ``kind`` "candidates" (a coaching service's caseload) or "offers" (an employer's offers);
    ``coaching_service_id`` is the importing organisation in both."""

    id: int | None = Field(default=None, primary_key=True)
    coaching_service_id: int = Field(foreign_key="organisation.id", index=True)
    kind: str = "candidates"
    created_by: int | None = Field(default=None, foreign_key="user.id")
    filename: str = ""
    content: str = Field(sa_column=Column(Text, nullable=False))  # erased when the import is finished
    total_rows: int = 0
    next_row: int = 0
    saved: int = 0
    failed: int = 0
    skipped: int = 0
    status: str = "running"  # running | done
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class CandidateImportProblem(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="candidateimport.id", index=True)
    row: int
    column: str
    message: str  # a msgid, translated when shown
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class OutboxEntry(SQLModel, table=True):
    """An index change waiting to be applied, written in the same transaction as the change."""

    __table_args__ = (Index("ix_outboxentry_document", "index", "key"),)  # claims look up a document's other rows

    id: int | None = Field(default=None, primary_key=True)
    index: str = Field(index=True)  # skills | offers | candidates | employers
    key: str  # the document id
    created_at: datetime = Field(default_factory=utcnow)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    last_error: str = ""
    done_at: datetime | None = Field(default=None, index=True)


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API; only its hash is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = ""
    token_hash: str = Field(unique=True)
    prefix: str = ""  # the first characters, so a user can tell tokens apart
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    expires_at: datetime | None = None  # refused from then on (default: a year after creation)


class ApiRateWindow(SQLModel, table=True):
    """Requests per token per minute, counted in the database so the limit holds across processes."""

    token_id: int = Field(foreign_key="apitoken.id", primary_key=True)
    window_start: datetime = Field(primary_key=True)
    count: int = 0


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    action: str
    subject: str  # e.g. "offer:12"
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))



# --- interest, consent, placement, mentor (SPEC §5) -------------------------------------------

class InterestRequest(SQLModel, table=True):
    """An employer's interest in one anonymised candidate for one offer; states in domain/interest.py.

    At most one waiting (requested) request per offer and candidate: a partial unique index, so two simultaneous
    sends cannot both be stored. (The service also refuses a new request while one is accepted.)
    """

    __table_args__ = (
        Index("uq_interestrequest_open", "offer_id", "candidate_id", unique=True,
              sqlite_where=text("state = 'requested'"),
              postgresql_where=text("state = 'requested'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="offer.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)  # the employer
    created_by: int | None = Field(default=None, foreign_key="user.id")
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id", index=True)  # sent from a coach's proposal
    state: str = Field(default="requested", index=True)  # requested | accepted | declined | withdrawn | expired
    message: str = Field(default="", sa_column=Column(Text, nullable=False))  # the employer's, to the candidate
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)
    decided_at: datetime | None = None
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decline_reason: str = ""  # a key of domain.interest.DECLINE_REASONS; seen by the coach, never by the employer
    decline_note: str = Field(default="", sa_column=Column(Text, nullable=False))
    coach_feedback: str = Field(default="", sa_column=Column(Text, nullable=False))  # optional, for the employer
    coach_feedback_at: datetime | None = None


class Consent(SQLModel, table=True):
    """What a candidate agreed to disclose, to which employer, when, in the words they were shown."""

    id: int | None = Field(default=None, primary_key=True)
    interest_request_id: int = Field(foreign_key="interestrequest.id", unique=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    disclosed_fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    language: str = ""
    given_at: datetime = Field(default_factory=utcnow)


class Placement(SQLModel, table=True):
    """A candidate at an employer for one offer, from acceptance to outcome; states in domain/placement.py."""

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="offer.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    interest_request_id: int = Field(foreign_key="interestrequest.id", unique=True)
    state: str = Field(default="planned", index=True)  # planned | active | completed | ended_early
    outcome: str | None = None  # hired | further_training | no_hire (when completed)
    contract_type: str | None = None  # when hired: open_ended | fixed_term | temporary_agency
    contract_months: int | None = None
    contract_open_ended: bool = False
    end_reason: str = ""  # a key of domain.placement.END_REASON_LABELS
    end_note: str = ""  # details, for the placement's own parties only
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    ended_at: datetime | None = None


class Mentor(SQLModel, table=True):
    """The workplace mentor of one placement; records check-ins through a signed link, without an account."""

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", unique=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str
    role: str = ""
    email: str
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    training_completed: bool = False
    training_completed_on: date | None = None
    nominated_at: datetime = Field(default_factory=utcnow)
    nominated_by: int | None = Field(default=None, foreign_key="user.id")
    link_nonce: str = ""  # part of the signed link; a new nomination makes older links invalid


class CheckIn(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    author: str  # coach | mentor
    author_user_id: int | None = Field(default=None, foreign_key="user.id")
    on: date
    rating: str  # good | attention | concern
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    """An in-app message; ``message`` is a msgid translated with ``params`` when shown."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str
    message: str
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    url: str = ""
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: datetime | None = None


class OutgoingMail(SQLModel, table=True):
    """Every e-mail, written in the same transaction as its cause; delivered over SMTP when configured,
    otherwise kept here as the mailbox an admin reads."""

    id: int | None = Field(default=None, primary_key=True)
    recipient: str
    subject: str
    body: str = Field(default="", sa_column=Column(Text, nullable=False))  # emptied once sent over SMTP
    kind: str = ""
    status: str = Field(default="queued", index=True)  # queued | sent | mailbox | failed
    created_at: datetime = Field(default_factory=utcnow, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    sent_at: datetime | None = None
    last_error: str = ""
    attachment: str = Field(default="", sa_column=Column(Text, nullable=False))  # an .ics invitation; emptied once sent


class CandidateProfileChange(SQLModel, table=True):
    """What a candidate changed on their own profile (or asked their coach), for the coach to follow.

    ``changes`` holds anonymised-profile fields only: {field: [before, after]}; identity never goes here."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, index=True)
    kind: str  # profile | paused | resumed | message
    changes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    message: str = Field(default="", sa_column=Column(Text, nullable=False))  # a message to the coach


class FirstMeeting(SQLModel, table=True):
    """The first meeting of a placement: moments the employer proposed, the one the candidate picked (domain/meeting.py)."""

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", unique=True)
    slots: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # ISO, Brussels time
    chosen: str = ""  # one of ``slots`` once the candidate picked it
    address: str = Field(default="", sa_column=Column(Text, nullable=False))
    state: str = "proposed"  # proposed | scheduled | cancelled
    uid: str  # the calendar event's UID, the same through every change
    sequence: int = 0  # the calendar event's SEQUENCE: one more at every invitation sent
    proposed_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)


class AccountLink(SQLModel, table=True):
    """An e-mailed, single-use link (password reset, a candidate's login link); only its hash is stored."""

    id: int | None = Field(default=None, primary_key=True)
    purpose: str  # password_reset | login
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(unique=True)
    next: str = ""  # where a login link leads
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class SignedLinkUse(SQLModel, table=True):
    """Single-use signed links (a candidate's e-mailed login link): the id of each link once used."""

    jti: str = Field(primary_key=True)
    used_at: datetime = Field(default_factory=utcnow)


__all__ = [
    "AccountLink", "ApiRateWindow", "ApiToken", "AuditEntry", "Candidate", "CandidateExperience", "CandidateIdentity", "CandidateProfileChange", "CandidateLanguage", "CandidateSkill",
    "CandidateImport", "CandidateImportProblem", "CoachingLogEntry", "Programme", "ProgrammeVersion", "Proposal", "ProposedCandidate",
    "Screening", "ShortlistEntry", "OutboxEntry", "Invitation", "LoginAttempt", "Occupation", "Offer", "OfferLanguage", "OfferSkill",
    "Organisation", "Skill", "UniqueConstraint", "User", "utcnow",
    "CheckIn", "Consent", "FirstMeeting", "InterestRequest", "Mentor", "Notification", "OutgoingMail", "Placement", "SignedLinkUse",
]
