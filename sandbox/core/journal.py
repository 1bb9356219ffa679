"""A bounded per-tenant journal of what clients sent and what the sandbox answered.

Each vendor app calls ``record`` after answering a request it could tie to a tenant.
The bound is kept by trimming every ``TRIM_EVERY`` writes rather than on each one, so a
journal may briefly hold a few more rows than its limit; reads never return more.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import (
    Connection,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Text,
    bindparam,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from .clock import format_instant
from .db import Base
from .sql import SqlRunner, Statement, insert_row, tenant_is

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


@dataclass(frozen=True, slots=True)
class Entry:
    """One call, ready to be written: what the request thread computes before letting go
    of the request (texts cut and headers redacted), so writing it needs nothing else."""

    tenant_id: str
    at: datetime
    provider: str
    method: str
    path: str
    query: str
    request_headers: str
    request_body: str
    status: int
    response_body: str
    duration_ms: float


def make_entry(
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
) -> Entry:
    return Entry(
        tenant_id=tenant_id,
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


_TABLE = JournalEntry.__table__
_LAST_SEQ = Statement(lambda: select(func.max(_TABLE.c.seq)).where(tenant_is(_TABLE)),
                      name="journal: last seq")
_INSERT = Statement(
    lambda: insert_row(_TABLE, *(f.name for f in fields(Entry) if f.name != "tenant_id"),
                       "seq"),
    name="journal: insert",
)
_TRIM = Statement(
    lambda: delete(_TABLE).where(tenant_is(_TABLE), _TABLE.c.seq <= bindparam("upto")),
    name="journal: trim",
)


def write(connect: Callable[[], Connection], entries: Iterable[Entry], *,
          limit: int = DEFAULT_LIMIT) -> None:
    """Append ``entries`` (any tenants, oldest first) in the caller's write transaction:
    each tenant's next numbers, and every ``TRIM_EVERY``th a trim to ``limit``."""
    by_tenant: dict[str, list[Entry]] = {}
    for entry in entries:
        by_tenant.setdefault(entry.tenant_id, []).append(entry)
    for tenant_id, own in by_tenant.items():
        sql = SqlRunner(tenant_id, connect)
        seq = sql.scalar(_LAST_SEQ) or 0
        for entry in own:
            seq += 1
            values = {f.name: getattr(entry, f.name) for f in fields(Entry)}
            del values["tenant_id"]  # the runner's, always
            sql.run(_INSERT, seq=seq, **values)
            if seq % TRIM_EVERY == 0:
                sql.run(_TRIM, upto=seq - limit)


def record(session: Session, *, limit: int = DEFAULT_LIMIT, **call) -> None:
    """Journal one call in ``session``'s write transaction (``make_entry``'s arguments)."""
    write(session.connection, [make_entry(**call)], limit=limit)


def entries(
    session: Session,
    tenant_id: str,
    *,
    provider: str | None = None,
    method: str | None = None,
    path: str | None = None,
    after: int | None = None,
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
    if after is not None:
        query = query.where(JournalEntry.seq > after)
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
