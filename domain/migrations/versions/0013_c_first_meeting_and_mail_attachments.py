"""first meeting: proposed moments, the chosen one; e-mails carry an .ics attachment

Revision ID: 0013_c
Revises: 0013_b
Create Date: 2026-12-04 20:25:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0013_c'
down_revision = '0013_b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'firstmeeting',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('placement_id', sa.Integer(), nullable=False),
        sa.Column('slots', sa.JSON(), nullable=False),
        sa.Column('chosen', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('address', sa.Text(), nullable=False),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('proposed_by', sa.Integer(), nullable=True),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['placement_id'], ['placement.id']),
        sa.ForeignKeyConstraint(['proposed_by'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('placement_id'),
    )
    with op.batch_alter_table('outgoingmail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachment', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('outgoingmail', schema=None) as batch_op:
        batch_op.drop_column('attachment')
    op.drop_table('firstmeeting')
