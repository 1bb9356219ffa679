"""Alembic's environment: how a revision reaches the database.

Alembic runs this file for every command. The sandbox passes the connection to use in
``config.attributes["connection"]`` (``alembic_runner``): one write transaction, with
the writer queue held and, on SQLite, foreign keys off (``Database.schema_connection``).
A developer's ``alembic -c sandbox/migrations/alembic.ini -x url=URL ...`` names a
database instead. Batch mode is on so autogenerate writes SQLite-safe ALTERs.
"""

from __future__ import annotations

from alembic import context

from exam_sandbox.core.db import disposable_engine
from exam_sandbox.migrations.metadata import sandbox_metadata


def run_on(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=sandbox_metadata(),
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("exam-sandbox migrations run against a database, not as --sql scripts")

given = context.config.attributes.get("connection")
if given is not None:
    run_on(given)
else:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("name the database: alembic -x url=sqlite:////path/sandbox.db ...")
    with disposable_engine(url).begin() as connection:
        run_on(connection)
