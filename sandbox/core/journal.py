"""A bounded per-tenant journal of what clients sent and what the sandbox answered.

Each vendor app calls ``record`` after answering a request it could tie to a tenant.
The bound is kept by trimming every ``TRIM_EVERY`` writes rather than on each one, so a
journal may briefly hold a few more rows than its limit; reads never return more.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import DateTime, Float, Index, Integer, String, Text, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .clock import format_instant
from .db import Base

DEFAULT_LIMIT = 1000
TRIM_EVERY = 50
BODY_LIMIT = 16_384
REDACTED_HEADERS = {"authorization", "ocp-apim-subscription-key", "cookie", "x-api-key"}


class JournalEntry(Base):
    __tablename__ = "journal_entry"
    __table_args__ = (Index("ix_journal_tenant_seq", "tenant_id", "seq"),)
    # A control, not tenant data: a reset keeps it, deleting the tenant removes it.
    __table_args__ += ({"info": {"control": True}},)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime)
    provider: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(2048))
    query: Mapped[str] = mapped_column(Text, default="")
    request_headers: Mapped[str] = mapped_column(Text, default="{}")
    request_body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text, default="")
    duration_ms: Mapped[float] = mapped_column(Float, default=0.0)


def _text(body: bytes) -> str:
    text = body[:BODY_LIMIT].decode("utf-8", errors="replace")
    return text + "…" if len(body) > BODY_LIMIT else text


def _safe_headers(headers) -> str:
    kept = {k: ("***" if k.lower() in REDACTED_HEADERS else v) for k, v in headers.items()}
    return json.dumps(kept)


def record(
    session: Session,
    *,
    tenant_id: str,
    at: datetime,
    provider: str,
    method: str,
    path: str,
    query: str,
    request_headers,
    request_body: bytes,
    status: int,
    response_body: bytes,
    duration_ms: float,
    limit: int = DEFAULT_LIMIT,
) -> None:
    last = session.execute(
        select(func.max(JournalEntry.seq)).where(JournalEntry.tenant_id == tenant_id)
    ).scalar()
    seq = (last or 0) + 1
    session.add(
        JournalEntry(
            tenant_id=tenant_id,
            seq=seq,
            at=at,
            provider=provider,
            method=method,
            path=path,
            query=query,
            request_headers=_safe_headers(request_headers),
            request_body=_text(request_body),
            status=status,
            response_body=_text(response_body),
            duration_ms=round(duration_ms, 3),
        )
    )
    if seq % TRIM_EVERY == 0:
        session.execute(
            delete(JournalEntry).where(
                JournalEntry.tenant_id == tenant_id, JournalEntry.seq <= seq - limit
            )
        )


def entries(
    session: Session,
    tenant_id: str,
    *,
    provider: str | None = None,
    method: str | None = None,
    path: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[dict]:
    """Newest last. ``path`` matches as a substring, so ``TestSchedule`` finds every
    TestSchedule call whatever the prefix or id."""
    query = select(JournalEntry).where(JournalEntry.tenant_id == tenant_id)
    if provider:
        query = query.where(JournalEntry.provider == provider)
    if method:
        query = query.where(JournalEntry.method == method.upper())
    if path:
        query = query.where(JournalEntry.path.contains(path, autoescape=True))
    rows = session.execute(query.order_by(JournalEntry.seq.desc()).limit(limit)).scalars()
    return [as_dict(row) for row in reversed(list(rows))]


def as_dict(row: JournalEntry) -> dict:
    return {
        "seq": row.seq,
        "at": format_instant(row.at),
        "provider": row.provider,
        "method": row.method,
        "path": row.path,
        "query": row.query,
        "request": {"headers": json.loads(row.request_headers), "body": row.request_body},
        "response": {"status": row.status, "body": row.response_body},
        "durationMs": row.duration_ms,
    }


def clear(session: Session, tenant_id: str) -> int:
    result = session.execute(delete(JournalEntry).where(JournalEntry.tenant_id == tenant_id))
    return result.rowcount or 0
