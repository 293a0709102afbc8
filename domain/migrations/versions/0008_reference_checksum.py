"""reference data checksum (an unchanged ESCO file is not reloaded at start-up); occupation alt labels

Revision ID: 0008
Revises: 0013_c
Create Date: 2026-12-04
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0013_c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "referenceload",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("checksum", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("occupation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alt", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("occupation", schema=None) as batch_op:
        batch_op.drop_column("alt")
    op.drop_table("referenceload")
