"""ESCO reference data in the database, and the database-backed occupation picker.

Skills are picked through the Meilisearch ``skills`` index (``search/skills.py``)."""

from dataclasses import dataclass

from sqlalchemy import insert, update
from sqlmodel import Session, col, func, select

from domain.reference import esco_checksum, esco_occupations, esco_skills
from domain.tables import Occupation, OutboxEntry, ReferenceLoad, Skill, utcnow


@dataclass(frozen=True)
class Choice:
    uri: str
    label: str


def _search_text(labels: dict, alt: dict) -> str:
    words = list(labels.values()) + [a for alts in alt.values() for a in alts]
    return " | ".join(dict.fromkeys(w.lower() for w in words))


def load_esco(session: Session, force: bool = False) -> int:
    """Bring the ESCO skills and occupations in the database up to the shipped data file.

    Skipped when the file's checksum is the one loaded last time (unless ``force``). Otherwise
    inserts what is new, updates what changed (each queued for the search index) and returns how
    many rows it wrote.
    """
    checksum = esco_checksum()
    done = session.get(ReferenceLoad, "esco")
    if done is not None and done.checksum == checksum and not force:
        return 0
    written = 0
    for table, index, wanted in (
        (Skill, "skills", {s.uri: dict(uri=s.uri, type=s.type, labels=dict(s.labels),
                                       alt={k: list(v) for k, v in s.alt.items()})
                           for s in esco_skills().values()}),
        (Occupation, "occupations", {o.uri: dict(uri=o.uri, isco=o.isco, labels=dict(o.labels),
                                                 alt={k: list(v) for k, v in o.alt.items()},
                                                 search_text=_search_text(o.labels, o.alt))
                                     for o in esco_occupations().values()}),
    ):
        columns = list(next(iter(wanted.values())))
        have = {row[0]: dict(zip(columns, row, strict=True))
                for row in session.execute(select(*(getattr(table, c) for c in columns))).all()}
        new = [values for uri, values in wanted.items() if uri not in have]
        changed = [values for uri, values in wanted.items() if uri in have and have[uri] != values]
        if new:
            session.execute(insert(table), new)
        for values in changed:
            session.execute(update(table).where(table.uri == values["uri"]).values(**values))
        touched = [v["uri"] for v in new + changed]
        if touched:
            now = utcnow()
            session.execute(insert(OutboxEntry), [{"index": index, "key": uri, "created_at": now, "attempts": 0,
                                                   "next_attempt_at": now, "last_error": ""} for uri in touched])
        written += len(touched)
    if done is None:
        session.add(ReferenceLoad(name="esco", checksum=checksum))
    else:
        done.checksum, done.loaded_at = checksum, utcnow()
        session.add(done)
    session.flush()
    return written


def _label(labels: dict, lang: str) -> str:
    """The ESCO label in ``lang``; the English one marked " (EN)" where ESCO has none (never invented)."""
    if labels.get(lang):
        return labels[lang]
    return (labels.get("en") or "") + (" (EN)" if lang != "en" else "")


@dataclass(frozen=True)
class OccupationSkills:
    """An occupation's ESCO skills, proposed when it is chosen (occupation first)."""

    occupation: Choice
    essential: list[Choice]
    optional: list[Choice]


def occupation_skills(session: Session, uri: str | None, lang: str = "en") -> OccupationSkills | None:
    """The occupation and its essential and optional skills (labels in ``lang``, sorted by label)."""
    occupation = esco_occupations().get(uri or "")
    if occupation is None:
        return None
    skills = esco_skills()

    def choices(uris: tuple[str, ...]) -> list[Choice]:
        return sorted((Choice(u, _label(skills[u].labels, lang)) for u in uris if u in skills),
                      key=lambda c: c.label.casefold())

    return OccupationSkills(Choice(occupation.uri, _label(occupation.labels, lang)),
                            choices(occupation.essential), choices(occupation.optional))


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
