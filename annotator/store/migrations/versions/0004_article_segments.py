"""Schema 4: articles keep the segments found at import (sentence boundaries and boilerplate
blocks), so the window shows them without running NLP. Existing articles get NULL; the
window fills them in the background (ingest.highlighting.fill_segments)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("article") as batch:
        batch.add_column(sa.Column("segments", sa.JSON(), nullable=True))
    op.execute("UPDATE projectinfo SET value = '4' WHERE key = 'schema_version'")


def downgrade() -> None:
    with op.batch_alter_table("article") as batch:
        batch.drop_column("segments")
    op.execute("UPDATE projectinfo SET value = '3' WHERE key = 'schema_version'")
