"""Registering candidates and building their anonymised profile (coach side)."""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, insert
from sqlmodel import Session, col, func, select

from domain.accounts import Actor, Role
from domain.anonymise import ProfileFacts, anonymised_profile, identity_terms, scrub
from domain.candidates import (
    REFERENCE_LENGTH,
    DiplomaRecognition,
    Experience,
    IdentityInput,
    LanguageLevel,
    ProfileInput,
    ProgrammePath,
    correspondence_default,
    new_reference,
    validate_identity,
    validate_profile,
)
from domain.offers import CEFR_RANK, EDUCATION_RANK, EducationLevel, OfferType
from domain.places import locate
from domain.services.outbox import enqueue, enqueue_many
from domain.tables import (
    Candidate,
    CandidateExperience,
    CandidateIdentity,
    CandidateLanguage,
    CandidateSkill,
    Occupation,
    Programme,
    Screening,
    Skill,
    utcnow,
)
from domain.validation import N_, NotAllowed, NotFound, RuleBroken, Violation

log = logging.getLogger("opstap.candidates")  # references and ids only: never a name or contact detail


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


def _unique_references(session: Session, n: int) -> list[str]:
    """``n`` free references: four characters while they are easy to find, one more after every 8
    rounds that still collide (a pool near 923,521 people)."""
    found: list[str] = []
    attempt = 0
    while len(found) < n:
        wanted = {new_reference(REFERENCE_LENGTH + attempt // 8) for _ in range(n - len(found))} - set(found)
        taken = set(session.exec(select(Candidate.ref).where(col(Candidate.ref).in_(wanted))).all())
        found += sorted(wanted - taken)
        attempt += 1
    return found


def _known_skills(session: Session, uris: list[str]) -> set[str]:
    if not uris:
        return set()
    return set(session.exec(select(Skill.uri).where(col(Skill.uri).in_(uris))).all())


def _violations(session: Session, identity: IdentityInput | None, profile: ProfileInput | None,
                known_skills: set[str] | None = None):
    broken = validate_identity(identity, today=utcnow().date()) if identity is not None else []
    if profile is None:
        return None, broken
    location = locate(profile.postcode) if profile.postcode.strip() else None
    if known_skills is None:
        known_skills = _known_skills(session, profile.skills)
    broken += validate_profile(profile, postcode_known=location is not None, known_skills=known_skills)
    occupations = {e.occupation_uri for e in profile.experience}
    if occupations and len(session.exec(select(Occupation.uri).where(col(Occupation.uri).in_(occupations))).all()) < len(occupations):
        broken.append(Violation("experience", N_("Pick occupations from the list.")))
    return location, broken


def check_candidate(session: Session, identity: IdentityInput | None, profile: ProfileInput | None):
    """Every broken rule, for inline validation; either part may be left out (None)."""
    return _violations(session, identity, profile)[1]


def register_candidate(session: Session, actor: Actor, identity: IdentityInput, profile: ProfileInput) -> CandidateCreated:
    _require_coach(actor)
    location, broken = _violations(session, identity, profile)
    if broken:
        raise RuleBroken(broken)
    return _insert_candidates(session, actor, [(identity, profile, location)])[0]


def _insert_candidates(session: Session, actor: Actor, valid: list[tuple[IdentityInput, ProfileInput, object]]
                       ) -> list[CandidateCreated]:
    """Write validated candidates with one multi-row statement per table (the batch API sends 1,000)."""
    refs = _unique_references(session, len(valid))
    now = utcnow()
    ids = session.execute(
        insert(Candidate).returning(Candidate.id, sort_by_parameter_order=True),
        [{"ref": ref, "coaching_service_id": actor.organisation_id, "coach_id": actor.id, "created_at": now,
          **_profile_columns(profile, location, identity, now)}
         for ref, (identity, profile, location) in zip(refs, valid, strict=True)]).scalars().all()
    default_language = correspondence_default(actor.language)  # of e-mails, until the candidate chooses
    session.execute(insert(CandidateIdentity), [
        {"candidate_id": i, **identity.__dict__,
         "correspondence_language": identity.correspondence_language or default_language}
        for i, (identity, _, _) in zip(ids, valid, strict=True)])
    _write_profile_rows(session, list(zip(ids, (profile for _, profile, _ in valid), strict=True)), new=True)
    enqueue_many(session, "candidates", ids)
    for ref in refs:
        log.info("candidate %s registered by user %s", ref, actor.id)
    return [CandidateCreated(i, ref) for i, ref in zip(ids, refs, strict=True)]


def update_candidate_profile(session: Session, actor: Actor, candidate_id: int, profile: ProfileInput) -> None:
    save_profile(session, _own_candidate(session, actor, candidate_id), profile)


def save_profile(session: Session, candidate: Candidate, profile: ProfileInput) -> None:
    """Validate and write the anonymised profile of ``candidate`` (reindexed through the outbox). Callers authorise."""
    location, broken = _violations(session, None, profile)
    if broken:
        raise RuleBroken(broken)
    identity = session.get(CandidateIdentity, candidate.id)
    _write_profile(session, candidate, profile, location, IdentityInput(
        given_name=identity.given_name, family_name=identity.family_name, email=identity.email,
        phone=identity.phone, address=identity.address))


def saved_profile(session: Session, candidate: Candidate) -> ProfileInput:
    """The saved anonymised profile of ``candidate`` as form input. Callers authorise."""
    return _profile_input(session, candidate)


def _profile_columns(profile: ProfileInput, location, identity: IdentityInput, now: datetime) -> dict:
    """The candidate row's profile columns; the summary scrubbed of this person's identity and origins."""
    summary = profile.summary.strip()
    return {
        "education_level": profile.education_level, "education_field": profile.education_field.strip(),
        "diploma_recognition": profile.diploma_recognition, "postcode": location.postcode,
        "municipality": location.municipality, "region": location.region, "lat": location.lat, "lon": location.lon,
        "max_commute_km": profile.max_commute_km, "available_from": profile.available_from,
        "days_per_week": profile.days_per_week, "accepted_offer_types": [str(t) for t in profile.accepted_offer_types],
        "programme": profile.programme, "path": str(profile.path or ""),
        "sector_preferences": list(profile.sector_preferences), "summary": summary,
        "summary_scrubbed": scrub(summary, identity_terms(identity.given_name, identity.family_name, identity.email,
                                                          identity.phone, identity.address)),
        "updated_at": now,
    }


def _write_profile(session: Session, candidate: Candidate, profile: ProfileInput, location, identity: IdentityInput):
    for name, value in _profile_columns(profile, location, identity, utcnow()).items():
        setattr(candidate, name, value)
    session.add(candidate)
    session.flush()
    _write_profile_rows(session, [(candidate.id, profile)], new=False)
    enqueue(session, "candidates", candidate.id)


def _write_profile_rows(session: Session, profiles: list[tuple[int, ProfileInput]], new: bool) -> None:
    """Skills, languages and experience of each (candidate id, profile): plain multi-row statements."""
    rows = {
        CandidateSkill: [{"candidate_id": i, "skill_uri": uri} for i, p in profiles for uri in dict.fromkeys(p.skills)],
        CandidateLanguage: [{"candidate_id": i, "language": lang.language, "level": lang.level}
                            for i, p in profiles for lang in p.languages],
        CandidateExperience: [{"candidate_id": i, "occupation_uri": e.occupation_uri, "years": e.years}
                              for i, p in profiles for e in p.experience],
    }
    for table, values in rows.items():
        if not new:
            session.execute(delete(table).where(col(table.candidate_id).in_([i for i, _ in profiles])))
        if values:
            session.execute(insert(table), values)


def _timestamp(day: date | None) -> int:
    return int(datetime.combine(day, datetime.min.time(), tzinfo=UTC).timestamp()) if day else 0


def eligible_programmes(session: Session, candidate_ids: list[int],
                        within: tuple[int, int] | None = None) -> dict[int, list[str]]:
    """Per candidate, the keys of the programmes whose latest screening found them eligible.

    ``within=(first, last)``: the ids all lie in that range, which is read instead of an ``IN`` list
    (a full reindex asks for thousands of ids at a time)."""
    if not candidate_ids:
        return {}
    s = Screening.__table__
    where = (s.c.candidate_id.between(*within) if within else s.c.candidate_id.in_(candidate_ids))
    wanted = set(candidate_ids)
    latest: dict[tuple[int, int], bool] = {}
    for candidate_id, programme_id, eligible in session.connection().execute(
            select(s.c.candidate_id, s.c.programme_id, s.c.eligible).where(where)
            .order_by(s.c.screened_at, s.c.id)).all():
        if candidate_id in wanted:
            latest[(candidate_id, programme_id)] = eligible
    keys = dict(session.exec(select(Programme.id, Programme.key)).all()) if latest else {}
    found: dict[int, list[str]] = {i: [] for i in candidate_ids}
    for (candidate_id, programme_id), eligible in latest.items():
        if eligible:
            found[candidate_id].append(keys[programme_id])
    return {i: sorted(v) for i, v in found.items()}


def profile_facts(session: Session, candidate_ids: list[int]) -> dict[int, ProfileFacts]:
    """What the anonymised profile is built from, for each live candidate among ``candidate_ids``."""
    if not candidate_ids:
        return {}
    candidates = session.exec(select(Candidate).where(col(Candidate.id).in_(candidate_ids),
                                                      Candidate.erased_at == None)).all()  # noqa: E711
    ids = [c.id for c in candidates]
    skills: dict[int, list[str]] = {i: [] for i in ids}
    # Plain columns, not ORM rows: reindexing 100,000 candidates reads about a million of these.
    for candidate_id, uri in session.exec(select(CandidateSkill.candidate_id, CandidateSkill.skill_uri)
                                          .where(col(CandidateSkill.candidate_id).in_(ids))).all():
        skills[candidate_id].append(uri)
    languages: dict[int, dict[str, int]] = {i: {} for i in ids}
    for candidate_id, language, level in session.exec(
            select(CandidateLanguage.candidate_id, CandidateLanguage.language, CandidateLanguage.level)
            .where(col(CandidateLanguage.candidate_id).in_(ids))).all():
        languages[candidate_id][language] = CEFR_RANK[level]
    experience: dict[int, list[tuple[str, int]]] = {i: [] for i in ids}
    for candidate_id, occupation, years in session.exec(
            select(CandidateExperience.candidate_id, CandidateExperience.occupation_uri, CandidateExperience.years)
            .where(col(CandidateExperience.candidate_id).in_(ids))).all():
        experience[candidate_id].append((occupation, years))
    eligible = eligible_programmes(session, ids)
    return {
        c.id: ProfileFacts(
            id=c.id, ref=c.ref, coaching_service_id=c.coaching_service_id, skills=skills[c.id],
            experience=experience[c.id], education_level=c.education_level,
            education_rank=EDUCATION_RANK[c.education_level], education_field=c.education_field,
            diploma_recognition=c.diploma_recognition, languages=languages[c.id], municipality=c.municipality,
            region=c.region, lat=c.lat, lon=c.lon, max_commute_km=c.max_commute_km,
            available_from_ts=_timestamp(c.available_from), days_per_week=c.days_per_week,
            accepted_offer_types=list(c.accepted_offer_types), programme=c.programme, path=c.path,
            eligible_programmes=eligible[c.id], sector_preferences=list(c.sector_preferences), summary_scrubbed=c.summary_scrubbed,
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
    known = _known_skills(session, sorted({uri for _, _, profile in rows for uri in profile.skills}))
    outcomes: list[tuple[int, CandidateCreated | RuleBroken]] = []
    valid, positions = [], []
    for index, identity, profile in rows:
        location, broken = _violations(session, identity, profile, known_skills=known)
        if broken:
            outcomes.append((index, RuleBroken(broken)))
        else:
            valid.append((identity, profile, location))
            positions.append(index)
    if valid:
        outcomes += zip(positions, _insert_candidates(session, actor, valid), strict=True)
    return sorted(outcomes, key=lambda outcome: outcome[0])


def caseload_page(session: Session, actor: Actor, after_id: int, limit: int) -> list[dict]:
    """The coach's candidates by id after ``after_id``, as their anonymised profiles."""
    _require_coach(actor)
    ids = session.exec(select(Candidate.id).where(Candidate.coaching_service_id == actor.organisation_id,
                                                  Candidate.erased_at == None, Candidate.id > after_id)  # noqa: E711
                       .order_by(Candidate.id).limit(limit)).all()
    facts = profile_facts(session, list(ids))
    return [anonymised_profile(facts[i]) for i in ids if i in facts]


# --- the coach's view of one candidate: identity and profile as form input, and the employer preview ---

@dataclass(frozen=True)
class CandidateView:
    """A candidate as their own coach sees them: identity and profile, each as the form's input."""

    id: int
    ref: str
    identity: IdentityInput
    profile: ProfileInput
    municipality: str
    updated_at: datetime
    paused: bool = False  # the candidate paused being matched


def _identity_input(row: CandidateIdentity) -> IdentityInput:
    return IdentityInput(**{name: getattr(row, name) for name in IdentityInput.__dataclass_fields__})


def _profile_input(session: Session, c: Candidate) -> ProfileInput:
    skills = session.exec(select(CandidateSkill.skill_uri).where(CandidateSkill.candidate_id == c.id)
                          .order_by(CandidateSkill.skill_uri)).all()
    languages = session.exec(select(CandidateLanguage).where(CandidateLanguage.candidate_id == c.id)
                             .order_by(CandidateLanguage.language)).all()
    experience = session.exec(select(CandidateExperience).where(CandidateExperience.candidate_id == c.id)
                              .order_by(CandidateExperience.id)).all()
    return ProfileInput(
        skills=list(skills), experience=[Experience(e.occupation_uri, e.years) for e in experience],
        education_level=EducationLevel(c.education_level), education_field=c.education_field,
        diploma_recognition=DiplomaRecognition(c.diploma_recognition),
        languages=[LanguageLevel(lang.language, lang.level) for lang in languages], postcode=c.postcode,
        max_commute_km=c.max_commute_km, available_from=c.available_from, days_per_week=c.days_per_week,
        accepted_offer_types=[OfferType(t) for t in c.accepted_offer_types], programme=c.programme,
        path=ProgrammePath(c.path) if c.path else None, sector_preferences=list(c.sector_preferences),
        summary=c.summary,
    )


def candidate_view(session: Session, actor: Actor, candidate_id: int) -> CandidateView:
    candidate = _own_candidate(session, actor, candidate_id)
    identity = session.get(CandidateIdentity, candidate.id)
    return CandidateView(candidate.id, candidate.ref, _identity_input(identity), _profile_input(session, candidate),
                         candidate.municipality, candidate.updated_at, candidate.paused_at is not None)


def _terms(identity: IdentityInput | CandidateIdentity) -> list[str]:
    return identity_terms(identity.given_name, identity.family_name, identity.email, identity.phone, identity.address)


def update_candidate_identity(session: Session, actor: Actor, candidate_id: int, identity: IdentityInput) -> None:
    """Correct who the candidate is. The summary is scrubbed again, of the old and the new identity."""
    candidate = _own_candidate(session, actor, candidate_id)
    broken = validate_identity(identity, today=utcnow().date())
    if broken:
        raise RuleBroken(broken)
    row = session.get(CandidateIdentity, candidate.id)
    terms = _terms(row) + _terms(identity)
    for name, value in identity.__dict__.items():
        if name != "correspondence_language" or value:  # a form without the field keeps the saved language
            setattr(row, name, value)
    session.add(row)
    candidate.summary_scrubbed = scrub(candidate.summary, terms)
    candidate.updated_at = utcnow()
    session.add(candidate)
    enqueue(session, "candidates", candidate.id)


@dataclass(frozen=True)
class ProfilePreview:
    """Exactly what employers will see (``document`` is ``anonymised_profile``), with labels to show it."""

    document: dict
    labels: dict[str, str]  # skill and occupation URIs, programme keys -> label in the viewer's language


def profile_labels(session: Session, documents: list[dict], lang: str) -> dict[str, str]:
    """Labels for the skills, occupations and programmes that anonymised profiles refer to."""
    skills = sorted({uri for d in documents for uri in d["skill_ids"]})
    occupations = sorted({e["occupation"] for d in documents for e in d["experience"]})
    labels = {row.uri: row.labels.get(lang) or row.labels.get("en", row.uri)
              for row in (session.exec(select(Skill).where(col(Skill.uri).in_(skills))).all() if skills else [])}
    labels.update({row.uri: row.labels.get(lang) or row.labels.get("en", row.uri)
                   for row in (session.exec(select(Occupation).where(col(Occupation.uri).in_(occupations))).all()
                               if occupations else [])})
    labels.update(dict(session.exec(select(Programme.key, Programme.name)).all()))
    return labels


def profile_preview(session: Session, actor: Actor, candidate_id: int, profile: ProfileInput | None = None,
                    lang: str = "en") -> ProfilePreview:
    """The anonymised profile of ``profile`` as typed (not saved), or of the saved profile when None."""
    return preview_of(session, _own_candidate(session, actor, candidate_id), profile, lang)


def preview_of(session: Session, candidate: Candidate, profile: ProfileInput | None, lang: str) -> ProfilePreview:
    """What employers see of ``candidate``: with ``profile`` as typed, or as saved when None. Callers authorise."""
    if profile is None:
        document = anonymised_profile(profile_facts(session, [candidate.id])[candidate.id])
        return ProfilePreview(document, profile_labels(session, [document], lang))
    location = locate(profile.postcode) if profile.postcode.strip() else None
    known_skills = _known_skills(session, profile.skills)
    occupations = {e.occupation_uri for e in profile.experience}
    known_occupations = set(session.exec(select(Occupation.uri).where(col(Occupation.uri).in_(occupations))).all()) \
        if occupations else set()
    facts = ProfileFacts(
        id=candidate.id, ref=candidate.ref, coaching_service_id=candidate.coaching_service_id,
        skills=[uri for uri in dict.fromkeys(profile.skills) if uri in known_skills],
        experience=[(e.occupation_uri, e.years) for e in profile.experience if e.occupation_uri in known_occupations],
        education_level=str(profile.education_level), education_rank=EDUCATION_RANK[profile.education_level],
        education_field=profile.education_field.strip(), diploma_recognition=str(profile.diploma_recognition),
        languages={lang_.language: CEFR_RANK[lang_.level] for lang_ in profile.languages if lang_.level in CEFR_RANK},
        municipality=location.municipality if location else "", region=location.region if location else "",
        lat=location.lat if location else 0.0, lon=location.lon if location else 0.0,
        max_commute_km=profile.max_commute_km, available_from_ts=_timestamp(profile.available_from),
        days_per_week=profile.days_per_week, accepted_offer_types=[str(t) for t in profile.accepted_offer_types],
        programme=profile.programme, path=str(profile.path or ""),
        eligible_programmes=eligible_programmes(session, [candidate.id])[candidate.id],
        sector_preferences=list(profile.sector_preferences),
        summary_scrubbed=scrub(profile.summary.strip(), _terms(session.get(CandidateIdentity, candidate.id))),
    )
    document = anonymised_profile(facts)
    return ProfilePreview(document, profile_labels(session, [document], lang))


def profile_choices(session: Session, profile: ProfileInput, lang: str = "en") -> tuple[list[dict], list[dict]]:
    """The chosen skills and work experience of a profile form, with labels in ``lang`` (unknown ones left out)."""
    skills = {row.uri: row.labels.get(lang) or row.labels.get("en", row.uri) for row in
              (session.exec(select(Skill).where(col(Skill.uri).in_(profile.skills))).all() if profile.skills else [])}
    uris = [e.occupation_uri for e in profile.experience]
    occupations = {row.uri: row.labels.get(lang) or row.labels.get("en", row.uri) for row in
                   (session.exec(select(Occupation).where(col(Occupation.uri).in_(uris))).all() if uris else [])}
    return ([{"uri": uri, "label": skills[uri]} for uri in dict.fromkeys(profile.skills) if uri in skills],
            [{"uri": e.occupation_uri, "label": occupations[e.occupation_uri], "years": e.years}
             for e in profile.experience if e.occupation_uri in occupations])
