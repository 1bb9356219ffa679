"""iTEP's tables. Every row belongs to one tenant (``TenantScoped``). Class names carry
an ``I`` so they never clash with another vendor's in SQLAlchemy's registry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from exam_sandbox.core.db import Base, TenantScoped, tenant_unique


class IAdministrator(TenantScoped, Base):
    """The Local Administrator (LA) the tenant's inventory belongs to."""

    __tablename__ = "itep_administrator"
    __table_args__ = (tenant_unique("itep_administrator", "id"),)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(200))


class IProduct(TenantScoped, Base):
    """A product code of the LA (AP, BP) and the API key made on its PRODUCT CODE screen."""

    __tablename__ = "itep_product"
    __table_args__ = (
        tenant_unique("itep_product", "id"),
        tenant_unique("itep_product", "code"),
        Index("ix_itep_product_api_key", "api_key", unique=True),
    )
    code: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(100))
    sections: Mapped[list] = mapped_column(JSON)
    api_key: Mapped[str] = mapped_column(String(64))
    key_revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class ITest(TenantScoped, Base):
    """A test ID of the inventory. ``available`` is kept equal to "status Ready and an
    empty Assigned-to" (the notes' definition), so the next free one is one index read."""

    __tablename__ = "itep_test"
    __table_args__ = (
        tenant_unique("itep_test", "id"),
        tenant_unique("itep_test", "test_id"),
        Index("ix_itep_test_available", "tenant_id", "product_pk", "available", "id"),
    )
    test_id: Mapped[str] = mapped_column(String(10))
    product_pk: Mapped[int] = mapped_column(ForeignKey("itep_product.pk", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    available: Mapped[bool] = mapped_column(Boolean)
    assigned_to: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    oid: Mapped[str | None] = mapped_column(String(100), nullable=True)
    tracking_code: Mapped[str | None] = mapped_column(String(100), nullable=True)
    emailed_to: Mapped[str | None] = mapped_column(String(320), nullable=True)
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # "inventory" (seeded or added) or "sale" (minted at fulfillment).
    source: Mapped[str] = mapped_column(String(16), default="inventory")
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Section levels (0.0-6.0) given with a status, or None: derived from the seed.
    levels: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    duration: Mapped[int | None] = mapped_column(Integer, nullable=True)


class IMessage(TenantScoped, Base):
    """An e-mail the email call "sent": the sandbox's outbox."""

    __tablename__ = "itep_message"
    __table_args__ = (tenant_unique("itep_message", "id"),)
    recipient: Mapped[str] = mapped_column(String(320))
    test_id: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(4000))
    sent_at: Mapped[datetime] = mapped_column(DateTime)


class ITrackingCode(TenantScoped, Base):
    """A tracking code (iTEP staff make them): where the results webhook goes, and
    whether it fires on Finished."""

    __tablename__ = "itep_tracking_code"
    __table_args__ = (
        tenant_unique("itep_tracking_code", "id"),
        tenant_unique("itep_tracking_code", "code"),
    )
    code: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(2048))
    on_finished: Mapped[bool] = mapped_column(Boolean, default=False)
