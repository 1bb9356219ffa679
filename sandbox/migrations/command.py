"""``exam-sandbox migrate``: bring a database's schema to this release's, and say how.

``serve`` does the same on every start; this command does it alone, e.g. before
starting several sandboxes on one database, or to check a kept data folder. It changes
the schema only: the demo tenant is ``serve``'s to add.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def add_migrate_command(commands) -> None:
    """The ``migrate`` subcommand, on ``cli.build_parser``'s subparsers."""
    migrate = commands.add_parser(
        "migrate",
        help="upgrade a database's schema to this release's (serve does this on start)",
        description="Apply the schema migrations a database needs: create the schema in "
        "an empty one, adopt one made before migrations, upgrade an older one.",
    )
    where = migrate.add_mutually_exclusive_group()
    where.add_argument(
        "--data-dir", type=Path, metavar="DIR", help="the database in DIR/sandbox.db"
    )
    where.add_argument(
        "--database-url",
        metavar="URL",
        help="any SQLAlchemy URL, e.g. postgresql+psycopg://... (default: "
        "$EXAM_SANDBOX_DATABASE_URL; one of the two is needed)",
    )
    migrate.set_defaults(handler=migrate_command)


def migrate_command(args: argparse.Namespace) -> int:
    from sqlalchemy import make_url

    from exam_sandbox.core.db import Database, sqlite_url_for
    from exam_sandbox.wsgi import ENV_DATABASE_URL

    from . import UnknownRevision
    from .schema import bring_to_head

    if args.data_dir is not None:
        url = sqlite_url_for(args.data_dir.resolve())
    else:
        url = args.database_url or os.environ.get(ENV_DATABASE_URL)
    if not url:
        raise SystemExit(
            f"exam-sandbox migrate: which database? Give --data-dir DIR or --database-url URL "
            f"(or set {ENV_DATABASE_URL})"
        )
    from exam_sandbox.cli import database_problem

    try:
        db = Database(url)
        try:
            change = bring_to_head(db)
        finally:
            db.dispose()
    except UnknownRevision as error:
        raise SystemExit(f"exam-sandbox migrate: {error}") from error
    except Exception as error:
        said = database_problem(error, url)
        if said is None:
            raise
        raise SystemExit(f"exam-sandbox migrate: {said}") from None
    print(f"{make_url(url).render_as_string(hide_password=True)}: {change.describe()}")
    return 0
