"""administration from the browser: organisations can be deactivated, programme rules are versioned

Revision ID: 0013_b
Revises: 0013
Create Date: 2026-12-04 20:20:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0013_b'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    op.create_table(
        'programmeversion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('rules', sa.JSON(), nullable=False),
        sa.Column('changed_by', sa.Integer(), nullable=True),
        sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['changed_by'], ['user.id']),
        sa.ForeignKeyConstraint(['programme_id'], ['programme.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('programme_id', 'version'),
    )
    with op.batch_alter_table('programmeversion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programmeversion_programme_id'), ['programme_id'], unique=False)
    # Version 1 of every programme: its rules as they are now, before any administrator changes them.
    op.execute("INSERT INTO programmeversion (programme_id, version, rules, changed_at) "
               "SELECT id, 1, rules, created_at FROM programme")


def downgrade() -> None:
    with op.batch_alter_table('programmeversion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programmeversion_programme_id'))
    op.drop_table('programmeversion')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('active')
