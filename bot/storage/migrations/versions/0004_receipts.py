"""receipts: the channel's ids of sent messages, for delivery reports (Viber's delivered, seen and failed);
the outbox's delivered, seen and parts (how much of a reply a failed attempt already sent)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("delivered", AWARE, nullable=True))
        batch.add_column(sa.Column("seen", AWARE, nullable=True))
        batch.add_column(sa.Column("parts", sa.Integer(), nullable=False, server_default=sa.text("0")))
    op.create_table(
        "receipts",
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("token", sa.String(40), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "token", name=op.f("pk_receipts")),
    )
    op.create_index(op.f("ix_receipts_outbox_id"), "receipts", ["outbox_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_receipts_outbox_id"), table_name="receipts")
    op.drop_table("receipts")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("parts")
        batch.drop_column("seen")
        batch.drop_column("delivered")
