"""Where the suites keep a sandbox's data: a SQLite file (the default), or a fresh
database on a PostgreSQL server when ``EXAM_SANDBOX_TEST_POSTGRES`` names one.

    EXAM_SANDBOX_TEST_POSTGRES=postgresql+psycopg://user@host/postgres pytest

runs the same suites on that server (``make test`` does it when a server is at hand,
``tests/postgres_run.py``). Every database a test asks for is created empty under it,
named after the process that asked (one per xdist worker, so workers never share one),
and dropped when that process ends. Tests of SQLite itself (WAL, the writer queue's
lock file, a file edited by hand) ask for ``sqlite_url`` and run on SQLite either way.
"""

from __future__ import annotations

import atexit
import itertools
import os
import re
from pathlib import Path

POSTGRES_ENV = "EXAM_SANDBOX_TEST_POSTGRES"
_made: list[str] = []
_numbers = itertools.count(1)


def server_url() -> str | None:
    """The PostgreSQL server the suites run on, or None for SQLite."""
    return os.environ.get(POSTGRES_ENV) or None


def store_name() -> str:
    return "postgresql" if server_url() else "sqlite"


def sqlite_url(folder: Path, name: str = "sandbox") -> str:
    return f"sqlite:///{Path(folder) / f'{name}.db'}"


def database_url(folder: Path, name: str = "sandbox") -> str:
    """A new, empty database's URL: ``folder/<name>.db``, or one on the server."""
    server = server_url()
    if server is None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return sqlite_url(folder, name)
    return _create(server, name)


def _create(server: str, name: str) -> str:
    from sqlalchemy import create_engine, make_url

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    label = re.sub(r"[^a-z0-9]+", "_", name.lower())
    database = f"xs_{worker}_{os.getpid()}_{next(_numbers)}_{label}"[:63]
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
    finally:
        admin.dispose()
    if not _made:
        atexit.register(_drop_made, server)
    _made.append(database)
    return make_url(server).set(database=database).render_as_string(hide_password=False)


def _drop_made(server: str) -> None:
    from sqlalchemy import create_engine

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for database in _made:
                # FORCE: a server a test started and killed may have left a session.
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        admin.dispose()


def serve_args(folder: Path) -> list[str]:
    """``exam-sandbox serve`` options that keep its data on the suites' store: a new
    database on the server, or a data folder of its own (``folder/data``)."""
    if server_url() is None:
        return ["--data-dir", str(Path(folder) / "data")]
    return ["--database-url", database_url(folder, "served")]


def url_of_serve_args(args: list[str]) -> str:
    """The database URL that ``serve_args`` pointed ``serve`` at."""
    if args[0] == "--data-dir":
        return f"sqlite:///{Path(args[1]).resolve() / 'sandbox.db'}"
    return args[1]


def app_of(tmp_path_factory, *vendors: str):
    """A sandbox app on a new database of the suites' store, mounting ``vendors`` only
    (every vendor when none is named): a vendor's own tests make a tenant per test, and
    one that seeds that vendor alone costs a fraction of one seeding all four (a third
    of the PostgreSQL run's time). Vendors share nothing (tests/test_layering.py), so
    each behaves alone as it does beside the others; the suites outside the vendor
    folders run on every vendor at once."""
    from exam_sandbox.app import create_app, default_config
    from exam_sandbox.providers import all_providers

    folder = tmp_path_factory.mktemp("sandbox-data")
    config = default_config(database_url=database_url(folder))
    providers = [p for p in all_providers() if not vendors or p.name in vendors]
    assert len(providers) == len(vendors) or not vendors, vendors
    return create_app(config, providers=providers)
