"""one open interest request per offer and candidate (partial unique index)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 20:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

OPEN = sa.text("state = 'requested'")


def upgrade() -> None:
    # Requests whose time is up but that the expiry job has not reached yet are expired now, so they do not
    # count as open; of any remaining duplicates (only possible through a race before this index) the newest stays.
    op.execute("UPDATE interestrequest SET state = 'expired' WHERE state = 'requested' AND expires_at < CURRENT_TIMESTAMP")
    op.execute("""
        UPDATE interestrequest SET state = 'withdrawn'
        WHERE state = 'requested' AND EXISTS (
            SELECT 1 FROM interestrequest AS newer
            WHERE newer.offer_id = interestrequest.offer_id AND newer.candidate_id = interestrequest.candidate_id
              AND newer.state = 'requested' AND newer.id > interestrequest.id)
    """)
    op.create_index('uq_interestrequest_open', 'interestrequest', ['offer_id', 'candidate_id'], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index('uq_interestrequest_open', table_name='interestrequest')
