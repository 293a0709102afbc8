"""server-side sessions

Revision ID: 0010
Revises: 0013_c
Create Date: 2026-12-04 20:20:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'usersession',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('last_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('ended_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('end_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('device', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index(op.f('ix_usersession_user_id'), 'usersession', ['user_id'], unique=False)
    op.create_index(op.f('ix_usersession_ended_at'), 'usersession', ['ended_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_usersession_ended_at'), table_name='usersession')
    op.drop_index(op.f('ix_usersession_user_id'), table_name='usersession')
    op.drop_table('usersession')
