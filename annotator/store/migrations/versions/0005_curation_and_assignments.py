"""Schema 5: curation (a reserved gold annotator, where each gold label came from, each
article's curation state) and work distribution (annotators' queues of assigned articles).
Existing annotators are people; nothing is curated or assigned yet."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("annotator") as batch:
        batch.add_column(sa.Column("kind", sa.String(), nullable=False, server_default="person"))
    op.create_table(
        "goldorigin",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("article.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("actor.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("target", sa.String(), primary_key=True),
        sa.Column("origin", sa.String(), nullable=False),
        sa.Column("source_annotator_id", sa.Integer(),
                  sa.ForeignKey("annotator.id", ondelete="SET NULL"), nullable=True),
        sa.Column("strategy", sa.String(), nullable=True),
        sa.Column("curator_id", sa.Integer(), sa.ForeignKey("annotator.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
    )  # fmt: skip
    op.create_table(
        "curation",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("article.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("curator_id", sa.Integer(), sa.ForeignKey("annotator.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
    )  # fmt: skip
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("article.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("annotator_id", sa.Integer(),
                  sa.ForeignKey("annotator.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("overlap", sa.Boolean(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("article_id", "annotator_id"),
    )  # fmt: skip
    op.create_index("ix_assignment_article_id", "assignment", ["article_id"])
    op.create_index("ix_assignment_queue", "assignment", ["annotator_id", "position"])
    op.execute("UPDATE projectinfo SET value = '5' WHERE key = 'schema_version'")


def downgrade() -> None:
    op.drop_index("ix_assignment_queue", "assignment")
    op.drop_index("ix_assignment_article_id", "assignment")
    op.drop_table("assignment")
    op.drop_table("curation")
    op.drop_table("goldorigin")
    with op.batch_alter_table("annotator") as batch:
        batch.drop_column("kind")
    op.execute("UPDATE projectinfo SET value = '4' WHERE key = 'schema_version'")
