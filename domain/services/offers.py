"""Creating, editing and moving traineeship offers through their life cycle."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from domain.accounts import Actor, Role
from domain.freshness import awaits_confirmation
from domain.offers import (
    CEFR_RANK,
    EDITABLE_STATUSES,
    EDUCATION_RANK,
    DurationUnit,
    EducationLevel,
    LanguageRequirement,
    OfferInput,
    OfferStatus,
    OfferType,
    SkillRequirement,
    allowed_actions,
    next_status,
    type_rules,
    validate_offer,
)
from domain.places import locate
from domain.services.outbox import enqueue
from domain.tables import (
    AuditEntry,
    Occupation,
    Offer,
    OfferLanguage,
    OfferSkill,
    Organisation,
    Skill,
    utcnow,
)
from domain.validation import N_, NotAllowed, NotFound, RuleBroken, Violation


@dataclass(frozen=True)
class SkillLine:
    uri: str
    label: str
    essential: bool
    taught: bool = False


@dataclass(frozen=True)
class OfferSummary:
    id: int
    title: str
    type: OfferType
    status: OfferStatus
    organisation_name: str
    municipality: str
    duration_value: int
    duration_unit: DurationUnit
    places: int
    updated_at: datetime


@dataclass(frozen=True)
class OfferDetail:
    id: int
    organisation_id: int
    organisation_name: str
    status: OfferStatus
    actions: list[str]
    editable: bool
    municipality: str
    region: str
    occupation_label: str
    skills: list[SkillLine]
    input: OfferInput
    published_at: datetime | None
    updated_at: datetime
    awaits_confirmation: bool = False  # asked "still open?" and not confirmed or edited since (issue 17)


def _label(labels: dict, lang: str) -> str:
    """The ESCO label in ``lang``; the English one marked " (EN)" where ESCO has none (never invented)."""
    if labels.get(lang):
        return labels[lang]
    return (labels.get("en") or "") + (" (EN)" if lang != "en" else "")


def skill_labels(session: Session, uris: list[str], lang: str) -> dict[str, str]:
    if not uris:
        return {}
    rows = session.exec(select(Skill.uri, Skill.labels).where(col(Skill.uri).in_(uris))).all()
    return {uri: _label(labels, lang) for uri, labels in rows}  # columns, not entities: no alt labels parsed


def describe_skills(session: Session, requirements: list[SkillRequirement], lang: str) -> list[SkillLine]:
    """The requirements whose skill exists, with its label in ``lang``, in the order given."""
    labels = skill_labels(session, [r.uri for r in requirements], lang)
    return [SkillLine(r.uri, labels[r.uri], r.essential, r.taught) for r in requirements if r.uri in labels]


def _check(session: Session, offer: OfferInput, ibo_max_weeks: int):
    location = locate(offer.postcode) if offer.postcode.strip() else None
    uris = [s.uri for s in offer.skills]
    known = set(skill_labels(session, uris, "en"))
    broken = validate_offer(offer, postcode_known=location is not None,
                            skill_uris_known=set(uris) <= known, ibo_max_weeks=ibo_max_weeks)
    if offer.occupation_uri and session.get(Occupation, offer.occupation_uri) is None:
        broken.append(Violation("occupation_uri", N_("Pick an occupation from the list.")))
    return location, broken


def check_offer(session: Session, offer: OfferInput, *, ibo_max_weeks: int = 26) -> list[Violation]:
    """Every broken rule, for inline validation while the employer types."""
    return _check(session, offer, ibo_max_weeks)[1]


def _require_employer(actor: Actor) -> None:
    if actor.role != Role.EMPLOYER or actor.organisation_id is None:
        raise NotAllowed()


def _own_offer(session: Session, actor: Actor, offer_id: int) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None or actor.role != Role.EMPLOYER or offer.organisation_id != actor.organisation_id:
        raise NotFound()
    return offer


def _write(session: Session, row: Offer, offer: OfferInput, location) -> None:
    rules = type_rules(offer.type)
    row.type = offer.type
    row.title = offer.title.strip()
    row.description = offer.description.strip()
    row.occupation_uri = offer.occupation_uri or None
    row.duration_value = offer.duration_value
    row.duration_unit = offer.duration_unit or rules.unit
    row.education_min = offer.education_min
    row.field_of_study = offer.field_of_study.strip()
    row.postcode = location.postcode
    row.municipality = location.municipality
    row.region = location.region
    row.lat, row.lon = location.lat, location.lon
    row.remote_days = offer.remote_days
    row.days_per_week = offer.days_per_week
    row.hours_per_week = offer.hours_per_week
    row.start_from, row.start_until = offer.start_from, offer.start_until
    row.places = offer.places
    row.sector = offer.sector
    row.accessibility_notes = offer.accessibility_notes.strip()
    row.monthly_pay_eur = offer.monthly_pay_eur if rules.requires_pay else None
    followup = rules.requires_followup_contract
    row.followup_open_ended = followup and offer.followup_open_ended
    row.followup_contract_months = offer.followup_contract_months if followup and not offer.followup_open_ended else None
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    for old in session.exec(select(OfferSkill).where(OfferSkill.offer_id == row.id)).all():
        session.delete(old)
    for old in session.exec(select(OfferLanguage).where(OfferLanguage.offer_id == row.id)).all():
        session.delete(old)
    session.flush()
    for position, skill in enumerate(offer.skills):
        session.add(OfferSkill(offer_id=row.id, skill_uri=skill.uri, essential=skill.essential,
                                taught=skill.taught, position=position))
    for language in offer.languages:
        session.add(OfferLanguage(offer_id=row.id, language=language.language, min_level=language.min_level))
    _reindex(session, row)


def _reindex(session: Session, row: Offer) -> None:
    enqueue(session, "offers", row.id)
    enqueue(session, "employers", row.organisation_id)


def create_offer(session: Session, actor: Actor, offer: OfferInput, *, ibo_max_weeks: int = 26) -> int:
    _require_employer(actor)
    location, broken = _check(session, offer, ibo_max_weeks)
    if broken:
        raise RuleBroken(broken)
    row = Offer(organisation_id=actor.organisation_id, created_by=actor.id, status=OfferStatus.DRAFT,
                type=offer.type, title="", duration_value=0, duration_unit="", postcode="", municipality="",
                region="", lat=0, lon=0, days_per_week=0, hours_per_week=0, sector="")
    _write(session, row, offer, location)
    _audit(session, actor, "offer.create", row.id)
    return row.id


def update_offer(session: Session, actor: Actor, offer_id: int, offer: OfferInput, *, ibo_max_weeks: int = 26) -> None:
    row = _own_offer(session, actor, offer_id)
    if row.status not in EDITABLE_STATUSES:
        raise NotAllowed()
    location, broken = _check(session, offer, ibo_max_weeks)
    if broken:
        raise RuleBroken(broken)
    _write(session, row, offer, location)
    _audit(session, actor, "offer.update", row.id)


def change_status(session: Session, actor: Actor, offer_id: int, action: str) -> OfferStatus:
    row = _own_offer(session, actor, offer_id)
    if action not in allowed_actions(row.status):
        raise NotAllowed()
    row.status = next_status(row.status, action)
    row.updated_at = utcnow()
    if row.status == OfferStatus.PUBLISHED and row.published_at is None:
        row.published_at = row.updated_at
    session.add(row)
    _reindex(session, row)
    _audit(session, actor, f"offer.{action}", row.id)
    return OfferStatus(row.status)


def _audit(session: Session, actor: Actor, action: str, offer_id: int) -> None:
    session.add(AuditEntry(actor_id=actor.id, action=action, subject=f"offer:{offer_id}"))


def _input_of(session: Session, row: Offer) -> OfferInput:
    skills = session.exec(
        select(OfferSkill).where(OfferSkill.offer_id == row.id).order_by(OfferSkill.position)
    ).all()
    languages = session.exec(
        select(OfferLanguage).where(OfferLanguage.offer_id == row.id).order_by(OfferLanguage.language)
    ).all()
    return OfferInput(
        title=row.title, description=row.description, type=OfferType(row.type),
        duration_value=row.duration_value, duration_unit=DurationUnit(row.duration_unit),
        occupation_uri=row.occupation_uri,
        skills=[SkillRequirement(s.skill_uri, s.essential, s.taught) for s in skills],
        languages=[LanguageRequirement(lang.language, lang.min_level) for lang in languages],
        education_min=EducationLevel(row.education_min), field_of_study=row.field_of_study,
        postcode=row.postcode, remote_days=row.remote_days, days_per_week=row.days_per_week,
        hours_per_week=row.hours_per_week, start_from=row.start_from, start_until=row.start_until,
        places=row.places, sector=row.sector, accessibility_notes=row.accessibility_notes,
        monthly_pay_eur=row.monthly_pay_eur, followup_contract_months=row.followup_contract_months,
        followup_open_ended=row.followup_open_ended,
    )


def offer_detail(session: Session, actor: Actor, offer_id: int, lang: str = "en") -> OfferDetail:
    """The offer's own organisation sees every state; coaches and admins see published offers."""
    row = session.get(Offer, offer_id)
    if row is None:
        raise NotFound()
    own = actor.role == Role.EMPLOYER and row.organisation_id == actor.organisation_id
    visible_to_others = actor.role in (Role.COACH, Role.ADMIN) and row.status == OfferStatus.PUBLISHED
    if not (own or visible_to_others):
        raise NotFound()
    offer = _input_of(session, row)
    labels = skill_labels(session, [s.uri for s in offer.skills], lang)
    occupation = session.get(Occupation, row.occupation_uri) if row.occupation_uri else None
    return OfferDetail(
        id=row.id, organisation_id=row.organisation_id,
        organisation_name=session.get(Organisation, row.organisation_id).name,
        status=OfferStatus(row.status), actions=allowed_actions(row.status) if own else [],
        editable=own and row.status in EDITABLE_STATUSES, municipality=row.municipality, region=row.region,
        occupation_label=_label(occupation.labels, lang) if occupation else "",
        skills=[SkillLine(s.uri, labels.get(s.uri, s.uri), s.essential, s.taught) for s in offer.skills],
        input=offer, published_at=row.published_at, updated_at=row.updated_at,
        awaits_confirmation=own and awaits_confirmation(
            published=row.status == OfferStatus.PUBLISHED, published_at=row.published_at, updated_at=row.updated_at,
            confirmed_at=row.confirmed_at, asked_at=row.confirm_asked_at),
    )


def _summaries(session: Session, query) -> list[OfferSummary]:
    rows = session.exec(query.join(Organisation, Organisation.id == Offer.organisation_id)).all()
    return [
        OfferSummary(o.id, o.title, OfferType(o.type), OfferStatus(o.status), name, o.municipality,
                     o.duration_value, DurationUnit(o.duration_unit), o.places, o.updated_at)
        for o, name in rows
    ]


def organisation_offers(session: Session, actor: Actor) -> list[OfferSummary]:
    _require_employer(actor)
    return _summaries(session, select(Offer, Organisation.name)
                      .where(Offer.organisation_id == actor.organisation_id)
                      .order_by(col(Offer.updated_at).desc()))


def published_offers(session: Session, limit: int = 100) -> list[OfferSummary]:
    return _summaries(session, select(Offer, Organisation.name)
                      .where(Offer.status == OfferStatus.PUBLISHED)
                      .order_by(col(Offer.published_at).desc()).limit(limit))



@dataclass(frozen=True)
class OfferFacts:
    """What search needs of an offer: its public fields, requirements and place."""

    id: int
    organisation_id: int
    organisation_name: str
    title: str
    type: str
    status: str
    sector: str
    municipality: str
    region: str
    lat: float
    lon: float
    essential: list[str]
    optional: list[str]
    languages: dict[str, int]  # language -> minimum CEFR rank
    education_rank: int
    days_per_week: int
    hours_per_week: int
    duration_value: int
    duration_unit: str
    start_from: date | None
    start_until: date | None
    places: int
    published_at: datetime | None
    taught: list[str] = field(default_factory=list)  # skills taught during the traineeship (issue 13)
    monthly_pay_eur: int | None = None


def offer_facts(session: Session, offer_ids: list[int]) -> dict[int, OfferFacts]:
    if not offer_ids:
        return {}
    rows = session.exec(select(Offer, Organisation.name).join(Organisation, Organisation.id == Offer.organisation_id)
                        .where(col(Offer.id).in_(offer_ids))).all()
    ids = [o.id for o, _ in rows]
    skills: dict[int, list[OfferSkill]] = {i: [] for i in ids}
    for s in session.exec(select(OfferSkill).where(col(OfferSkill.offer_id).in_(ids)).order_by(OfferSkill.position)).all():
        skills[s.offer_id].append(s)
    languages: dict[int, dict[str, int]] = {i: {} for i in ids}
    for lang in session.exec(select(OfferLanguage).where(col(OfferLanguage.offer_id).in_(ids))).all():
        languages[lang.offer_id][lang.language] = CEFR_RANK[lang.min_level]
    return {
        o.id: OfferFacts(
            id=o.id, organisation_id=o.organisation_id, organisation_name=name, title=o.title, type=o.type,
            status=o.status, sector=o.sector, municipality=o.municipality, region=o.region, lat=o.lat, lon=o.lon,
            essential=[s.skill_uri for s in skills[o.id] if s.essential],
            optional=[s.skill_uri for s in skills[o.id] if not s.essential],
            languages=languages[o.id], education_rank=EDUCATION_RANK[o.education_min],
            days_per_week=o.days_per_week, hours_per_week=o.hours_per_week, duration_value=o.duration_value,
            duration_unit=o.duration_unit, start_from=o.start_from, start_until=o.start_until, places=o.places,
            published_at=o.published_at, taught=[s.skill_uri for s in skills[o.id] if s.taught],
            monthly_pay_eur=o.monthly_pay_eur,
        )
        for o, name in rows
    }


def offer_for_matching(session: Session, actor: Actor, offer_id: int) -> OfferFacts:
    """The offer's own employer may match any of its offers; coaches and admins match published ones."""
    row = session.get(Offer, offer_id)
    own = row is not None and actor.role == Role.EMPLOYER and row.organisation_id == actor.organisation_id
    public = row is not None and actor.role in (Role.COACH, Role.ADMIN) and row.status == OfferStatus.PUBLISHED
    if not (own or public):
        raise NotFound()
    return offer_facts(session, [offer_id])[offer_id]


def offer_page(session: Session, actor: Actor, after_id: int, limit: int) -> list[OfferSummary]:
    """Offers by id after ``after_id``: the employer's own, or the published ones for coaches and admins."""
    query = select(Offer, Organisation.name).where(Offer.id > after_id)
    if actor.role == Role.EMPLOYER:
        query = query.where(Offer.organisation_id == actor.organisation_id)
    elif actor.role in (Role.COACH, Role.ADMIN):
        query = query.where(Offer.status == OfferStatus.PUBLISHED)
    else:
        raise NotAllowed()
    return _summaries(session, query.order_by(Offer.id).limit(limit))
