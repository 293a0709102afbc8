"""Every engagement figure comes from here: the directory's index facts, an employer's page as a
sector network sees it, the directory's CSV rows and the network's dashboard (SPEC §6).

Reads offers, interest requests, placements and mentors, turns them into the plain facts of
``domain.engagement`` and lets its rules count. Nothing here returns candidate data: no candidate
id, reference or identity leaves this module, only counts (withheld when fewer than five people).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from domain.accounts import Actor, OrganisationKind, Role
from domain.engagement import (
    WINDOW,
    Evidence,
    Figure,
    Funnel,
    InterestFact,
    MentorFact,
    OfferFact,
    PlacementFact,
    ProtectedEngagement,
    counting_offers,
    employer_counts,
    end_reasons,
    engaged_now,
    evidence,
    funnel,
    funnels_by,
    last_engaged_at,
    main_sector,
    protected_engagement,
)
from domain.offers import NACE_SECTIONS, OFFER_TYPE_LABELS, OfferStatus
from domain.places import PROVINCE_LABELS, REGION_LABELS, locate
from domain.tables import InterestRequest, Mentor, Offer, Organisation, Placement, utcnow
from domain.validation import NotAllowed, NotFound

NETWORK_ROLES = (Role.NETWORK, Role.ADMIN)


@dataclass(frozen=True)
class EmployerFacts:
    """An employer as the ``employers`` index holds it: no candidate data, ever."""

    id: int
    name: str
    sector: str
    municipality: str
    region: str
    province: str
    offer_types: list[str]
    open_offers: int
    in_directory: bool
    live: bool  # an offer open or a placement planned or active: engaged whatever the date
    last_engaged_at: datetime | None
    has_trained_mentors: bool


@dataclass(frozen=True)
class EmployerProfile:
    id: int
    name: str
    sector: str
    municipality: str
    region: str
    province: str
    size: str
    workplace_languages: list[str]
    engagement_statement: str
    in_directory: bool


@dataclass(frozen=True)
class OpenOffer:
    id: int
    title: str
    type: str
    sector: str
    municipality: str
    places: int
    duration_value: int
    duration_unit: str
    days_per_week: int
    hours_per_week: int
    published_at: datetime | None


@dataclass(frozen=True)
class EmployerEngagement:
    profile: EmployerProfile
    engaged: bool
    offer_types: list[str]
    open_offers: list[OpenOffer]
    evidence: Evidence
    since: date
    interest_sent: Figure = Figure(0)  # interest requests the employer sent over its offers that count
    interest_accepted: Figure = Figure(0)  # of which candidates accepted

    @property
    def listed(self) -> bool:
        """Whether sector networks find this employer in the directory now."""
        return self.engaged and self.profile.in_directory


@dataclass(frozen=True)
class Dashboard:
    since: date
    employers: int  # engaged employers, listed in the directory or not
    total: Funnel
    by_sector: list[Funnel]
    by_type: list[Funnel]
    end_reasons: list[tuple[str, Figure]]
    ended_early: Figure


@dataclass
class _Loaded:
    organisations: dict[int, Organisation]
    offers: dict[int, list[OfferFact]]  # by organisation
    offer_rows: dict[int, Offer]
    interests: list[InterestFact]
    placements: list[PlacementFact]
    mentors: list[MentorFact]

    def placements_of(self, offers: list[OfferFact]) -> list[PlacementFact]:
        ids = {o.id for o in offers}
        return [p for p in self.placements if p.offer_id in ids]


def _load(session: Session, organisation_ids: list[int] | None) -> _Loaded:
    """Employers (all, or these) with their offers ever published, and what came of those offers."""
    query = select(Organisation).where(Organisation.kind == OrganisationKind.EMPLOYER)
    if organisation_ids is not None:
        query = query.where(col(Organisation.id).in_(organisation_ids))
    organisations = {o.id: o for o in session.exec(query).all()}
    offer_rows = {o.id: o for o in session.exec(
        select(Offer).where(col(Offer.organisation_id).in_(list(organisations)), Offer.published_at != None)  # noqa: E711
        .order_by(Offer.id)).all()} if organisations else {}
    offers: dict[int, list[OfferFact]] = {}
    for row in offer_rows.values():
        offers.setdefault(row.organisation_id, []).append(
            OfferFact(row.id, row.organisation_id, row.type, row.sector, row.status, row.published_at))
    offer_ids = list(offer_rows)
    return _Loaded(organisations, offers, offer_rows, _interests(session, offer_ids),
                   _placements(session, offer_ids), _mentors(session, offer_ids))


def _interests(session: Session, offer_ids: list[int]) -> list[InterestFact]:
    if not offer_ids:
        return []
    rows = session.exec(select(InterestRequest.offer_id, InterestRequest.state)
                        .where(col(InterestRequest.offer_id).in_(offer_ids))).all()
    return [InterestFact(offer_id, state) for offer_id, state in rows]


def _placements(session: Session, offer_ids: list[int]) -> list[PlacementFact]:
    if not offer_ids:
        return []
    rows = session.exec(select(Placement).where(col(Placement.offer_id).in_(offer_ids)).order_by(Placement.id)).all()
    return [PlacementFact(p.id, p.offer_id, p.state, p.outcome,
                          p.contract_type is not None or p.contract_open_ended or p.contract_months is not None,
                          p.end_reason, p.created_at, p.started_at, p.ended_at) for p in rows]


def _mentors(session: Session, offer_ids: list[int]) -> list[MentorFact]:
    """Mentors of placements on these offers; ``person`` tells the same mentor on two placements apart
    from two mentors (it never leaves this module)."""
    if not offer_ids:
        return []
    rows = session.exec(select(Mentor.placement_id, Mentor.email, Mentor.training_completed)
                        .join(Placement, Placement.id == Mentor.placement_id)
                        .where(col(Placement.offer_id).in_(offer_ids))).all()
    return [MentorFact(placement_id, email.strip().lower(), trained) for placement_id, email, trained in rows]


def _profile(organisation: Organisation, loaded: _Loaded, counting: list[OfferFact]) -> EmployerProfile:
    """The profile; place and sector fall back to the latest offer when the profile leaves them out."""
    municipality, region = organisation.municipality, organisation.region
    location = locate(organisation.postcode) if organisation.postcode else None
    if location is None:
        latest = max(counting or loaded.offers.get(organisation.id, []), default=None,
                     key=lambda o: (o.published_at, o.id))
        location = locate(loaded.offer_rows[latest.id].postcode) if latest else None
        municipality = loaded.offer_rows[latest.id].municipality if latest else ""
        region = location.region if location else ""
    return EmployerProfile(
        organisation.id, organisation.name, main_sector(organisation.sector, counting), municipality, region,
        location.province if location else "", organisation.size, list(organisation.workplace_languages),
        organisation.engagement_statement, organisation.in_directory)


def _counting(loaded: _Loaded, organisation_id: int, now: datetime) -> list[OfferFact]:
    offers = loaded.offers.get(organisation_id, [])
    return counting_offers(offers, loaded.placements_of(offers), now)


def _protected(loaded: _Loaded, now: datetime) -> tuple[list[OfferFact], ProtectedEngagement]:
    """Every published person count, computed and suppressed once over every engaged employer (the dashboard, the
    employers' pages and the CSV export read from this one table; ``domain.engagement``)."""
    counting_by_org = {organisation_id: _counting(loaded, organisation_id, now) for organisation_id in loaded.offers}
    counting = [o for offers in counting_by_org.values() for o in offers]
    employers = [employer_counts(organisation_id, loaded.organisations[organisation_id].in_directory, offers,
                                 loaded.interests, loaded.placements, loaded.mentors)
                 for organisation_id, offers in counting_by_org.items() if offers]
    return counting, protected_engagement(
        funnel("", counting, loaded.interests, loaded.placements, Figure),
        funnels_by("sector", counting, loaded.interests, loaded.placements, Figure),
        funnels_by("type", counting, loaded.interests, loaded.placements, Figure),
        end_reasons(counting, loaded.placements, Figure), employers)


# --- the index ----------------------------------------------------------------------------------

def engaged_employer_facts(session: Session, organisation_ids: list[int]) -> dict[int, EmployerFacts]:
    """Employers among ``organisation_ids`` that ever published an offer, as the directory indexes them.

    Whether one is engaged *now* is decided when searching (``live``, or ``last_engaged_at`` within
    the last 12 months), so an employer leaves the directory when its last engagement grows old
    without anything being written.
    """
    if not organisation_ids:
        return {}
    now = utcnow()
    loaded = _load(session, organisation_ids)
    facts = {}
    for organisation_id, offers in loaded.offers.items():
        organisation = loaded.organisations[organisation_id]
        placements = loaded.placements_of(offers)
        counting = counting_offers(offers, placements, now)
        profile = _profile(organisation, loaded, counting)
        figures = evidence(counting, placements, loaded.mentors)
        facts[organisation_id] = EmployerFacts(
            organisation_id, profile.name, profile.sector, profile.municipality, profile.region, profile.province,
            sorted({o.type for o in counting}), figures.open_offers, organisation.in_directory,
            engaged_now(offers, placements), last_engaged_at(offers, placements), figures.has_trained_mentors)
    return facts


# --- an employer's page ---------------------------------------------------------------------------

def _engagement(session: Session, organisation_id: int) -> EmployerEngagement | None:
    """An employer's page; its person counts as the one protected table publishes them when it is listed."""
    now = utcnow()
    loaded = _load(session, None)
    organisation = loaded.organisations.get(organisation_id)
    if organisation is None:
        return None
    counting = _counting(loaded, organisation_id, now)
    open_offers = [loaded.offer_rows[o.id] for o in counting if o.status == OfferStatus.PUBLISHED]
    protected = _protected(loaded, now)[1] if organisation.in_directory and counting else None
    evidence_figures = _published_evidence(loaded, organisation, counting, now, protected)
    raw = funnel("", counting, loaded.interests, loaded.placements)
    interest = ({stage: protected.employers[organisation_id][stage] for stage in ("interest_requests", "accepted")}
                if protected is not None else
                {stage: raw.figure(stage) for stage in ("interest_requests", "accepted")})
    return EmployerEngagement(
        profile=_profile(organisation, loaded, counting),
        engaged=bool(counting),
        offer_types=sorted({o.type for o in counting}),
        open_offers=[OpenOffer(o.id, o.title, o.type, o.sector, o.municipality, o.places, o.duration_value,
                               o.duration_unit, o.days_per_week, o.hours_per_week, o.published_at)
                     for o in sorted(open_offers, key=lambda o: (o.published_at, o.id), reverse=True)],
        evidence=evidence_figures,
        interest_sent=interest["interest_requests"], interest_accepted=interest["accepted"],
        # the twelve-month window, but never before the organisation joined Opstap
        since=max((now - WINDOW).date(), organisation.created_at.date()),
    )


def employer_engagement(session: Session, actor: Actor, organisation_id: int) -> EmployerEngagement:
    """An engaged employer in the directory, as a sector network member or an admin sees it."""
    if actor.role not in NETWORK_ROLES:
        raise NotAllowed()
    engagement = _engagement(session, organisation_id)
    if engagement is None or not engagement.listed:
        raise NotFound()
    return engagement


def own_engagement(session: Session, actor: Actor) -> EmployerEngagement:
    """The employer's own page as sector networks see it (whether or not it is listed now)."""
    if actor.role != Role.EMPLOYER or actor.organisation_id is None:
        raise NotAllowed()
    engagement = _engagement(session, actor.organisation_id)
    if engagement is None:
        raise NotFound()
    return engagement


def _published_evidence(loaded: _Loaded, organisation: Organisation, counting: list[OfferFact], now: datetime,
                        protected: ProtectedEngagement | None = None) -> Evidence:
    raw = evidence(counting, loaded.placements, loaded.mentors)
    if not organisation.in_directory or not counting:
        return raw  # published to no one but the employer itself
    if protected is None:
        _counting_all, protected = _protected(loaded, now)
    return protected.shield(organisation.id, raw)


@dataclass(frozen=True)
class DirectoryRow:
    profile: EmployerProfile
    offer_types: list[str]
    evidence: Evidence


def directory_rows(session: Session, actor: Actor, organisation_ids: list[int]) -> list[DirectoryRow]:
    """The CSV export's rows for these employers (in that order), each listed in the directory now."""
    if actor.role not in NETWORK_ROLES:
        raise NotAllowed()
    now = utcnow()
    loaded = _load(session, None)
    _all, protected = _protected(loaded, now)
    rows = []
    for organisation_id in organisation_ids:
        organisation = loaded.organisations.get(organisation_id)
        counting = _counting(loaded, organisation_id, now) if organisation else []
        if not counting or not organisation.in_directory:
            continue
        rows.append(DirectoryRow(_profile(organisation, loaded, counting), sorted({o.type for o in counting}),
                                 _published_evidence(loaded, organisation, counting, now, protected)))
    return rows


DIRECTORY_COLUMNS = (
    "name", "sector", "sector_name", "municipality", "province", "region", "offer_types", "open_offers", "offers",
    "placements_started", "placements_completed", "hires", "ibo_with_contract", "mentors_nominated",
    "mentors_trained",
)
WITHHELD = "<5"
HIDDEN = "x"  # hidden so that a "<5" elsewhere cannot be worked out by subtraction (a count of 0 or at least 5)


def _cell(value) -> str:
    """Figures as numbers or "<5"; text never starts a spreadsheet formula (= + - @)."""
    if isinstance(value, Figure):
        if value.withheld:
            return HIDDEN if value.complementary else WITHHELD
        return str(value.value)
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def directory_table(rows: list[DirectoryRow], gettext) -> list[list[str]]:
    """The CSV export: a header of column keys, then one line per employer, labels in the user's language."""
    table = [list(DIRECTORY_COLUMNS)]
    for row in rows:
        p, e = row.profile, row.evidence
        values = {
            "name": p.name, "sector": p.sector, "sector_name": gettext(NACE_SECTIONS[p.sector]) if p.sector else "",
            "municipality": p.municipality, "province": gettext(PROVINCE_LABELS[p.province]) if p.province else "",
            "region": gettext(REGION_LABELS[p.region]) if p.region in REGION_LABELS else "",
            "offer_types": " | ".join(gettext(OFFER_TYPE_LABELS[t]) for t in row.offer_types),
            "open_offers": e.open_offers, "offers": e.offers, "placements_started": e.placements_started,
            "placements_completed": e.placements_completed, "hires": e.hires, "ibo_with_contract": e.ibo_with_contract,
            "mentors_nominated": e.mentors_nominated, "mentors_trained": e.mentors_trained,
        }
        table.append([_cell(values[column]) for column in DIRECTORY_COLUMNS])
    return table


# --- the network's dashboard ------------------------------------------------------------------------

def network_dashboard(session: Session, actor: Actor) -> Dashboard:
    """The placement funnel over every engaged employer's offers that count, per sector and per offer type."""
    if actor.role not in NETWORK_ROLES:
        raise NotAllowed()
    now = utcnow()
    loaded = _load(session, None)
    counting, p = _protected(loaded, now)
    return Dashboard(
        since=(now - WINDOW).date(),
        employers=len({o.organisation_id for o in counting}),
        total=p.total, by_sector=p.by_sector, by_type=p.by_type, end_reasons=p.end_reasons, ended_early=p.ended_early,
    )
