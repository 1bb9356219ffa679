"""Deliveries in the database: enqueue, list and redeliver (a tenant's scope), and the
dispatcher's claim and record (one tenant at a time), on precompiled SQL.

Every statement here is a ``Statement`` limited by ``tenant_is``, run by a ``SqlRunner``
bound to one tenant: no call can read or change another tenant's delivery. The one
statement across tenants, which tenants have pending deliveries (``pending_tenants``),
reads ids and clocks only, for the dispatcher.

Writes run under the writers' lock: a vendor's rule calls ``enqueue`` after
``scope.write()`` (it calls it again, harmlessly), so the delivery commits or rolls back
with the request that caused it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, or_, select, update

from ..clock import TenantClock, format_instant
from ..ids import next_id
from ..sql import MAX_ID, SqlRunner, Statement, insert_row, tenant_is
from ..tenants import Tenant
from . import backoff
from .tables import DELIVERED, FAILED, PENDING, WebhookDelivery
from .wakeup import wake_after_commit

T = WebhookDelivery.__table__
TENANTS = Tenant.__table__


@dataclass(frozen=True, slots=True)
class Delivery:
    """A delivery as the controls show it (``view``), and when its next attempt is due."""

    id: int
    vendor: str
    url: str
    event: str
    payload: Any
    attempts: list
    state: str
    due_at: datetime | None

    def view(self) -> dict:
        return {
            "id": self.id,
            "vendor": self.vendor,
            "url": self.url,
            "event": self.event,
            "payload": self.payload,
            "attempts": list(self.attempts or []),
            "state": self.state,
        }


_SHOWN = ("id", "vendor", "url", "event", "payload", "attempts", "state", "due_at")


def _shown():
    return select(*(T.c[name] for name in _SHOWN)).where(tenant_is(T))


_INSERT = Statement(
    lambda: insert_row(
        T,
        "id",
        "vendor",
        "url",
        "event",
        "payload",
        "body",
        "content_type",
        "state",
        "attempts",
        "tries",
        "due_at",
        "created_at",
    ),
    name="enqueue a webhook delivery",
)
_LIST = Statement(lambda: _shown().order_by(T.c.id), row=Delivery, name="webhook deliveries")
_ONE = Statement(
    lambda: _shown().where(T.c.id == bindparam("delivery_id")),
    row=Delivery,
    name="webhook delivery by id",
)
_REDELIVER = Statement(
    lambda: (
        update(T)
        .where(tenant_is(T), T.c.id == bindparam("delivery_id"))
        .values(state=PENDING, tries=0, due_at=bindparam("due"), lease_token=None, lease_until=None)
    ),
    name="redeliver a webhook delivery",
)


def enqueue(
    scope,
    *,
    vendor: str,
    url: str,
    event: str,
    payload: Any,
    body: bytes,
    content_type: str = "application/json",
) -> int:
    """Queue a delivery of ``body`` to ``url``, in the scope's write transaction; returns
    its id (per tenant). Its first attempt is due at the scope's ``now`` (the tenant's
    clock) and goes out within about a second of the commit; if the transaction rolls
    back, there is no delivery at all."""
    if not isinstance(body, bytes | bytearray):
        raise TypeError("body must be the bytes to send")
    scope.write()
    sql = scope.sql
    delivery_id = next_id(sql, T)
    sql.run(
        _INSERT,
        id=delivery_id,
        vendor=vendor,
        url=url,
        event=event,
        payload=payload,
        body=bytes(body),
        content_type=content_type,
        state=PENDING,
        attempts=[],
        tries=0,
        due_at=scope.now,
        created_at=scope.now,
    )
    wake_after_commit(scope.session)
    return delivery_id


def deliveries(scope) -> list[Delivery]:
    """The tenant's deliveries, oldest first (newest last)."""
    return scope.sql.all(_LIST)


def delivery(scope, delivery_id: int) -> Delivery | None:
    if not 0 < delivery_id <= MAX_ID:
        return None
    return scope.sql.first(_ONE, delivery_id=delivery_id)


def redeliver(scope, delivery_id: int) -> Delivery | None:
    """Send the delivery again: pending, due at the scope's ``now``, with a fresh budget
    of attempts (earlier attempts stay listed); ``None`` if the tenant has no such one.
    An attempt in flight meanwhile is still listed when it ends, and changes nothing."""
    if not 0 < delivery_id <= MAX_ID:
        return None
    scope.write()
    if not scope.sql.run(_REDELIVER, delivery_id=delivery_id, due=scope.now):
        return None
    wake_after_commit(scope.session)
    return scope.sql.first(_ONE, delivery_id=delivery_id)


# --- the dispatcher's side -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PendingTenant:
    """A tenant with pending deliveries: what sending and scheduling them need."""

    tenant_id: str
    seed: int
    secret: str
    frozen_at: datetime | None
    offset_seconds: float | None

    @property
    def clock(self) -> TenantClock:
        return TenantClock(self.frozen_at, self.offset_seconds or 0.0)


@dataclass(frozen=True, slots=True)
class Due:
    """A delivery whose next attempt is due, as the dispatcher sends it."""

    pk: int
    id: int
    url: str
    body: bytes
    content_type: str


def _any_pending():
    return exists().where(T.c.state == PENDING, T.c.tenant_id == TENANTS.c.id)


# Across tenants, on purpose: the dispatcher serves them all (not a Statement, which
# refuses a tenant-scoped table without the tenant criterion).
_PENDING_TENANTS = select(
    TENANTS.c.id,
    TENANTS.c.seed,
    TENANTS.c.secret,
    TENANTS.c.clock_frozen_at,
    TENANTS.c.clock_offset_seconds,
).where(_any_pending())
_HAS_PENDING = select(T.c.pk).where(T.c.state == PENDING).limit(1)


def pending_tenants(connection) -> list[PendingTenant]:
    return [PendingTenant(*row) for row in connection.execute(_PENDING_TENANTS)]


def has_pending(connection) -> bool:
    return connection.execute(_HAS_PENDING).first() is not None


def _lease_free():
    return or_(T.c.lease_until.is_(None), T.c.lease_until < bindparam("wall"))


_DUE = Statement(
    lambda: (
        select(T.c.pk, T.c.id, T.c.url, T.c.body, T.c.content_type)
        .where(
            tenant_is(T),
            T.c.state == PENDING,
            # A first attempt goes out whatever the clock says (even moved back since).
            or_(T.c.tries == 0, T.c.due_at <= bindparam("now", type_=T.c.due_at.type)),
            _lease_free(),
        )
        .order_by(T.c.due_at, T.c.id)
        .limit(64)
    ),
    row=Due,
    name="due webhook deliveries",
)
_CLAIM = Statement(
    lambda: (
        update(T)
        .where(tenant_is(T), T.c.pk == bindparam("pk"), T.c.state == PENDING, _lease_free())
        .values(lease_token=bindparam("token"), lease_until=bindparam("until"))
    ),
    name="claim a webhook delivery",
)


@dataclass(frozen=True, slots=True)
class _Claimed:
    id: int
    attempts: list
    tries: int
    lease_token: str | None


_FOR_RECORD = Statement(
    lambda: (
        select(T.c.id, T.c.attempts, T.c.tries, T.c.lease_token)
        .where(tenant_is(T), T.c.pk == bindparam("pk"))
        .with_for_update()
    ),
    row=_Claimed,
    name="a claimed webhook delivery",
)
_RECORD = Statement(
    lambda: (
        update(T)
        .where(tenant_is(T), T.c.pk == bindparam("pk"))
        .values(
            attempts=bindparam("attempts"),
            tries=bindparam("tries"),
            state=bindparam("state"),
            due_at=bindparam("due"),
            lease_token=None,
            lease_until=None,
        )
    ),
    name="record a webhook attempt",
)
_APPEND = Statement(
    lambda: (
        update(T)
        .where(tenant_is(T), T.c.pk == bindparam("pk"))
        .values(attempts=bindparam("attempts"))
    ),
    name="list a webhook attempt",
)


def due(sql: SqlRunner, *, now: datetime, wall: datetime, limit: int) -> list[Due]:
    """The tenant's deliveries due at its clock's ``now`` that no lease holds (at wall
    time ``wall``), soonest first, at most ``limit``."""
    return sql.all(_DUE, now=now, wall=wall)[:limit]


def claim(sql: SqlRunner, *, pk: int, token: str, until: datetime, wall: datetime) -> bool:
    """Take the next attempt of delivery ``pk`` until wall time ``until``; False if it is
    no longer pending or another dispatcher holds it (one atomic UPDATE decides)."""
    return sql.run(_CLAIM, pk=pk, token=token, until=until, wall=wall) == 1


def record(
    sql: SqlRunner, *, pk: int, token: str, at: datetime, outcome: dict, seed: int
) -> str | None:
    """List the attempt made at tenant-clock time ``at`` (``outcome``: ``{"status": int}``
    or ``{"error": str}``) and decide what follows: delivered on a 2xx, failed after the
    last attempt of the budget, else the next retry's due time. Returns the new state;
    None when the delivery is gone (its tenant deleted or reset meanwhile)."""
    row = sql.first(_FOR_RECORD, pk=pk)
    if row is None:
        return None
    attempts = [*(row.attempts or []), {"at": format_instant(at), **outcome}]
    if row.lease_token != token:
        # Redelivered while this attempt was in flight: listed, but the new budget stands.
        sql.run(_APPEND, pk=pk, attempts=attempts)
        return PENDING
    tries = row.tries + 1
    status = outcome.get("status")
    if status is not None and 200 <= status < 300:
        state, due_at = DELIVERED, None
    elif tries >= backoff.MAX_ATTEMPTS:
        state, due_at = FAILED, None
    else:
        state, due_at = PENDING, backoff.next_due(at, seed, row.id, tries)
    sql.run(_RECORD, pk=pk, attempts=attempts, tries=tries, state=state, due=due_at)
    return state
