"""Schema 3: annotators carry an identity (`uid`), so a merge can tell two people apart who
chose the same name. Existing annotators get none ("unverified"); the first merge of a file
that has one records it (see store/merge.py)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("annotator") as batch:
        batch.add_column(sa.Column("uid", sa.String(), nullable=True))
        batch.create_index("ix_annotator_uid", ["uid"], unique=True)
    op.execute("UPDATE projectinfo SET value = '3' WHERE key = 'schema_version'")


def downgrade() -> None:
    with op.batch_alter_table("annotator") as batch:
        batch.drop_index("ix_annotator_uid")
        batch.drop_column("uid")
    op.execute("UPDATE projectinfo SET value = '2' WHERE key = 'schema_version'")
