"""Running Alembic's revisions on a connection the sandbox already holds.

Alembic is configured in code (no alembic.ini is read): the scripts are this package's,
and ``env.py`` takes the connection from ``config.attributes``, so the revisions run
inside ``Database.schema_connection``'s transaction and a failure rolls all back.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from . import BASELINE_REVISION, MIGRATIONS_DIR, VERSIONS_DIR, UnknownRevision


def alembic_config(connection=None, version_dirs: Sequence[Path] = (VERSIONS_DIR,)) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(str(d) for d in version_dirs))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision(version_dirs: Sequence[Path] = (VERSIONS_DIR,)) -> str:
    return ScriptDirectory.from_config(alembic_config(None, version_dirs)).get_current_head()


def upgrade(connection, found: str | None, version_dirs: Sequence[Path]) -> list[str]:
    """Upgrade to the newest revision from ``found``; ``None`` means a database made
    before migrations, recorded first as the baseline. Returns the revisions run."""
    config = alembic_config(connection, version_dirs)
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    start = found or BASELINE_REVISION
    if start not in {revision.revision for revision in script.walk_revisions()}:
        raise UnknownRevision(
            f"the database is at schema revision {start}, which this release of "
            f"exam-sandbox does not know (its newest is {head}): a newer release made it"
        )
    pending = [revision.revision for revision in script.iterate_revisions(head, start)]
    pending = [revision for revision in reversed(pending) if revision != start]
    if found is None:
        command.stamp(config, BASELINE_REVISION)
    command.upgrade(config, "head")
    return pending
