"""single-use e-mailed account links (password reset, login link), hashed; API token expiry

Revision ID: 0018_c
Revises: 0018_e
Create Date: 2026-12-04 23:45:00
"""
from datetime import timedelta

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0018_c'
down_revision = '0018_e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'accountlink',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('next', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index(op.f('ix_accountlink_user_id'), 'accountlink', ['user_id'], unique=False)
    with op.batch_alter_table('apitoken') as batch:
        batch.add_column(sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    # Tokens made before expiry existed get the default: a year after they were created.
    tokens = sa.table('apitoken', sa.column('id', sa.Integer()),
                      sa.column('created_at', sqlmodel.sql.sqltypes.UTCDateTime()),
                      sa.column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime()))
    bind = op.get_bind()
    for token_id, created_at in bind.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        bind.execute(tokens.update().where(tokens.c.id == token_id)
                     .values(expires_at=created_at + timedelta(days=365)))


def downgrade() -> None:
    with op.batch_alter_table('apitoken') as batch:
        batch.drop_column('expires_at')
    op.drop_index(op.f('ix_accountlink_user_id'), table_name='accountlink')
    op.drop_table('accountlink')
