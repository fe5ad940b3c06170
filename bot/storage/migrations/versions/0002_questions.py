"""questions: the anonymised question log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No pseudonym, no time of day: a logged question cannot be traced back to a person.
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("place", sa.String(64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answer", sa.String(64), nullable=True),
        sa.Column("score", sa.Float(), nullable=False, server_default=sa.text("0")),
        sa.Column("feedback", sa.SmallInteger(), nullable=False, server_default=sa.text("0")),
        sa.Column("alert", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )


def downgrade() -> None:
    op.drop_table("questions")
