"""skills the traineeship teaches: "learned here" on the offer-skill relation (issue 13)

Revision ID: 0018_b
Revises: 0018_c
Create Date: 2026-12-04 23:55:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_b'
down_revision = '0018_c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('offerskill') as batch:
        batch.add_column(sa.Column('taught', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('offerskill') as batch:
        batch.drop_column('taught')
