"""What a vendor's admin screen would show of a tenant, for the console and its control.

Each vendor builds an ``Overview`` of a tenant (``Provider.overview(scope)``): tables of
what an integration made there (Surpass sessions, Janison schedules, Cirrus sittings,
iTEP test IDs), newest first, and on each row the buttons an admin would press. A
button is an ``Action``: a documented ``/_sandbox`` control (method, path, JSON body),
never a private endpoint, so whatever the console does a test can do too.

``GET /_sandbox/tenants/<id>/overview/<vendor>`` serves it as JSON and the console
renders it as HTML; neither knows any vendor's tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select

# The newest rows of each table that are shown; ``Table.total`` says how many there are.
ROWS_SHOWN = 50
ADMIN_PREFIX = "/_sandbox"
# How a column's cells are shown: plain text, a code (keycode, PIN, test ID) in a fixed
# font, a link (a cell holding a URL), or a status (a short word shown as a badge).
KINDS = ("text", "code", "link", "status")

Cell = str | int | float | bool | None


def with_reference(name: str, reference: str) -> str:
    """How a panel names a record: ``Ada Lovelace (CAN0001)``."""
    return f"{name} ({reference})"


def full_name(*parts: str | None) -> str:
    """A person's name from its parts, the missing ones (a middle name) left out."""
    return " ".join(part for part in parts if part)


def count_rows(session, model) -> int:
    """How many rows ``model`` has: in a scope's session, the tenant's only (the tenant
    criterion adds the filter), which a table's ``total`` says."""
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def control_path(tenant_id: str, *segments: str | int) -> str:
    """``/_sandbox/tenants/<tenant_id>/<segment>/...``, each segment percent-encoded."""
    parts = [quote(str(s), safe="") for s in (tenant_id, *segments)]
    return f"{ADMIN_PREFIX}/tenants/" + "/".join(parts)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key!r}: kind must be one of {KINDS}")


@dataclass(frozen=True)
class Action:
    """A button: ``method path`` with ``body`` as JSON. ``name`` is stable across rows
    (``complete``, ``publish``, ``status-Complete``) for tests and scripts to find it by;
    ``label`` is what the button says."""

    name: str
    label: str
    method: str
    path: str
    body: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.path.startswith(ADMIN_PREFIX + "/"):
            raise ValueError(f"action {self.name!r}: {self.path} is not a /_sandbox control")

    def view(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "method": self.method,
            "path": self.path,
            "body": dict(self.body),
        }


@dataclass(frozen=True)
class Row:
    """One record. ``key`` identifies it within its table (a session id, a test ID)."""

    key: str
    cells: dict[str, Cell]
    actions: tuple[Action, ...] = ()

    def view(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "cells": dict(self.cells),
            "actions": [a.view() for a in self.actions],
        }


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total: int
    # What an empty table says, e.g. "No sessions yet: book one with POST TestSchedule".
    empty: str = "Nothing yet."

    def __post_init__(self) -> None:
        keys = {c.key for c in self.columns}
        for row in self.rows:
            unknown = set(row.cells) - keys
            if unknown:
                raise ValueError(f"table {self.name!r}: cells {sorted(unknown)} have no column")

    def view(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "columns": [{"key": c.key, "title": c.title, "kind": c.kind} for c in self.columns],
            "rows": [r.view() for r in self.rows],
            "total": self.total,
            "empty": self.empty,
        }


@dataclass(frozen=True)
class Overview:
    """A vendor's view of one tenant. ``actions`` are the panel's own buttons (not a
    row's), e.g. "Add 10 test IDs"."""

    vendor: str
    title: str
    tables: tuple[Table, ...]
    actions: tuple[Action, ...] = ()

    def view(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "title": self.title,
            "tables": [t.view() for t in self.tables],
            "actions": [a.view() for a in self.actions],
        }
