"""Schema 7: stance suggestions (annotator/suggest/) and the stance models learnt from a
project. New tables only; nothing else changes."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("article.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("actor.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("stance", sa.String(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("margin", sa.Float(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("model_version", sa.Integer(), nullable=True),
        sa.Column("annotator_id", sa.Integer(),
                  sa.ForeignKey("annotator.id", ondelete="CASCADE"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )  # fmt: skip
    op.create_index("ix_suggestion_article_id", "suggestion", ["article_id"])
    op.create_table(
        "stancemodel",
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("trained_from", sa.String(), nullable=False),
        sa.Column("annotator_id", sa.Integer(),
                  sa.ForeignKey("annotator.id", ondelete="SET NULL"), nullable=True),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("usable", sa.Boolean(), nullable=False),
        sa.Column("quality", sa.JSON(), nullable=False),
        sa.Column("numbers", sa.JSON(), nullable=False),
    )  # fmt: skip
    op.execute("UPDATE projectinfo SET value = '7' WHERE key = 'schema_version'")


def downgrade() -> None:
    op.drop_table("stancemodel")
    op.drop_index("ix_suggestion_article_id", "suggestion")
    op.drop_table("suggestion")
    op.execute("UPDATE projectinfo SET value = '6' WHERE key = 'schema_version'")
