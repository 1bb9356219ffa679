"""Where ``exam-sandbox serve`` keeps its data: ``--database-url`` (or the environment's
``EXAM_SANDBOX_DATABASE_URL``) on the suites' store, ``--no-migrate`` for replicas that
leave the schema to ``exam-sandbox migrate``, and a database that cannot be used said in
one line, never a traceback."""

from __future__ import annotations

import os
import subprocess

import pytest
from stores import database_url
from support import db_rows
from test_serve import cli_command, serve

from exam_sandbox.cli import build_parser, database_url_of, shown_url
from exam_sandbox.core.db import normalized_url
from exam_sandbox.migrations import HEAD_REVISION
from exam_sandbox.pytest_plugin import serve_sandbox


def _serve_fails(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [*cli_command(), "serve", "--port", "0", *args],
        capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})},
    )
    assert done.returncode != 0, done.stdout
    return done


def test_serve_on_a_database_url_keeps_its_data_there(tmp_path, monkeypatch):
    url = database_url(tmp_path)
    served = serve(tmp_path, "--database-url", url, "--workers", "1")
    try:
        assert f"Data              {shown_url(url)} (kept)" in served.output
        made = served.request("POST", "/_sandbox/tenants", json={"seed": 5})
        assert made.status_code == 201, made.text
        tenant = made.json()["tenant"]
    finally:
        served.stop()
    # The data outlives the server: another one, told the URL by the environment alone
    # (no option), finds the tenant.
    monkeypatch.setenv("EXAM_SANDBOX_DATABASE_URL", url)
    again = serve(tmp_path, "--workers", "1", "--no-migrate")
    try:
        assert f"Data              {shown_url(url)} (kept)" in again.output
        assert again.get(f"/_sandbox/tenants/{tenant}").status_code == 200
    finally:
        again.stop()


def test_no_migrate_refuses_a_database_without_this_releases_schema(tmp_path):
    url = database_url(tmp_path)
    done = _serve_fails("--database-url", url, "--no-migrate")
    assert done.stderr.strip() == (
        f"exam-sandbox: {shown_url(url)}: the database has no schema, this release needs "
        f"revision {HEAD_REVISION}: run `exam-sandbox migrate --database-url URL` first "
        "(or start without --no-migrate)"
    )


def test_an_unreachable_server_is_one_line(tmp_path):
    url = "postgresql+psycopg://sandbox:secret@127.0.0.1:1/sandbox"  # nothing listens there
    done = _serve_fails("--database-url", url)
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(
        "exam-sandbox: postgresql+psycopg://sandbox:***@127.0.0.1:1/sandbox: connection failed"
    ), line
    assert "secret" not in done.stderr
    migrate = subprocess.run(
        [*cli_command(), "migrate", "--database-url", url], capture_output=True, text=True,
        timeout=60,
    )
    assert migrate.returncode != 0
    assert migrate.stderr.startswith(
        "exam-sandbox migrate: postgresql+psycopg://sandbox:***@127.0.0.1:1/sandbox: "
        "connection failed"
    ), migrate.stderr


def test_a_url_of_no_known_database_is_one_line():
    done = _serve_fails("--database-url", "nosuchdb://somewhere/x")
    assert done.stderr.strip() == (
        "exam-sandbox: nosuchdb://somewhere/x: its driver is not installed (Can't load "
        "plugin: sqlalchemy.dialects:nosuchdb); for PostgreSQL: pip install "
        "'exam-sandbox[postgres]'"
    )


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["--database-url", "postgresql+psycopg://h/db"], {}, "postgresql+psycopg://h/db"),
        ([], {"EXAM_SANDBOX_DATABASE_URL": "postgresql+psycopg://e/db"},
         "postgresql+psycopg://e/db"),
        # A data folder given on the command line wins over the environment.
        (["--data-dir", "somewhere"], {"EXAM_SANDBOX_DATABASE_URL": "postgresql://e/db"}, None),
        ([], {}, None),
    ],
)
def test_which_database_serve_uses(argv, environ, expected):
    args = build_parser().parse_args(["serve", *argv])
    assert database_url_of(args, environ) == expected


def test_a_data_dir_and_a_database_url_together_are_refused(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--data-dir", "d", "--database-url", "sqlite:///x"])
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgres://u:p@h:5433/db", "postgresql+psycopg://u:p@h:5433/db"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
        ("postgresql+psycopg2://h/db", "postgresql+psycopg2://h/db"),  # asked for: kept
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_a_postgresql_url_without_a_driver_uses_psycopg_3(given, used):
    assert normalized_url(given) == used


def test_the_plugin_serves_its_sandbox_on_a_database_url(tmp_path):
    """``--sandbox-database-url``: the plugin's sandbox keeps its data on that database
    (the PostgreSQL run serves the agreement suites' sandbox so)."""
    url = database_url(tmp_path)
    sandbox = serve_sandbox(tmp_path / "plugin", database_url=url)
    try:
        assert f"Data              {shown_url(url)} (kept)" in sandbox.output
        tenant = sandbox.create_tenant(seed=3)
        assert db_rows(url, "SELECT seed FROM tenant WHERE id = ?", tenant.id) == [(3,)]
    finally:
        sandbox.stop()
