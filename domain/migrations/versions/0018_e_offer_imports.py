"""offers are imported in steps like candidates: an import has a kind

Revision ID: 0018_e
Revises: 0017
Create Date: 2026-12-04 23:55:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0018_e'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('candidateimport') as batch:
        batch.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default='candidates'))


def downgrade() -> None:
    with op.batch_alter_table('candidateimport') as batch:
        batch.drop_column('kind')
