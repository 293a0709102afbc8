"""candidates keep their own profile (history, pause); every user has a language

Revision ID: 0013
Revises: 0007
Create Date: 2026-12-04 20:20:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0013'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''))
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.create_table(
        'candidateprofilechange',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user.id']),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('candidateprofilechange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidateprofilechange_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidateprofilechange_candidate_id'), ['candidate_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('candidateprofilechange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidateprofilechange_candidate_id'))
        batch_op.drop_index(batch_op.f('ix_candidateprofilechange_at'))
    op.drop_table('candidateprofilechange')
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_column('paused_at')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('language')
