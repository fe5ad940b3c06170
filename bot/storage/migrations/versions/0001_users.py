"""users: per-person state under a keyed pseudonym

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Only the pseudonym identifies a row: no channel id, name or username, ever (SPEC "Storage").
    op.create_table(
        "users",
        sa.Column("pseudonym", sa.String(64), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("place", sa.String(64), nullable=True),
        sa.Column("awaiting", sa.String(32), nullable=False, server_default=sa.text("''")),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pseudonym", name=op.f("pk_users")),
    )


def downgrade() -> None:
    op.drop_table("users")
