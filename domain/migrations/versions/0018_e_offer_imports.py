"""offers are imported in steps like candidates (an import has a kind); a candidate's correspondence language

Revision ID: 0018_e
Revises: 0018_d (was 0017; relinked when main brought 0018_d)
Create Date: 2026-12-04 23:55:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0018_e'
down_revision = '0018_d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('candidateimport') as batch:
        batch.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default='candidates'))
    with op.batch_alter_table('candidateidentity') as batch:
        batch.add_column(sa.Column('correspondence_language', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                   server_default='nl'))


def downgrade() -> None:
    with op.batch_alter_table('candidateidentity') as batch:
        batch.drop_column('correspondence_language')
    with op.batch_alter_table('candidateimport') as batch:
        batch.drop_column('kind')
