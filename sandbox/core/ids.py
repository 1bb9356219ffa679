"""Per-tenant ids on the hot path: ``next_id`` of ``core/db.py`` in precompiled SQL.

A vendor's ids are identities counted per tenant (``IdCounter``): a deleted row's id is
never handed out again. Run only after ``scope.write()``: the writers' lock is what makes
read-then-update of the counter safe, on SQLite (one writer) as on a server database
(where the UPDATE's row lock serialises two writers of one tenant's counter).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from sqlalchemy import bindparam, func, select, update

from .db import IdCounter
from .sql import SqlRunner, Statement, insert_row, tenant_is

COUNTERS = IdCounter.__table__

_LAST = Statement(
    lambda: select(COUNTERS.c.last).where(tenant_is(COUNTERS), COUNTERS.c.name == bindparam("name"))
)
_ADVANCE = Statement(
    lambda: update(COUNTERS)
    .where(tenant_is(COUNTERS), COUNTERS.c.name == bindparam("name"))
    .values(last=bindparam("last"))
)
_START = Statement(lambda: insert_row(COUNTERS, "name", "last"))


@cache
def _seeded_max(table) -> Statement:
    """The largest id seeding gave ``table`` (a counter starts there on first use)."""
    return Statement(lambda: select(func.max(table.c.id)).where(tenant_is(table)),
                     name=f"max id of {table.name}")


def next_ids(sql: SqlRunner, table, count: int = 1) -> list[int]:
    """``count`` new ids of ``table`` (a ``TenantScoped`` table) for the runner's tenant."""
    last = sql.scalar(_LAST, name=table.name)
    if last is None:
        start = sql.scalar(_seeded_max(table)) or 0
        sql.run(_START, name=table.name, last=start + count)
        return list(range(start + 1, start + count + 1))
    sql.run(_ADVANCE, name=table.name, last=last + count)
    return list(range(last + 1, last + count + 1))


def next_id(sql: SqlRunner, table) -> int:
    return next_ids(sql, table, 1)[0]


# --- tallies: named per-tenant counts kept in the same table --------------------------

_ADD = Statement(
    lambda: update(COUNTERS)
    .where(tenant_is(COUNTERS), COUNTERS.c.name == bindparam("name"))
    .values(last=COUNTERS.c.last + bindparam("delta")),
    name="add to a tally",
)


def tally(sql: SqlRunner, name: str, start: Callable[[], int]) -> int:
    """The tenant's count ``name``, kept so that reading it costs one lookup instead of
    counting rows each time; ``start()`` counts it the first time (and after a reset,
    which removes the tenant's counters). Under ``scope.write()`` only, as ``next_id``."""
    value = sql.scalar(_LAST, name=name)
    if value is None:
        value = start()
        sql.run(_START, name=name, last=value)
    return value


def add_to_tally(sql: SqlRunner, name: str, delta: int) -> None:
    """Change a tally that has started (one not yet started will count from the rows)."""
    sql.run(_ADD, name=name, delta=delta)
