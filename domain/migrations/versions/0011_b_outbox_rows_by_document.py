"""outbox rows by document: claims serialise per (index, key)

Revision ID: 0011_b
Revises: 0011
Create Date: 2026-12-04 20:55:00
"""
from alembic import op

revision = '0011_b'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_outboxentry_document', 'outboxentry', ['index', 'key'])


def downgrade() -> None:
    op.drop_index('ix_outboxentry_document', table_name='outboxentry')
