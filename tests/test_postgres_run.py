"""``make test``'s PostgreSQL run says what it did: NOT RUN (and green) without a server,
FAILED when a server was named but cannot be used; never a silent pass. The run itself
is what the suites do on a server, so only its two refusals are tested here."""

from __future__ import annotations

import postgres_run
import pytest

# Store-independent (the run's reporting, no server reached): the PostgreSQL run leaves it
# out (tests/postgres_run.py).
pytestmark = pytest.mark.store_independent

NOWHERE = "postgresql+psycopg://nobody@127.0.0.1:1/postgres"  # nothing listens on port 1


def test_no_server_at_all_is_reported_not_run_and_stays_green(monkeypatch, capsys):
    monkeypatch.delenv(postgres_run.POSTGRES_ENV, raising=False)
    monkeypatch.setattr(postgres_run, "LOCAL_SERVERS", (NOWHERE,))
    assert postgres_run.main(["-q"]) == 0
    said = capsys.readouterr().out
    assert "| PostgreSQL run: NOT RUN (no PostgreSQL server; the SQLite run above passed)" in said
    assert f"and no local server ({NOWHERE}): (psycopg.OperationalError) connection failed" in said
    assert said.startswith("+-") and said.rstrip().endswith("-+")


def test_a_named_server_that_cannot_be_used_fails_the_run(monkeypatch, capsys):
    monkeypatch.setenv(postgres_run.POSTGRES_ENV, NOWHERE)
    assert postgres_run.main(["-q"]) == 1
    said = capsys.readouterr().out
    assert (
        f"| PostgreSQL run: FAILED: {postgres_run.POSTGRES_ENV} is set but unusable" in said
    )
    assert "connection failed" in said
