from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import domain.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


bind = context.config.attributes["bind"]
if isinstance(bind, Connection):
    run(bind)
else:
    with bind.begin() as connection:
        run(connection)
