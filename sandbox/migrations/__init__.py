"""The sandbox's schema over time: Alembic revisions, and bringing a database to the newest.

A database kept with ``--data-dir`` outlives the release that made it. On start
(``app.prepare_database``) and with ``exam-sandbox migrate``, ``schema.bring_to_head``
reads the revision the database records and:

- at the newest revision already (every later start): nothing, and Alembic is never
  imported, so startup pays for one small query;
- empty (a new data folder, every temporary one): creates the tables from the metadata
  and records the newest revision, again without Alembic (a test proves ``upgrade head``
  from empty gives the very same schema);
- the sandbox's tables but no revision (made by release 0.1.0, before migrations):
  records it as revision 0001, the baseline, then upgrades;
- an older revision: upgrades.

Adding a revision: docs/architecture.md, "Schema changes". ``HEAD_REVISION`` names the
newest revision so the common case needs no Alembic; a test keeps it equal to Alembic's.
"""

from __future__ import annotations

from pathlib import Path

# The schema of release 0.1.0, which created its tables without migrations.
BASELINE_REVISION = "0001"
# The newest revision in versions/; tests/test_migrations.py checks it against Alembic.
HEAD_REVISION = "0007"

MIGRATIONS_DIR = Path(__file__).resolve().parent
VERSIONS_DIR = MIGRATIONS_DIR / "versions"


class UnknownRevision(RuntimeError):
    """The database records a revision this release does not have: a newer release made
    it, and this one cannot know what that revision changed."""
