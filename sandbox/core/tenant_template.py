"""Seeding a tenant by copying a per-seed template inside the database.

Building a seed's rows in Python (faker, keycodes, scores) and sending them row by row
costs ~10 ms a tenant; copying rows already in the database costs one ``INSERT ...
SELECT`` per table. So each vendor writes its seed's data once, under a hidden template
id, and every tenant of that seed is a copy of it::

    INSERT INTO t (pk, tenant_id, id, ..., parent_pk)
    SELECT pk + :offset_t, :tenant, id, ..., parent_pk + :offset_parent
    FROM t WHERE tenant_id = :template

Each table's ``pk`` moves by its own offset (past the table's largest ``pk``), and each
foreign key by the offset of the table it points to, so a copy's rows refer to the copy's
rows. Parents are copied before children. Only data is copied: what derives from a
tenant's secret (users' password hashes, API keys) the vendor writes per tenant.

The template is invisible by construction: it has no row in ``tenant`` (so it is never
listed, read, reset or deleted through the controls), its id cannot be a tenant's (the
``~`` prefix, which the controls refuse and ``TenantService`` rejects), and it holds no
credential rows, so no request can authenticate into it. Deleting or resetting a tenant
deletes that tenant's rows only.

Its id names the vendor, the seed and a fingerprint of the code and data that build it,
so a database kept across an upgrade that changes the seed data builds a new template
(and drops the stale one) instead of copying old rows.

Offsets past ``max(pk)`` are safe because seeding holds the database's write lock (the
writers' queue and ``BEGIN IMMEDIATE`` on SQLite), as ``db.bulk_insert`` assumes too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Table, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from .db import count_keys_past, pipelined

TEMPLATE_PREFIX = "~template:"


def is_template_id(tenant_id: str) -> bool:
    return tenant_id.startswith("~")


def fingerprint(*files: str | Path) -> str:
    """A short digest of the files that decide a seed's rows (fixtures, key derivation,
    precomputed data): a change to any of them makes a new template."""
    digest = hashlib.sha256()
    for name in files:
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()[:12]


def template_id(vendor: str, seed: int, version: str) -> str:
    return f"{TEMPLATE_PREFIX}{vendor}:{seed}:{version}"


def seed_from_template(
    session: Session,
    *,
    vendor: str,
    seed: int,
    version: str,
    tables: Sequence[Table],
    tenant_id: str,
    build: Callable[[str], None],
) -> None:
    """Write ``vendor``'s rows of ``seed`` for ``tenant_id`` by copying the template,
    building the template first (``build(template_id)``) if this database has none.

    ``tables`` are the tables ``build`` writes, parents before children; every foreign
    key among them must point into the same list.
    """
    template = template_id(vendor, seed, version)
    connection = session.connection()
    if not _exists(connection, tables[0], template):
        _drop_stale(connection, tables, template_id(vendor, seed, ""), keep=template)
        build(template)
    copy_rows(connection, tuple(tables), template, tenant_id)


def copy_rows(connection: Connection, tables: tuple[Table, ...], source: str, target: str):
    """Copy every row of ``source`` in ``tables`` to ``target`` (see the module's doc)."""
    plan = _plan(tables)
    offsets = connection.execute(plan.offsets, {"source": source}).one()
    params = {"source": source, "target": target}
    pairs = zip(offsets[::2], offsets[1::2], strict=True)
    for table, (largest, first) in zip(plan.keyed, pairs, strict=True):
        # An empty template table copies nothing; any offset will do.
        params[_offset_name(table)] = (largest or 0) + 1 - (first or 0)
    driver = connection.connection.driver_connection
    cursor = driver.cursor()
    try:
        with pipelined(driver):
            for sql, order in plan.compiled(connection.dialect):
                cursor.execute(sql, tuple(params[name] for name in order) if order else params)
    finally:
        cursor.close()
    count_keys_past(connection, plan.keyed)


class _Plan:
    def __init__(self, keyed: list[Table], offsets, copies: list) -> None:
        self.keyed, self.offsets, self.copies = keyed, offsets, copies
        self._compiled: dict[str, list[tuple[str, tuple | None]]] = {}

    def compiled(self, dialect) -> list[tuple[str, tuple | None]]:
        """The copies' SQL text and parameter order for ``dialect``, compiled once: run
        on the driver's cursor, a copy costs SQLite's work alone, not ~50 µs of
        SQLAlchemy per statement (a tenant is about 30 of them). Every parameter is a
        string or an integer, which no type needs to convert."""
        found = self._compiled.get(dialect.name)
        if found is None:
            found = []
            for statement in self.copies:
                compiled = statement.compile(dialect=dialect)
                order = tuple(compiled.positiontup) if compiled.positional else None
                found.append((compiled.string, order))
            self._compiled[dialect.name] = found
        return found


def _offset_name(table: Table) -> str:
    return f"offset_{table.name}"


@lru_cache(maxsize=16)
def _plan(tables: tuple[Table, ...]) -> _Plan:
    """The statements copying ``tables``, built once: one query for every offset (each
    table's largest ``pk`` and the template's first), one ``INSERT ... SELECT`` per table;
    values are bound parameters, so SQLAlchemy compiles each statement once."""
    keyed = [t for t in tables if "pk" in t.c]
    source = bindparam("source")
    offsets = select(
        *(
            column
            for t in keyed
            for column in (
                select(func.max(t.c.pk)).scalar_subquery(),
                select(func.min(t.c.pk)).where(t.c.tenant_id == source).scalar_subquery(),
            )
        )
    )
    copies = []
    for table in tables:
        values = []
        for column in table.c:
            if column.name == "tenant_id":
                values.append(bindparam("target", type_=column.type).label(column.name))
            elif column.name == "pk":
                values.append((column + bindparam(_offset_name(table))).label("pk"))
            elif column.foreign_keys:
                values.append(
                    (column + bindparam(_offset_name(_referred(column, tables)))).label(
                        column.name
                    )
                )
            else:
                values.append(column)
        copies.append(
            insert(table).from_select(
                [c.name for c in table.c], select(*values).where(table.c.tenant_id == source)
            )
        )
    return _Plan(keyed, offsets, copies)


def _referred(column, tables: tuple[Table, ...]) -> Table:
    (foreign_key,) = column.foreign_keys
    referred = foreign_key.column.table
    if referred not in tables or foreign_key.column.name != "pk":
        raise ValueError(
            f"{column.table.name}.{column.name} refers to {referred.name}, which the "
            "template does not copy: a copy would point at the template's rows"
        )
    return referred


def _exists(connection: Connection, table: Table, tenant_id: str) -> bool:
    found = select(table.c.tenant_id).where(table.c.tenant_id == tenant_id).limit(1)
    return connection.execute(found).first() is not None


def _drop_stale(connection: Connection, tables: Sequence[Table], prefix: str, *, keep: str):
    """Remove older templates of the same vendor and seed (children first)."""
    for table in reversed(tables):
        connection.execute(
            delete(table).where(
                table.c.tenant_id.startswith(prefix, autoescape=True),
                table.c.tenant_id != keep,
            )
        )
