"""Registering candidates and building their anonymised profile (coach side)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, func, select

from domain.accounts import Actor, Role
from domain.anonymise import ProfileFacts, anonymised_profile, identity_terms, scrub
from domain.candidates import (
    IdentityInput,
    ProfileInput,
    new_reference,
    validate_identity,
    validate_profile,
)
from domain.offers import CEFR_RANK, EDUCATION_RANK
from domain.places import locate
from domain.services.outbox import enqueue
from domain.tables import (
    Candidate,
    CandidateExperience,
    CandidateIdentity,
    CandidateLanguage,
    CandidateSkill,
    Skill,
    utcnow,
)
from domain.validation import NotAllowed, NotFound, RuleBroken


@dataclass(frozen=True)
class CandidateCreated:
    id: int
    ref: str


def _require_coach(actor: Actor) -> None:
    if actor.role != Role.COACH or actor.organisation_id is None:
        raise NotAllowed()


def _own_candidate(session: Session, actor: Actor, candidate_id: int) -> Candidate:
    candidate = session.get(Candidate, candidate_id)
    if (candidate is None or candidate.erased_at is not None or actor.role != Role.COACH
            or candidate.coaching_service_id != actor.organisation_id):
        raise NotFound()
    return candidate


def _unique_reference(session: Session) -> str:
    while True:
        ref = new_reference()
        if session.exec(select(Candidate.id).where(Candidate.ref == ref)).first() is None:
            return ref


def _known_skills(session: Session, uris: list[str]) -> set[str]:
    if not uris:
        return set()
    return set(session.exec(select(Skill.uri).where(col(Skill.uri).in_(uris))).all())


def _violations(session: Session, identity: IdentityInput | None, profile: ProfileInput):
    location = locate(profile.postcode) if profile.postcode.strip() else None
    broken = validate_identity(identity, today=utcnow().date()) if identity is not None else []
    broken += validate_profile(profile, postcode_known=location is not None,
                               known_skills=_known_skills(session, profile.skills))
    return location, broken


def check_candidate(session: Session, identity: IdentityInput | None, profile: ProfileInput):
    return _violations(session, identity, profile)[1]


def register_candidate(session: Session, actor: Actor, identity: IdentityInput, profile: ProfileInput) -> CandidateCreated:
    _require_coach(actor)
    location, broken = _violations(session, identity, profile)
    if broken:
        raise RuleBroken(broken)
    candidate = Candidate(ref=_unique_reference(session), coaching_service_id=actor.organisation_id, coach_id=actor.id)
    session.add(candidate)
    session.flush()
    session.add(CandidateIdentity(candidate_id=candidate.id, **identity.__dict__))
    _write_profile(session, candidate, profile, location, identity)
    return CandidateCreated(candidate.id, candidate.ref)


def update_candidate_profile(session: Session, actor: Actor, candidate_id: int, profile: ProfileInput) -> None:
    candidate = _own_candidate(session, actor, candidate_id)
    location, broken = _violations(session, None, profile)
    if broken:
        raise RuleBroken(broken)
    identity = session.get(CandidateIdentity, candidate.id)
    _write_profile(session, candidate, profile, location, IdentityInput(
        given_name=identity.given_name, family_name=identity.family_name, email=identity.email,
        phone=identity.phone, address=identity.address))


def _write_profile(session: Session, candidate: Candidate, profile: ProfileInput, location, identity: IdentityInput):
    candidate.education_level = profile.education_level
    candidate.education_field = profile.education_field.strip()
    candidate.diploma_recognition = profile.diploma_recognition
    candidate.postcode = location.postcode
    candidate.municipality = location.municipality
    candidate.region = location.region
    candidate.lat, candidate.lon = location.lat, location.lon
    candidate.max_commute_km = profile.max_commute_km
    candidate.available_from = profile.available_from
    candidate.days_per_week = profile.days_per_week
    candidate.accepted_offer_types = [str(t) for t in profile.accepted_offer_types]
    candidate.programme = profile.programme
    candidate.path = str(profile.path or "")
    candidate.sector_preferences = list(profile.sector_preferences)
    candidate.summary = profile.summary.strip()
    candidate.summary_scrubbed = scrub(candidate.summary, identity_terms(
        identity.given_name, identity.family_name, identity.email, identity.phone, identity.address))
    candidate.updated_at = utcnow()
    session.add(candidate)
    for table in (CandidateSkill, CandidateLanguage, CandidateExperience):
        for old in session.exec(select(table).where(table.candidate_id == candidate.id)).all():
            session.delete(old)
    session.flush()
    session.add_all([CandidateSkill(candidate_id=candidate.id, skill_uri=uri) for uri in dict.fromkeys(profile.skills)])
    session.add_all([CandidateLanguage(candidate_id=candidate.id, language=lang.language, level=lang.level)
                     for lang in profile.languages])
    session.add_all([CandidateExperience(candidate_id=candidate.id, occupation_uri=e.occupation_uri, years=e.years)
                     for e in profile.experience])
    enqueue(session, "candidates", candidate.id)


def _timestamp(day: date | None) -> int:
    return int(datetime.combine(day, datetime.min.time(), tzinfo=UTC).timestamp()) if day else 0


def profile_facts(session: Session, candidate_ids: list[int]) -> dict[int, ProfileFacts]:
    """What the anonymised profile is built from, for each live candidate among ``candidate_ids``."""
    if not candidate_ids:
        return {}
    candidates = session.exec(select(Candidate).where(col(Candidate.id).in_(candidate_ids),
                                                      Candidate.erased_at == None)).all()  # noqa: E711
    ids = [c.id for c in candidates]
    skills: dict[int, list[str]] = {i: [] for i in ids}
    for row in session.exec(select(CandidateSkill).where(col(CandidateSkill.candidate_id).in_(ids))).all():
        skills[row.candidate_id].append(row.skill_uri)
    languages: dict[int, dict[str, int]] = {i: {} for i in ids}
    for row in session.exec(select(CandidateLanguage).where(col(CandidateLanguage.candidate_id).in_(ids))).all():
        languages[row.candidate_id][row.language] = CEFR_RANK[row.level]
    experience: dict[int, list[tuple[str, int]]] = {i: [] for i in ids}
    for row in session.exec(select(CandidateExperience).where(col(CandidateExperience.candidate_id).in_(ids))).all():
        experience[row.candidate_id].append((row.occupation_uri, row.years))
    return {
        c.id: ProfileFacts(
            id=c.id, ref=c.ref, coaching_service_id=c.coaching_service_id, skills=skills[c.id],
            experience=experience[c.id], education_level=c.education_level,
            education_rank=EDUCATION_RANK[c.education_level], education_field=c.education_field,
            diploma_recognition=c.diploma_recognition, languages=languages[c.id], municipality=c.municipality,
            region=c.region, lat=c.lat, lon=c.lon, max_commute_km=c.max_commute_km,
            available_from_ts=_timestamp(c.available_from), days_per_week=c.days_per_week,
            accepted_offer_types=list(c.accepted_offer_types), programme=c.programme, path=c.path,
            eligible_programmes=[], sector_preferences=list(c.sector_preferences), summary_scrubbed=c.summary_scrubbed,
        )
        for c in candidates
    }


@dataclass(frozen=True)
class CaseloadEntry:
    id: int
    ref: str
    name: str  # the coach's own caseload: the coach knows who their candidates are
    municipality: str
    skills: int
    updated_at: datetime


def caseload(session: Session, actor: Actor) -> list[CaseloadEntry]:
    _require_coach(actor)
    rows = session.exec(
        select(Candidate, CandidateIdentity).join(CandidateIdentity, CandidateIdentity.candidate_id == Candidate.id)
        .where(Candidate.coaching_service_id == actor.organisation_id, Candidate.erased_at == None)  # noqa: E711
        .order_by(col(Candidate.updated_at).desc())
    ).all()
    counts = dict(session.exec(
        select(CandidateSkill.candidate_id, func.count()).where(col(CandidateSkill.candidate_id).in_([c.id for c, _ in rows]))
        .group_by(CandidateSkill.candidate_id)).all()) if rows else {}
    return [CaseloadEntry(c.id, c.ref, f"{i.given_name} {i.family_name}", c.municipality, counts.get(c.id, 0), c.updated_at)
            for c, i in rows]


def candidate_for_matching(session: Session, actor: Actor, candidate_id: int) -> ProfileFacts:
    """Only the candidate's own coaching service matches offers for them."""
    candidate = _own_candidate(session, actor, candidate_id)
    return profile_facts(session, [candidate.id])[candidate.id]


def register_candidates(session: Session, actor: Actor, rows: list[tuple[int, IdentityInput, ProfileInput]]
                        ) -> list[tuple[int, "CandidateCreated | RuleBroken"]]:
    """Register many candidates at once: each valid row is saved, each broken one reported."""
    _require_coach(actor)
    outcomes = []
    for index, identity, profile in rows:
        try:
            with session.begin_nested():
                outcomes.append((index, register_candidate(session, actor, identity, profile)))
        except RuleBroken as broken:
            outcomes.append((index, broken))
    return outcomes


def caseload_page(session: Session, actor: Actor, after_id: int, limit: int) -> list[dict]:
    """The coach's candidates by id after ``after_id``, as their anonymised profiles."""
    _require_coach(actor)
    ids = session.exec(select(Candidate.id).where(Candidate.coaching_service_id == actor.organisation_id,
                                                  Candidate.erased_at == None, Candidate.id > after_id)  # noqa: E711
                       .order_by(Candidate.id).limit(limit)).all()
    facts = profile_facts(session, list(ids))
    return [anonymised_profile(facts[i]) for i in ids if i in facts]
