"""Schema 6: merging two actors is a recorded operation that can be undone. The merged-away
actor stays (the history names it) with `merged_into` pointing at the actor it became, and
`actormerge` records each merge: who, when, and what it moved (aliases, mentions), so undo
restores it. Existing actors are merged into nobody."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: on SQLite a foreign key here would make Alembic rebuild the actor
    # table, and dropping it cascades to every label (foreign keys are on). New files get
    # the key from the model; PostgreSQL can add it in place.
    op.add_column("actor", sa.Column("merged_into", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":
        op.create_foreign_key(
            "fk_actor_merged_into", "actor", "actor", ["merged_into"], ["id"], ondelete="SET NULL"
        )
    op.create_table(
        "actormerge",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("annotator_id", sa.Integer(),
                  sa.ForeignKey("annotator.id", ondelete="SET NULL"), nullable=True),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("actor.id"), nullable=False),
        sa.Column("into_id", sa.Integer(), sa.ForeignKey("actor.id"), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
    )  # fmt: skip
    op.create_index("ix_actormerge_source_id", "actormerge", ["source_id"])
    op.execute("UPDATE projectinfo SET value = '6' WHERE key = 'schema_version'")


def downgrade() -> None:
    op.drop_index("ix_actormerge_source_id", "actormerge")
    op.drop_table("actormerge")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_actor_merged_into", "actor", type_="foreignkey")
    op.drop_column("actor", "merged_into")
    op.execute("UPDATE projectinfo SET value = '5' WHERE key = 'schema_version'")
