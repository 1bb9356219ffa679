"""The webhook machinery's parts on their own (core/webhooks/): the backoff formula and
its deterministic r, the signature, the settings, and the store's claim and record on a
database no dispatcher serves, so nothing but the test touches the rows."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from exam_sandbox.core.db import Database
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.sql import SqlRunner, Statement
from exam_sandbox.core.tenant_service import TenantService
from exam_sandbox.core.webhooks import (
    MAX_ATTEMPTS,
    DispatchSettings,
    backoff,
    deliveries,
    enqueue,
    jitter,
    retry_delay,
    signing,
    store,
)

AT = datetime(2030, 1, 1, 12, 0, 0)

# --- backoff ---------------------------------------------------------------------------


def test_each_retry_follows_the_formula():
    for seed in (1, 7, 12345):
        for delivery_id in (1, 2, 50):
            for n in range(1, MAX_ATTEMPTS):
                r = jitter(seed, delivery_id, n)
                assert isinstance(r, int) and 0 <= r <= 29
                assert retry_delay(seed, delivery_id, n) == round((n - 1) ** 4 + 15 + r * n)


def test_r_repeats_for_a_seed_and_spreads_over_0_to_29():
    assert [jitter(7, 3, n) for n in range(1, 10)] == [jitter(7, 3, n) for n in range(1, 10)]
    drawn = {jitter(seed, 1, 1) for seed in range(600)}
    assert drawn == set(range(30))  # every value of r turns up
    # Another seed gives another schedule (for some retry of some delivery at least).
    assert [jitter(1, d, 1) for d in range(1, 20)] != [jitter(2, d, 1) for d in range(1, 20)]


def test_the_retries_and_their_bounds():
    assert MAX_ATTEMPTS == 10
    assert 15 <= retry_delay(1, 1, 1) <= 15 + 29
    assert 4096 + 15 <= retry_delay(1, 1, 9) <= 4096 + 15 + 29 * 9
    for n in (0, MAX_ATTEMPTS):
        with pytest.raises(ValueError):
            retry_delay(1, 1, n)
    assert backoff.next_due(AT, 1, 1, 1) == AT + timedelta(seconds=retry_delay(1, 1, 1))


# --- signing -----------------------------------------------------------------------------


def test_the_signature_is_hmac_sha256_of_the_body_keyed_with_the_secret():
    body = b'{"CandidateExtId":"C-1"}'
    digest = hmac.new(b"whsec_abc", body, hashlib.sha256).hexdigest()
    assert signing.signature("whsec_abc", body) == f"sha256={digest}"
    assert signing.verify("whsec_abc", body, f"sha256={digest}")
    assert not signing.verify("whsec_abc", body + b" ", f"sha256={digest}")
    assert not signing.verify("whsec_abc", body, None)
    assert signing.SIGNATURE_HEADER == "X-Sandbox-Signature"


def test_the_webhook_secret_derives_from_the_tenant():
    secret = signing.webhook_secret("t-1", "stored-secret")
    assert secret == signing.webhook_secret("t-1", "stored-secret")
    assert secret.startswith("whsec_") and len(secret) == len("whsec_") + 40
    assert secret != signing.webhook_secret("t-2", "stored-secret")
    assert secret != signing.webhook_secret("t-1", "another-secret")


def test_the_dispatcher_settings_come_from_the_config_extra():
    assert DispatchSettings.from_extra({}) == DispatchSettings()
    defaults = DispatchSettings()
    assert (defaults.timeouts.connect, defaults.timeouts.read, defaults.poll) == (3.0, 5.0, 0.5)
    given = DispatchSettings.from_extra(
        {"webhook_connect_timeout": 1, "webhook_read_timeout": "2.5", "webhook_senders": 2}
    )
    assert (given.timeouts.connect, given.timeouts.read, given.senders) == (1.0, 2.5, 2)
    assert given.lease > timedelta(seconds=2 * (1 + 2.5))


# --- the store ---------------------------------------------------------------------------


def test_every_statement_is_limited_to_one_tenant():
    statements = [v for v in vars(store).values() if isinstance(v, Statement)]
    assert len(statements) >= 8
    for statement in statements:
        # Compiling checks the tenant criterion (it raises without it).
        assert statement.form(sqlite.dialect(), {}).needs_tenant, statement.name
        # Plain SQL on a server database too; there, the record's read locks its row.
        text = str(statement._build().compile(dialect=postgresql.dialect()))
        assert "tenant_id" in text
    assert "FOR UPDATE" in str(store._FOR_RECORD._build().compile(dialect=postgresql.dialect()))


@pytest.fixture()
def db(tmp_path):
    """A database no app serves: no dispatcher sends what is enqueued here."""
    made = Database(f"sqlite:///{tmp_path / 'store.db'}")
    made.create_schema()
    yield made
    made.dispose()


def _tenant(db, seed: int = 5) -> str:
    with db.session(write=True) as session:
        return TenantService([]).create(session, seed=seed).id


def _enqueue(db, tenant_id: str, count: int = 1) -> list[int]:
    with db.session(write=True) as session:
        tenant = TenantService([]).require(session, tenant_id)
        scope = RequestScope.for_tenant(session, tenant, {}, now=AT)
        return [
            enqueue(
                scope,
                vendor="v",
                url="http://127.0.0.1:9/x",
                event="e",
                payload={"n": n},
                body=b"{}",
            )
            for n in range(count)
        ]


def _due(db, tenant_id: str, *, now: datetime, wall: datetime) -> list[store.Due]:
    with db.session(write=False) as session:
        return store.due(SqlRunner(tenant_id, session.connection), now=now, wall=wall, limit=10)


def test_one_claim_wins_until_its_lease_lapses(db):
    tenant_id = _tenant(db)
    (delivery_id,) = _enqueue(db, tenant_id)
    wall = datetime(2026, 1, 1)
    (due,) = _due(db, tenant_id, now=AT, wall=wall)
    assert due.id == delivery_id and due.body == b"{}"

    def claim(token: str, at: datetime) -> bool:
        with db.session(write=True) as session:
            sql = SqlRunner(tenant_id, session.connection)
            return store.claim(
                sql, pk=due.pk, token=token, until=at + timedelta(seconds=60), wall=at
            )

    assert claim("first", wall)
    assert not claim("second", wall + timedelta(seconds=59))  # held
    assert _due(db, tenant_id, now=AT, wall=wall + timedelta(seconds=59)) == []
    assert claim("third", wall + timedelta(seconds=61))  # lapsed: taken over
    # Another tenant's runner cannot claim or see it, whatever pk it names.
    other = _tenant(db)
    with db.session(write=True) as session:
        sql = SqlRunner(other, session.connection)
        assert not store.claim(sql, pk=due.pk, token="x", until=wall, wall=wall.replace(year=2100))
    assert _due(db, other, now=AT, wall=wall.replace(year=2100)) == []


def test_recording_schedules_the_retry_and_ignores_a_stale_claim(db):
    tenant_id = _tenant(db, seed=9)
    (delivery_id,) = _enqueue(db, tenant_id)
    wall = datetime(2026, 1, 1)
    (due,) = _due(db, tenant_id, now=AT, wall=wall)

    def run(step):
        with db.session(write=True) as session:
            return step(SqlRunner(tenant_id, session.connection))

    assert run(lambda sql: store.claim(sql, pk=due.pk, token="a", until=wall, wall=wall))
    state = run(
        lambda sql: store.record(sql, pk=due.pk, token="a", at=AT, outcome={"status": 500}, seed=9)
    )
    assert state == "pending"
    retry_at = AT + timedelta(seconds=retry_delay(9, delivery_id, 1))
    # Not due a second before its time on the tenant's clock; due at it.
    assert _due(db, tenant_id, now=retry_at - timedelta(seconds=1), wall=wall) == []
    assert [d.id for d in _due(db, tenant_id, now=retry_at, wall=wall)] == [delivery_id]

    # An attempt whose claim is no longer the delivery's (redelivered meanwhile) is
    # listed, and changes neither the state nor the budget.
    run(
        lambda sql: store.record(
            sql, pk=due.pk, token="stale", at=retry_at, outcome={"error": "timeout"}, seed=9
        )
    )
    with db.session(write=False) as session:
        tenant = TenantService([]).require(session, tenant_id)
        (shown,) = deliveries(RequestScope.for_tenant(session, tenant, {}))
    assert shown.state == "pending" and shown.due_at == retry_at
    assert [set(a) for a in shown.attempts] == [{"at", "status"}, {"at", "error"}]
