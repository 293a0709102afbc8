"""``opstap backup`` then ``opstap restore`` gives back every table exactly as it was, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import MetaData, select

from domain.accounts import Role
from domain.backup import BackupError, backup, restore
from domain.db import make_engine, session_scope
from domain.migrate import upgrade
from domain.tables import Organisation
from seed.builders import make_candidate, make_employer, make_interest, make_offer, make_user
from tests.integration.test_acceptance_race import committed_database  # noqa: F401 - a fixture


def _every_table(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {name: sorted(tuple(map(repr, row)) for row in connection.execute(select(table)))
                    for name, table in metadata.tables.items()}
    finally:
        engine.dispose()


def _add_people(url: str) -> None:
    engine = make_engine(url)
    with session_scope(engine) as session:
        employer = make_employer(session)
        coach = make_user(session, role=Role.COACH)
        offer_id = make_offer(session, employer, publish=True)
        make_interest(session, employer, offer_id, make_candidate(session, coach).ref)
    engine.dispose()


def test_a_restored_backup_equals_the_database_when_it_was_made(committed_database, tmp_path):  # noqa: F811 - the imported fixture
    _add_people(committed_database)
    before = _every_table(committed_database)
    assert sum(len(rows) for rows in before.values()) > 0

    path = backup(committed_database, tmp_path / "opstap.backup")

    _add_people(committed_database)  # life goes on after the backup: new rows, and a changed one
    engine = make_engine(committed_database)
    with session_scope(engine) as session:
        organisation = session.exec(select(Organisation).order_by(Organisation.id).limit(1)).scalars().one()
        organisation.name = "Renamed after the backup"
        session.add(organisation)
    engine.dispose()
    assert _every_table(committed_database) != before

    restore(committed_database, path)

    assert _every_table(committed_database) == before


def test_a_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "there.backup"
    existing.write_text("keep me")
    with pytest.raises(BackupError, match="exists already"):
        backup(f"sqlite:///{tmp_path / 'db.sqlite3'}", existing)
    assert existing.read_text() == "keep me"


def test_restoring_something_that_is_not_a_backup_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    _add_people(url)
    before = _every_table(url)
    junk = tmp_path / "junk.backup"
    junk.write_text("not a database")
    with pytest.raises(BackupError):
        restore(url, junk)
    assert _every_table(url) == before
