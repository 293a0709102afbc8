"""Labels a match card needs beside its anonymised facts: skills, occupations and programmes."""

from sqlmodel import Session, col, select

from domain.services.offers import _label, skill_labels
from domain.services.screening import programmes
from domain.tables import Occupation


def card_labels(
    session: Session, skill_uris: list[str], occupation_uris: list[str], lang: str
) -> dict[str, str]:
    """URI (skill or occupation) or programme slug -> its label in ``lang``."""
    labels = skill_labels(session, skill_uris, lang)
    if occupation_uris:
        rows = session.exec(select(Occupation.uri, Occupation.labels)
                            .where(col(Occupation.uri).in_(occupation_uris))).all()
        labels.update({uri: _label(names, lang) for uri, names in rows})
    labels.update({p.key: p.name for p in programmes(session)})
    return labels


def programme_choices(session: Session) -> list[tuple[str, str]]:
    """(slug, name) of each active programme, for the "eligible for" filter."""
    return [(p.key, p.name) for p in programmes(session)]
