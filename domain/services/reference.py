"""ESCO reference data in the database, and the database-backed occupation picker.

Skills are picked through the Meilisearch ``skills`` index (``search/skills.py``)."""

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from domain.services.outbox import enqueue
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
    """Bring the ESCO skills and occupations in the database up to the shipped data file.

    Inserts what is new and updates labels that changed; returns how many rows it wrote.
    """
    skills = {row.uri: row for row in session.exec(select(Skill)).all()}
    occupations = {row.uri: row for row in session.exec(select(Occupation)).all()}
    written = 0
    for skill in esco_skills().values():
        alt = {lang: list(values) for lang, values in skill.alt.items()}
        values = dict(type=skill.type, labels=dict(skill.labels), alt=alt)
        written += _upsert(session, Skill, skills.get(skill.uri), skill.uri, values)
    for occupation in esco_occupations().values():
        alt = {lang: list(values) for lang, values in occupation.alt.items()}
        values = dict(isco=occupation.isco, labels=dict(occupation.labels),
                      search_text=_search_text(occupation.labels, alt))
        written += _upsert(session, Occupation, occupations.get(occupation.uri), occupation.uri, values)
    return written


def _upsert(session: Session, table, row, uri: str, values: dict) -> int:
    if row is None:
        row = table(uri=uri, **values)
    elif all(getattr(row, key) == value for key, value in values.items()):
        return 0
    else:
        for key, value in values.items():
            setattr(row, key, value)
    session.add(row)
    if table is Skill:
        enqueue(session, "skills", uri)
    return 1


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


def pick_occupations(session: Session, q: str, lang: str = "en", limit: int = 10) -> list[Choice]:
    return _pick(session, Occupation, q, lang, limit)


def occupation_choice(session: Session, uri: str | None, lang: str = "en") -> Choice | None:
    row = session.get(Occupation, uri) if uri else None
    return Choice(row.uri, _label(row.labels, lang)) if row else None
