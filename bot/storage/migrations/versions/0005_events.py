"""event subscriptions, reminders, announced events; the outbox's announcement and recipient

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("announcement", sa.String(80), nullable=True))
        batch.add_column(sa.Column("recipient", sa.String(64), nullable=True))
        batch.add_column(sa.Column("bulk", sa.SmallInteger(), nullable=False, server_default=sa.text("0")))
        batch.create_unique_constraint(op.f("uq_outbox_announcement_recipient"), ["announcement", "recipient"])
        batch.create_index("ix_outbox_status_bulk", ["status", "bulk"])
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("place", sa.String(64), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("created", AWARE, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint("user", "place", "category", name=op.f("uq_subscriptions_user_place_category")),
    )
    op.create_index(op.f("ix_subscriptions_user"), "subscriptions", ["user"])
    op.create_index(op.f("ix_subscriptions_place"), "subscriptions", ["place"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("remind_at", AWARE, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint("user", "event", name=op.f("uq_reminders_user_event")),
    )
    op.create_index(op.f("ix_reminders_user"), "reminders", ["user"])
    op.create_index(op.f("ix_reminders_remind_at"), "reminders", ["remind_at"])
    op.create_table(
        "announced",
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("at", AWARE, nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event", name=op.f("pk_announced")),
    )


def downgrade() -> None:
    op.drop_table("announced")
    for index, table in (("ix_reminders_remind_at", "reminders"), ("ix_reminders_user", "reminders"),
                         ("ix_subscriptions_place", "subscriptions"), ("ix_subscriptions_user", "subscriptions")):
        op.drop_index(op.f(index), table_name=table)
    op.drop_table("reminders")
    op.drop_table("subscriptions")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_status_bulk")
        batch.drop_constraint(op.f("uq_outbox_announcement_recipient"), type_="unique")
        batch.drop_column("bulk")
        batch.drop_column("recipient")
        batch.drop_column("announcement")
