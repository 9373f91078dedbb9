"""Team mode: one shared PostgreSQL database for many annotators.

`roles` sets up the schema, the database roles, their grants and the row-level security that
lets each annotator write only their own labels and the lead read everybody's; `guards` holds
what the server checks itself (the codebook, evidence inside the text, name limits, the
checked "mark actor", the per-role writer lock, and that a suggestion is accepted or rejected
only where the window could offer it); `push` moves a project file onto the server;
`suggestions` tells a command whose part suggestions are before the server would refuse it.
The connection settings PostgreSQL needs (timeouts, UTC) live in store/dialects.py.
"""
