"""optional gender a candidate states on their page, for fairness monitoring only

Revision ID: 0018_d
Revises: 0017
Create Date: 2026-12-04 23:40:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0018_d'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'candidategender',
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('gender', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('stated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id']),
        sa.PrimaryKeyConstraint('candidate_id'),
    )


def downgrade() -> None:
    op.drop_table('candidategender')
