"""The revisions on the store the suites run on (SQLite, or PostgreSQL: tests/stores.py).

test_migrations.py covers adoption and upgrades of SQLite files (release 0.1.0 was
SQLite only); this module proves what a shared PostgreSQL deployment relies on as
well: every revision runs on the store from an empty database to the newest and gives
the schema the metadata describes; ``exam-sandbox migrate --database-url`` applies them
and then finds nothing to do; and replicas starting on one empty database at once
create the schema once (the writers' lock is held while the schema changes).
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from stores import database_url, store_name
from test_serve import cli_command

from exam_sandbox.core.db import Database
from exam_sandbox.migrations import HEAD_REVISION, schema
from exam_sandbox.migrations.alembic_runner import alembic_config
from exam_sandbox.migrations.metadata import sandbox_metadata
from exam_sandbox.migrations.schema import VERSION_TABLE

REVISIONS = [f"{n:04d}" for n in range(1, int(HEAD_REVISION) + 1)]


def _on(url: str, work):
    db = Database(url)
    try:
        return work(db)
    finally:
        db.dispose()


def recorded(url: str) -> list[str]:
    def read(db):
        with db.reader.connect() as connection:
            return list(connection.execute(select(VERSION_TABLE.c.version_num)).scalars())

    return _on(url, read)


def differences(url: str) -> list:
    """What Alembic's autogenerate would still change: [] when the schema is the
    metadata's. SQLite cannot reflect expression indexes; the store's dialect says."""

    def compare(db):
        with db.schema_connection() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return [
                d for d in compare_metadata(context, sandbox_metadata())
                if not _unreflected_expression_index(d, db)
            ]

    return _on(url, compare)


FOLDED = "ix_surpass_candidate_last_name_folded"


def _unreflected_expression_index(difference, db) -> bool:
    """The expression index, which Alembic cannot compare: SQLite does not reflect it,
    and PostgreSQL reflects its text rewritten (``lower((last_name)::text) COLLATE
    "C"``). ``folded_index`` reads its definition instead."""
    return difference[0] in ("add_index", "remove_index") and difference[1].name == FOLDED


def folded_index(url: str) -> str:
    """The expression index's definition as the database keeps it."""

    def read(db):
        with db.reader.connect() as connection:
            if db.is_sqlite:
                sql = "SELECT sql FROM sqlite_master WHERE name = :name"
            else:
                sql = "SELECT indexdef FROM pg_indexes WHERE indexname = :name"
            return connection.execute(text(sql), {"name": FOLDED}).scalar()

    return _on(url, read)


def tables_and_indexes(url: str) -> dict[str, tuple]:
    def shapes(db):
        with db.reader.connect() as connection:
            found = inspect(connection)
            return {
                name: (
                    sorted((c["name"], str(c["type"]), c["nullable"])
                           for c in found.get_columns(name)),
                    sorted(i["name"] for i in found.get_indexes(name)),
                )
                for name in found.get_table_names()
            }

    return _on(url, shapes)


def test_every_revision_runs_on_the_store_and_ends_at_the_metadatas_schema(
    tmp_path, recwarn
):
    url = database_url(tmp_path, "stepwise")

    def step(db):
        for revision in REVISIONS:  # one at a time, as a database kept across releases
            with db.schema_connection() as connection:
                command.upgrade(alembic_config(connection), revision)

    _on(url, step)
    assert recorded(url) == [HEAD_REVISION]
    assert differences(url) == []


def test_an_empty_database_is_created_at_the_newest_revision_alike(tmp_path, recwarn):
    """Created from the metadata on start (no Alembic) or by every revision: one schema."""
    created = database_url(tmp_path, "created")
    migrated = database_url(tmp_path, "migrated")
    change = _on(created, schema.bring_to_head)
    assert (change.action, change.found, change.head) == ("created", None, HEAD_REVISION)

    def upgrade(db):
        with db.schema_connection() as connection:
            command.upgrade(alembic_config(connection), "head")

    _on(migrated, upgrade)
    assert recorded(created) == recorded(migrated) == [HEAD_REVISION]
    assert tables_and_indexes(created) == tables_and_indexes(migrated)
    # The prefix range's index, alike both ways: compared by code point (revision 0007).
    made, upgraded = folded_index(created), folded_index(migrated)
    if store_name() == "sqlite":
        assert "lower(last_name)" in made and "lower(last_name)" in upgraded
    else:
        assert 'lower((last_name)::text) COLLATE "C"' in made
        assert made == upgraded


def test_replicas_preparing_one_empty_database_at_once_create_it_once(tmp_path):
    """Each replica's start prepares the database; the writers' lock, held while the
    schema changes, makes the later ones find the first one's schema."""
    url = database_url(tmp_path, "racing")
    databases = [Database(url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(4) as pool:
            actions = sorted(pool.map(lambda db: schema.bring_to_head(db).action, databases))
    finally:
        for db in databases:
            db.dispose()
    assert actions == ["created", "current", "current", "current"]
    assert recorded(url) == [HEAD_REVISION]


def test_migrate_database_url_creates_then_finds_nothing_to_do(tmp_path):
    url = database_url(tmp_path, "migrate")
    said = []
    for _ in range(2):
        done = subprocess.run(
            [*cli_command(), "migrate", "--database-url", url],
            capture_output=True, text=True, timeout=60,
        )
        assert done.returncode == 0, done.stderr
        said.append(done.stdout.rsplit(": ", 2)[-2:])
    assert said == [
        ["empty database", f"created the schema at revision {HEAD_REVISION}\n"],
        [f"schema at revision {HEAD_REVISION}, the newest", "nothing to do\n"],
    ]
    assert recorded(url) == [HEAD_REVISION]
