"""Authentication cached per worker (issue 9, item 4).

Authenticating from the database costs two to three queries and an ORM load of the user
with its associations on every request. A vendor's app keeps a ``CredentialCache``
instead: credentials (a digest the vendor computes from them) -> the tenant id, the
tenant's version when the entry was made, and the vendor's ``principal``, a plain frozen
snapshot of what its rules read about the caller (permissions, associations ...).

Each request still reads the tenant's row, with one precompiled statement: the request
needs its clock and settings fresh anyway, and the row says whether the entry still
holds. The version is ``(created_at, generation)``: ``generation`` is bumped (``bump``)
by any change to what a principal is built from (users, permissions, associations, a
reset), and ``created_at`` tells a tenant deleted and created again under the same id,
whose generation starts over, from the one the entry was made for. A deleted tenant has
no row: the entry goes and the request authenticates from the database (and fails).

One cache per app, so two databases served by one process never share entries.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from .clock import TenantClock
from .sql import SqlRunner, Statement
from .tenants import Tenant

TENANTS = Tenant.__table__


@dataclass(frozen=True, slots=True)
class TenantRow:
    """What a request needs of its tenant's row, read without the ORM; it answers the
    same ``clock``, ``settings_for`` and attribute reads as ``Tenant``."""

    id: str
    seed: int
    created_at: datetime
    clock_frozen_at: datetime | None
    clock_offset_seconds: float | None
    settings: dict | None
    generation: int

    @property
    def clock(self) -> TenantClock:
        return TenantClock(self.clock_frozen_at, self.clock_offset_seconds or 0.0)

    @property
    def version(self) -> tuple:
        return (self.created_at, self.generation)

    def settings_for(self, provider: str) -> dict:
        return dict((self.settings or {}).get(provider, {}))


TENANT_ROW = Statement(
    lambda: select(
        TENANTS.c.id,
        TENANTS.c.seed,
        TENANTS.c.created_at,
        TENANTS.c.clock_frozen_at,
        TENANTS.c.clock_offset_seconds,
        TENANTS.c.settings,
        TENANTS.c.generation,
    ).where(TENANTS.c.id == bindparam("id")),
    row=TenantRow,
    name="tenant row",
)


def tenant_row(sql: SqlRunner, tenant_id: str) -> TenantRow | None:
    return sql.first(TENANT_ROW, id=tenant_id)


def version_of(tenant: Tenant | TenantRow) -> tuple:
    return (tenant.created_at, tenant.generation or 0)


def bump(session: Session, tenant_id: str) -> None:
    """Invalidate every worker's cached credentials of ``tenant_id``: call it in the
    transaction that changes its users, their permissions or associations."""
    session.execute(
        update(Tenant)
        .where(Tenant.id == tenant_id)
        .values(generation=Tenant.generation + 1)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True, slots=True)
class _Entry:
    tenant_id: str
    version: tuple
    principal: Any


class CredentialCache:
    """Credentials -> (tenant, principal), bounded (least recently used goes first)."""

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[Any, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def lookup(self, sql: SqlRunner, key) -> tuple[TenantRow, Any] | None:
        """The tenant (read now) and principal cached for ``key``, if still valid."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        tenant = tenant_row(sql, entry.tenant_id)
        if tenant is None or tenant.version != entry.version:
            self.forget(key)
            return None
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
        return tenant, entry.principal

    def remember(self, key, tenant: Tenant | TenantRow, principal) -> None:
        """Cache ``principal`` for ``key``; ``tenant`` must have been read in the same
        transaction as the principal, so the version matches what was built."""
        entry = _Entry(tenant.id, version_of(tenant), principal)
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def forget(self, key) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)
