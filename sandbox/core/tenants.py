"""Tenants: the unit of isolation. Every credential and every row belongs to one tenant.

A tenant row holds what is not vendor data: its seed (so reset can rebuild the same
data), the secret its credentials derive from, its clock and each vendor's site settings.
Vendor rows carry ``tenant_id``; deleting or resetting a tenant removes exactly those.
"""

from __future__ import annotations

import functools
import secrets
from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, Integer, String, bindparam, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .clock import TenantClock, wall_now
from .db import Base, pipelined
from .demo import DEMO_SECRET, DEMO_TENANT_ID  # noqa: F401 (re-exported)

DEFAULT_SEED = 1


class Tenant(Base):
    __tablename__ = "tenant"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seed: Mapped[int] = mapped_column(Integer)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=wall_now)
    clock_frozen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    clock_offset_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # {"surpass": {"multiDayScheduling": true, ...}, ...}; only values that differ from the
    # vendor's defaults need to be here, the vendor merges its defaults on read.
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    # Bumped by any change to what authentication derives from the tenant (its users,
    # their permissions and associations, its settings, a reset): each worker's cache of
    # credentials is valid while the generation it was built at is still the tenant's.
    generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def clock(self) -> TenantClock:
        return TenantClock(self.clock_frozen_at, self.clock_offset_seconds or 0.0)

    @clock.setter
    def clock(self, value: TenantClock) -> None:
        self.clock_frozen_at = value.frozen_at
        self.clock_offset_seconds = value.offset_seconds

    def settings_for(self, provider: str) -> dict:
        return dict((self.settings or {}).get(provider, {}))

    def replace_settings(self, provider: str, values: dict) -> None:
        # Assign a new dict: SQLAlchemy does not see in-place changes to a JSON column.
        self.settings = {**(self.settings or {}), provider: dict(values)}


def new_tenant_id() -> str:
    return "t-" + secrets.token_hex(6)


def new_secret() -> str:
    return secrets.token_urlsafe(18)


def get_tenant(session: Session, tenant_id: str) -> Tenant | None:
    return session.get(Tenant, tenant_id)


def tenant_scoped_tables():
    """Every table with a ``tenant_id`` column, children before parents."""
    return [t for t in reversed(Base.metadata.sorted_tables) if "tenant_id" in t.c]


def delete_tenant_rows(session: Session, tenant_id: str, *, keep_controls: bool = False) -> None:
    """Remove the tenant's rows; with ``keep_controls`` its journal and the like stay.

    One DELETE a table (about 45), compiled once and sent on the driver's cursor, in one
    round trip where the driver pipelines (PostgreSQL); the ORM's pending changes go
    first, as ``session.execute`` would flush them."""
    session.flush()
    connection = session.connection()
    driver = connection.connection.driver_connection
    cursor = driver.cursor()
    try:
        with pipelined(driver):
            for sql, order in _deletes(connection.dialect, keep_controls):
                cursor.execute(sql, (tenant_id,) if order else {"tenant": tenant_id})
    finally:
        cursor.close()


@functools.lru_cache(maxsize=8)
def _deletes(dialect, keep_controls: bool) -> tuple[tuple[str, bool], ...]:
    """Each tenant table's DELETE in ``dialect``'s SQL, children first, and whether its
    one parameter is positional."""
    statements = []
    for table in tenant_scoped_tables():
        if keep_controls and table.info.get("control"):
            continue
        compiled = delete(table).where(table.c.tenant_id == bindparam("tenant")).compile(
            dialect=dialect
        )
        statements.append((compiled.string, compiled.positional))
    return tuple(statements)


def list_tenant_ids(session: Session) -> list[str]:
    return list(session.execute(select(Tenant.id).order_by(Tenant.created_at)).scalars())


def first_tenants(session: Session, limit: int) -> tuple[list[Tenant], int]:
    """The ``limit`` oldest tenants and how many there are (a bench makes thousands)."""
    total = session.execute(select(func.count()).select_from(Tenant)).scalar_one()
    shown = session.execute(select(Tenant).order_by(Tenant.created_at).limit(limit)).scalars()
    return list(shown), total
