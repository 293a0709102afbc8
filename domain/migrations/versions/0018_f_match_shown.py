"""which candidates an employer's match list showed per offer (first time), for fairness monitoring per employer

Revision ID: 0018_f
Revises: 0018_b
Create Date: 2026-12-05 09:15:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0018_f'
down_revision = '0018_b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'matchshown',
        sa.Column('offer_id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('first_shown_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['offer_id'], ['offer.id']),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id']),
        sa.PrimaryKeyConstraint('offer_id', 'candidate_id'),
    )
    op.create_index('ix_matchshown_candidate_id', 'matchshown', ['candidate_id'])


def downgrade() -> None:
    op.drop_index('ix_matchshown_candidate_id', 'matchshown')
    op.drop_table('matchshown')
