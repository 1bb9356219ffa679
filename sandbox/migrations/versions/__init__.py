"""Alembic revisions of the sandbox's schema, one file each, ``NNNN_what_it_does.py``.

Rules for a new revision (docs/architecture.md, "Schema changes"):

- Dialect-neutral: the same file runs on SQLite and PostgreSQL. Use ``op.*`` and
  SQLAlchemy types, never SQL text written for one database.
- Change an existing table inside ``with op.batch_alter_table("name") as batch:``.
  SQLite cannot ALTER most things; batch mode rebuilds the table there (copy, drop,
  rename) and issues plain ALTERs elsewhere. The migration connection has foreign keys
  off on SQLite, so a rebuilt parent does not cascade into its children.
- Bump ``HEAD_REVISION`` in ``exam_sandbox/migrations/__init__.py`` to the new id.
"""
