"""Helpers for the coach workspace tests: the candidate form as a browser submits it, fresh rows."""

from datetime import timedelta

from sqlmodel import Session, select

from domain.tables import Candidate, CandidateIdentity, Skill, utcnow

HX = {"HX-Request": "true"}


def candidate_form(csrf_token: str, **overrides) -> dict:
    """A valid registration (identity and profile); ``None`` leaves a field out."""
    today = utcnow().date()
    form = {
        "csrf_token": csrf_token, "mode": "register",
        "given_name": "Rania", "family_name": "Qudsi", "email": "rania.qudsi@example.org", "phone": "+32 470 11 22 33",
        "date_of_birth": "1990-05-17", "nationality": "SY", "country_of_origin": "SY",
        "arrival_date": (today - timedelta(days=400)).isoformat(), "address": "Sleepstraat 12, 9000 Gent",
        "education_level": "master", "education_field": "Pharmacy", "diploma_recognition": "pending",
        "language_nl": "B1", "language_en": "C1", "postcode": "9000", "max_commute_km": "30",
        "available_from": today.isoformat(), "days_per_week": "4",
        "accepted_offer_types": ["paid_traineeship", "work_based_training"], "sector_preferences": ["Q"],
        "summary": "Pharmacist with 6 years in a hospital pharmacy.",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def fresh_candidate(session: Session, candidate_id: int) -> Candidate:
    return session.exec(select(Candidate).where(Candidate.id == candidate_id)
                        .execution_options(populate_existing=True)).one()


def fresh_identity(session: Session, candidate_id: int) -> CandidateIdentity:
    return session.exec(select(CandidateIdentity).where(CandidateIdentity.candidate_id == candidate_id)
                        .execution_options(populate_existing=True)).one()


def labelled_skills(session: Session, n: int = 3) -> list[Skill]:
    """``n`` skills with distinct, unambiguous English labels of a few words."""
    rows = session.exec(select(Skill).order_by(Skill.uri)).all()
    picked, seen = [], set()
    for row in rows:
        label = row.labels.get("en", "")
        if len(label.split()) >= 3 and label.lower() not in seen and "," not in label and "|" not in label:
            picked.append(row)
            seen.add(label.lower())
        if len(picked) == n:
            return picked
    raise AssertionError("not enough labelled skills")
