"""Index changes are written to the outbox in the same transaction as the change itself."""

from sqlalchemy import insert
from sqlmodel import Session, func, select

from domain.tables import OutboxEntry

INDEXES = ("skills", "occupations", "offers", "candidates", "employers")


def enqueue(session: Session, index: str, key: int | str) -> None:
    enqueue_many(session, index, [key])


def enqueue_many(session: Session, index: str, keys: list[int | str]) -> None:
    assert index in INDEXES, index
    if keys:
        session.execute(insert(OutboxEntry), [{"index": index, "key": str(key)} for key in keys])


def pending_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.done_at == None)).one()  # noqa: E711
