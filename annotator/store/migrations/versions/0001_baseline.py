"""Schema 1: the first released schema (articles, mentions, actors, labels, history).

Projects of schema 1 were created with `create_all` before Alembic tracked them; this
revision only marks that starting point.
"""

from __future__ import annotations

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
