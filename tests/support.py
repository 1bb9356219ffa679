"""Helpers shared by the sandbox's own tests (importable as ``support``: pytest puts
``tests/`` on the path, see pyproject's ``pythonpath``)."""

from __future__ import annotations

import base64
import functools
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
    """Rows of ``sql`` (``?`` placeholders) read straight from a sandbox's database,
    bypassing the sandbox: its SQLite file, or its PostgreSQL database (``stores``)."""
    if url.startswith("sqlite:///"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()
    with _server_engine(url).connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(
            sql.replace("%", "%%").replace("?", "%s"), params
        )]


@functools.cache
def _server_engine(url: str):
    from sqlalchemy import create_engine

    # One connection kept: a new one costs ~2 ms, and rule tests read after every call.
    # The database is dropped WITH (FORCE) at the end, which ends it (tests/stores.py).
    return create_engine(url, pool_size=1, max_overflow=2)


def tenant_pks(url: str, table: str, tenant_id: str) -> set[int]:
    return {r[0] for r in db_rows(url, f"SELECT pk FROM {table} WHERE tenant_id = ?", tenant_id)}


def tenant_counts(url: str, tables, tenant_id: str) -> dict[str, int]:
    """Rows per table of ``tables`` the tenant holds."""
    sql = "SELECT count(*) FROM {} WHERE tenant_id = ?"
    return {t.name: db_rows(url, sql.format(t.name), tenant_id)[0][0] for t in tables}


def table_of(overview: dict, name: str) -> dict:
    """A table of a vendor's overview (``/_sandbox/tenants/<id>/overview/<vendor>``)."""
    return next(t for t in overview["tables"] if t["name"] == name)


def row_of(table: dict, key) -> dict:
    """A row of an overview table by its key (a session id, a test ID)."""
    return next(r for r in table["rows"] if r["key"] == str(key))


def demo_run(sandbox, provider) -> tuple:
    """``provider``'s scripted demo on the served ``sandbox``, in a fresh tenant, with no
    pause between steps: the ``ServedDemo`` it ran with and the lines it printed."""
    import io

    from exam_sandbox.demo import ServedDemo
    from exam_sandbox.providers import all_descriptions

    out = io.StringIO()
    demo = ServedDemo.new_tenant(sandbox.url, all_descriptions(), pace=0, out=out)
    provider.run_demo(demo)
    return demo, out.getvalue().splitlines()


def served_tables(sandbox, tenant_id: str, vendor: str) -> dict[str, dict]:
    """A served tenant's overview of ``vendor``, its tables by name."""
    import requests

    response = requests.get(
        f"{sandbox.url}/_sandbox/tenants/{tenant_id}/overview/{vendor}", timeout=10
    )
    assert response.status_code == 200, response.text
    return {t["name"]: t for t in response.json()["tables"]}
