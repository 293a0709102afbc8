"""Index changes are written to the outbox in the same transaction as the change itself."""

from sqlmodel import Session, func, select

from domain.tables import OutboxEntry

INDEXES = ("skills", "occupations", "offers", "candidates", "employers")


def enqueue(session: Session, index: str, key: int | str) -> None:
    assert index in INDEXES, index
    session.add(OutboxEntry(index=index, key=str(key)))


def pending_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.done_at == None)).one()  # noqa: E711
