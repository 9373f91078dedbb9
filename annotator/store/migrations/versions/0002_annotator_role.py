"""Schema 2: annotators can be tied to a database role (team mode on PostgreSQL)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("annotator") as batch:
        batch.add_column(sa.Column("db_role", sa.String(), nullable=True))
    op.execute("UPDATE projectinfo SET value = '2' WHERE key = 'schema_version'")


def downgrade() -> None:
    with op.batch_alter_table("annotator") as batch:
        batch.drop_column("db_role")
    op.execute("UPDATE projectinfo SET value = '1' WHERE key = 'schema_version'")
