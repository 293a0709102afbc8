"""ESCO reference data in the database, and the database-backed skill and occupation pickers."""

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from domain.tables import Occupation, Skill
from seed.reference import esco_occupations, esco_skills


@dataclass(frozen=True)
class Choice:
    uri: str
    label: str


def _search_text(labels: dict, alt: dict) -> str:
    words = list(labels.values()) + [a for alts in alt.values() for a in alts]
    return " | ".join(dict.fromkeys(w.lower() for w in words))


def load_esco(session: Session) -> int:
    """Insert the ESCO skills and occupations the database does not have yet; returns how many."""
    have_skills = set(session.exec(select(Skill.uri)).all())
    have_occupations = set(session.exec(select(Occupation.uri)).all())
    added = 0
    for skill in esco_skills().values():
        if skill.uri not in have_skills:
            alt = {lang: list(values) for lang, values in skill.alt.items()}
            session.add(Skill(uri=skill.uri, type=skill.type, labels=dict(skill.labels), alt=alt,
                              search_text=_search_text(skill.labels, alt)))
            added += 1
    for occupation in esco_occupations().values():
        if occupation.uri not in have_occupations:
            alt = {lang: list(values) for lang, values in occupation.alt.items()}
            session.add(Occupation(uri=occupation.uri, isco=occupation.isco, labels=dict(occupation.labels),
                                   search_text=_search_text(occupation.labels, alt)))
            added += 1
    return added


def _label(labels: dict, lang: str) -> str:
    return labels.get(lang) or labels.get("en") or ""


def _pick(session: Session, table, q: str, lang: str, limit: int) -> list[Choice]:
    words = [w for w in q.lower().split() if w][:5]
    if not words:
        return []
    query = select(table)
    for word in words:
        query = query.where(col(table.search_text).contains(word))
    rows = session.exec(query.order_by(func.length(table.search_text)).limit(limit)).all()
    return [Choice(row.uri, _label(row.labels, lang)) for row in rows]


def pick_skills(session: Session, q: str, lang: str = "en", limit: int = 10) -> list[Choice]:
    return _pick(session, Skill, q, lang, limit)


def pick_occupations(session: Session, q: str, lang: str = "en", limit: int = 10) -> list[Choice]:
    return _pick(session, Occupation, q, lang, limit)


def occupation_choice(session: Session, uri: str | None, lang: str = "en") -> Choice | None:
    row = session.get(Occupation, uri) if uri else None
    return Choice(row.uri, _label(row.labels, lang)) if row else None
