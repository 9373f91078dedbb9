"""Alembic environment: migrations always run on the connection the tool hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from annotator.store import models  # noqa: F401 - registers the tables on SQLModel.metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite can only ALTER by copying the table; batch mode does that
)
with context.begin_transaction():
    context.run_migrations()
