"""a pool that stays fresh: "still looking?" for candidates, confirmation for offers

Revision ID: 0017
Revises: 0011_b
Create Date: 2026-12-04 21:10:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0017'
down_revision = '0011_b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('candidate') as batch:
        batch.add_column(sa.Column('still_looking_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('still_looking_asked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('paused_by_clock', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('offer') as batch:
        batch.add_column(sa.Column('confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('confirm_asked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('offer') as batch:
        batch.drop_column('confirm_asked_at')
        batch.drop_column('confirmed_at')
    with op.batch_alter_table('candidate') as batch:
        batch.drop_column('paused_by_clock')
        batch.drop_column('still_looking_asked_at')
        batch.drop_column('still_looking_at')
