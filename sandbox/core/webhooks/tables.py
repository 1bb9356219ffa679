"""The webhook deliveries table: one row per event a vendor sends to a receiver.

Tenant data (not a control like the journal): a reset removes a tenant's deliveries with
the rest of its data, and deleting the tenant removes them too (``core/tenants.py``).
Times: ``due_at`` and ``created_at`` are on the tenant's clock; ``lease_until`` is wall
time, since a lease is about processes, not about the tenant's story.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, TenantScoped, tenant_unique

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"
STATES = (PENDING, DELIVERED, FAILED)


class WebhookDelivery(TenantScoped, Base):
    __tablename__ = "webhook_delivery"
    __table_args__ = (
        tenant_unique("webhook_delivery", "id"),
        # The dispatcher's every tick: which tenants have pending deliveries, and which of
        # a tenant's are due (state, tenant_id, due_at leads both searches).
        Index("ix_webhook_delivery_due", "state", "tenant_id", "due_at"),
    )

    vendor: Mapped[str] = mapped_column(String(32))
    url: Mapped[str] = mapped_column(String(2048))
    event: Mapped[str] = mapped_column(String(128))
    # What the controls list: the JSON the vendor sent, or the object its body encodes.
    payload: Mapped[Any] = mapped_column(JSON)
    # The exact bytes sent (and signed) on every attempt.
    body: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(16))
    # Every attempt, oldest first: {"at": ISO, "status": int} or {"at": ISO, "error": str}.
    attempts: Mapped[list] = mapped_column(JSON)
    # Attempts made in the current budget (a redelivery starts a fresh one).
    tries: Mapped[int] = mapped_column(Integer)
    # When the next attempt is due, on the tenant's clock (None once delivered or failed).
    due_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # A claim on the next attempt: the claiming dispatcher's token, until a wall time.
    lease_token: Mapped[str | None] = mapped_column(String(32), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
