"""Bring a database to the newest schema revision; cheaply when there is nothing to do.

Every start runs this (``app.prepare_database``), so the two common cases, a database
already at the newest revision and an empty one, are handled here with SQLAlchemy Core
alone; Alembic is imported (``alembic_runner``) only when revisions must run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, inspect, select

from exam_sandbox.core.db import Database

from . import BASELINE_REVISION, HEAD_REVISION, VERSIONS_DIR
from .metadata import sandbox_metadata

# Alembic's version table, declared as Alembic declares it, so that an empty database
# can be stamped without importing Alembic (a test has Alembic read the stamp back).
VERSION_TABLE = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


@dataclass(frozen=True)
class SchemaChange:
    """What ``bring_to_head`` found and did."""

    found: str | None  # the revision recorded before; None when none was
    head: str
    action: str  # "current", "created", "adopted" (a pre-migrations database), "upgraded"
    applied: tuple[str, ...] = ()  # revisions run, oldest first

    def describe(self) -> str:
        if self.action == "current":
            return f"schema at revision {self.head}, the newest: nothing to do"
        if self.action == "created":
            return f"empty database: created the schema at revision {self.head}"
        steps = ", ".join(self.applied) if self.applied else "none"
        if self.action == "adopted" and not self.applied:
            return (
                f"tables from before migrations (release 0.1.0): recorded as revision "
                f"{BASELINE_REVISION}, the newest"
            )
        if self.action == "adopted":
            return (
                f"tables from before migrations (release 0.1.0): recorded as revision "
                f"{BASELINE_REVISION}, then upgraded to {self.head} (applied: {steps})"
            )
        return f"upgraded revision {self.found} to {self.head} (applied: {steps})"


def recorded_revision(connection, table_names: set[str]) -> str | None:
    if VERSION_TABLE.name not in table_names:
        return None
    return connection.execute(select(VERSION_TABLE.c.version_num)).scalar()


# Where the revisions are; a test adds a folder holding a revision of its own.
VERSION_DIRS: tuple[Path, ...] = (VERSIONS_DIR,)


def bring_to_head(
    db: Database, *, head: str | None = None, version_dirs: Sequence[Path] | None = None
) -> SchemaChange:
    """Create, adopt or upgrade ``db``'s schema, in one transaction holding the writers'
    queue; by default to ``HEAD_REVISION`` from ``VERSION_DIRS``."""
    head = head or HEAD_REVISION
    version_dirs = version_dirs or VERSION_DIRS
    metadata = sandbox_metadata()
    with db.schema_connection() as connection:
        table_names = set(inspect(connection).get_table_names())
        found = recorded_revision(connection, table_names)
        if found == head:
            return SchemaChange(found, head, "current")
        if found is None and not table_names & set(metadata.tables):
            db.create_schema(connection)
            VERSION_TABLE.create(connection, checkfirst=True)
            connection.execute(VERSION_TABLE.insert().values(version_num=head))
            return SchemaChange(None, head, "created")

        from . import alembic_runner  # only now: Alembic costs startup time

        applied = alembic_runner.upgrade(connection, found, version_dirs)
        action = "adopted" if found is None else "upgraded"
        return SchemaChange(found, head, action, tuple(applied))


class SchemaNotCurrent(RuntimeError):
    """``serve --no-migrate`` found a database this release's schema is not in."""


def require_head(db: Database, *, head: str | None = None) -> SchemaChange:
    """Check, changing nothing, that ``db`` is at ``head`` (by default the newest): what a
    replica started with ``--no-migrate`` does, leaving migrations to
    ``exam-sandbox migrate``, run once before the replicas start."""
    head = head or HEAD_REVISION
    with db.reader.connect() as connection:
        found = recorded_revision(connection, set(inspect(connection).get_table_names()))
    if found != head:
        shown = "no schema" if found is None else f"revision {found}"
        raise SchemaNotCurrent(
            f"the database has {shown}, this release needs revision {head}: run "
            "`exam-sandbox migrate --database-url URL` first (or start without --no-migrate)"
        )
    return SchemaChange(found, head, "current")
