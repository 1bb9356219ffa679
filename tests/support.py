"""Helpers shared by the sandbox's own tests (importable as ``support``: pytest puts
``tests/`` on the path, see pyproject's ``pythonpath``)."""

from __future__ import annotations

import base64
import sqlite3


def basic(username: str, password: str) -> dict:
    """An HTTP Basic ``Authorization`` header."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def errors_of(response) -> list[tuple[int, str]]:
    """The (ErrorCode, Message) pairs of a Surpass error body."""
    return [(e["ErrorCode"], e["Message"]) for e in response.json["errors"]]


def every_item(http, url: str, headers: dict) -> list[dict]:
    """Every item of a list, from ``url`` on, following nextPageLink to the end."""
    response = http.get(url, headers=headers)
    items = []
    while True:
        assert response.status_code == 200, response.json
        items += response.json["response"]
        link = response.json["nextPageLink"]
        if link is None:
            return items
        response = http.get(link, headers=headers)


def db_rows(url: str, sql: str, *params) -> list[tuple]:
    """Rows of ``sql`` read straight from a sandbox's SQLite file (``sqlite:///...``)."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def tenant_pks(url: str, table: str, tenant_id: str) -> set[int]:
    return {r[0] for r in db_rows(url, f"SELECT pk FROM {table} WHERE tenant_id = ?", tenant_id)}


def tenant_counts(url: str, tables, tenant_id: str) -> dict[str, int]:
    """Rows per table of ``tables`` the tenant holds."""
    sql = "SELECT count(*) FROM {} WHERE tenant_id = ?"
    return {t.name: db_rows(url, sql.format(t.name), tenant_id)[0][0] for t in tables}
