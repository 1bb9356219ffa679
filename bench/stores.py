"""Where a bench run's sandboxes keep their data: a data folder of the run's own (SQLite,
the default), or a new database on the PostgreSQL server ``--database-url`` names.

    make bench BENCH_ARGS='--database-url postgresql+psycopg://USER@HOST/postgres'

The URL's database is only where the bench connects to create its own ones (its role
must be allowed to create databases); each is named ``exam_sandbox_bench_<pid>_<n>``
and dropped when the run ends, so a run never touches data it did not make.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool


class Store:
    def __init__(self, work: Path, server_url: str | None) -> None:
        self.work, self.server_url = work, server_url
        self.kind = "sqlite" if server_url is None else make_url(server_url).get_backend_name()
        self._made: list[str] = []
        self._numbers = itertools.count(1)

    def fresh(self, name: str) -> tuple[list[str], str]:
        """A new, empty store: the ``exam-sandbox serve`` options that use it, and its
        SQLAlchemy URL."""
        if self.server_url is None:
            folder = self.work / name
            return ["--data-dir", str(folder)], f"sqlite:///{folder / 'sandbox.db'}"
        database = f"exam_sandbox_bench_{os.getpid()}_{next(self._numbers)}"
        self._admin(f'CREATE DATABASE "{database}"')
        self._made.append(database)
        url = make_url(self.server_url).set(database=database)
        shown = url.render_as_string(hide_password=False)
        return ["--database-url", shown], shown

    def count(self, url: str, table: str, tenant: str) -> int:
        """A tenant's rows in ``table``, read beside the server."""
        sql = f"SELECT count(*) FROM {table} WHERE tenant_id = "  # noqa: S608 - our names
        if url.startswith("sqlite:///"):
            connection = sqlite3.connect(f"file:{url.removeprefix('sqlite:///')}?mode=ro",
                                         uri=True, timeout=30)
            try:
                return connection.execute(sql + "?", (tenant,)).fetchone()[0]
            finally:
                connection.close()
        engine = create_engine(url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return connection.execute(text(sql + ":tenant"), {"tenant": tenant}).scalar()
        finally:
            engine.dispose()

    def analyze(self, url: str) -> None:
        """After a bulk load into a PostgreSQL store: gather the planner's statistics, as
        autovacuum would within its next minute (the bench measures at once). Without
        them a 100k tenant's pages were planned as for an empty table: 39 ms a page
        instead of 5. SQLite's plans use no statistics (the sandbox never runs ANALYZE
        there; tests/test_query_plans.py), so nothing is done for it."""
        if url.startswith("sqlite"):
            return
        engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
        finally:
            engine.dispose()

    def drop(self) -> None:
        for database in self._made:
            self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self._made.clear()

    def _admin(self, sql: str) -> None:
        engine = create_engine(self.server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(sql)
        finally:
            engine.dispose()
