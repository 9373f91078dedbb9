"""Team mode: one shared PostgreSQL database for many annotators.

`roles` sets up the schema, the database roles and the row-level security that lets each
annotator write only their own labels and the lead read everybody's; `push` moves a project
file onto the server. The connection settings PostgreSQL needs live in store.engine.
"""
