"""Webhook deliveries end to end (issue 10): enqueued through core's API, sent by the
app's dispatcher to a real local HTTP server (``exam_sandbox.webhook_receiver``), signed,
retried on the tenant's clock, failed after ten attempts, and sent again on request.

The app is the tests' own, with short timeouts and a quick poll (``webhook_support``):
nothing here sleeps longer than a poll, every wait is a poll with a deadline.
"""

from __future__ import annotations

import json
import socket
import time
from datetime import datetime, timedelta

from webhook_support import SHOWN, HookTenant, eventually, fixtures

from exam_sandbox.core.webhooks import MAX_ATTEMPTS, jitter, signing
from exam_sandbox.webhook_receiver import WebhookReceiver

FROZEN = "2030-06-30T08:00:00Z"
T0 = datetime(2030, 6, 30, 8, 0, 0)
QUIET = 0.3  # long enough for several polls: what has not arrived by then was not sent


app, tenant, receiver = fixtures("webhooks", seed=7)


def iso(instant: datetime) -> str:
    return instant.isoformat(timespec="milliseconds") + "Z"


def expected_delay(seed: int, delivery_id: int, n: int) -> int:
    """The interface's formula, written out: round((n-1)^4 + 15 + r*n), r in 0..29."""
    r = jitter(seed, delivery_id, n)
    assert 0 <= r <= 29
    return round((n - 1) ** 4 + 15 + r * n)


def test_the_first_attempt_is_delivered_at_once_and_signed(tenant, receiver):
    payload = {"CandidateExtId": "C-1", "ScheduleExtId": "S-1", "AttemptExtId": "A-1"}
    body = json.dumps(payload).encode()
    started = time.monotonic()
    delivery_id = tenant.enqueue(receiver.url, payload, body=body, event="exam.results")
    (received,) = receiver.wait_for(1, timeout=3)
    assert time.monotonic() - started < 2  # woken by the commit, not a poll away

    assert received.method == "POST" and received.path == "/hooks"
    assert received.body == body  # the exact bytes enqueued
    assert received.content_type == "application/json"
    assert received.json == payload
    # HMAC-SHA256 keyed with the tenant's webhook secret over the body: checked here
    # independently of the sandbox's own code, and by it.
    assert receiver.verify(tenant.webhook_secret, received)
    assert received.signature == signing.signature(tenant.webhook_secret, body)
    assert received.header("x-sandbox-signature").startswith("sha256=")
    assert not receiver.verify("another secret", received)

    shown = tenant.in_state(delivery_id, "delivered")
    assert set(shown) == SHOWN
    assert shown["vendor"] == "cirrus" and shown["event"] == "exam.results"
    assert shown["url"] == receiver.url and shown["payload"] == payload
    (attempt,) = shown["attempts"]
    assert attempt["status"] == 200 and set(attempt) == {"at", "status"}
    assert tenant.delivery(delivery_id).due_at is None


def test_the_secret_is_in_the_tenant_answers_and_differs_per_tenant(app, tenant):
    shown = tenant.admin("GET").json
    assert shown["webhook_secret"] == tenant.webhook_secret
    assert isinstance(tenant.webhook_secret, str) and len(tenant.webhook_secret) >= 32
    other = HookTenant.create(app, seed=7)
    try:
        assert other.webhook_secret != tenant.webhook_secret
    finally:
        other.delete()
    # A reset keeps it (it derives from the tenant's stored secret).
    assert tenant.admin("POST", "/reset", json={}).json["webhook_secret"] == tenant.webhook_secret


def test_a_first_attempt_goes_out_while_the_clock_is_frozen(tenant, receiver):
    assert tenant.clock(now=FROZEN)["frozen"] is True
    delivery_id = tenant.enqueue(receiver.url)
    receiver.wait_for(1, timeout=3)
    shown = tenant.in_state(delivery_id, "delivered")
    assert shown["attempts"] == [{"at": FROZEN.replace(":00Z", ":00.000Z"), "status": 200}]


def test_failed_attempts_are_retried_on_the_tenant_clock(tenant, receiver):
    receiver.fail(times=2, status=500)
    tenant.clock(now=FROZEN)
    delivery_id = tenant.enqueue(receiver.url)
    receiver.wait_for(1, timeout=3)
    tenant.attempted(delivery_id, 1)

    # Retry 1 is due (0)^4 + 15 + r*1 seconds after the first attempt, on the tenant's
    # clock, r from the tenant's seed: not a moment before.
    first_delay = expected_delay(tenant.seed, delivery_id, 1)
    assert tenant.delivery(delivery_id).due_at == T0 + timedelta(seconds=first_delay)
    tenant.clock(advance_seconds=first_delay - 1)
    time.sleep(QUIET)
    assert len(receiver.requests) == 1
    moved = tenant.clock(advance_seconds=1)
    receiver.wait_for(2, timeout=3)
    assert moved["frozen"] is True  # sending the retry did not let the clock run
    second_at = T0 + timedelta(seconds=first_delay)

    # Retry 2: (1)^4 + 15 + r*2 after the second attempt.
    tenant.attempted(delivery_id, 2)
    second_delay = expected_delay(tenant.seed, delivery_id, 2)
    assert tenant.delivery(delivery_id).due_at == second_at + timedelta(seconds=second_delay)
    tenant.clock(advance_seconds=second_delay)
    receiver.wait_for(3, timeout=3)

    shown = tenant.in_state(delivery_id, "delivered")
    assert shown["attempts"] == [
        {"at": iso(T0), "status": 500},
        {"at": iso(second_at), "status": 500},
        {"at": iso(second_at + timedelta(seconds=second_delay)), "status": 200},
    ]
    assert tenant.admin("GET", "/clock").json["frozen"] is True
    # Every attempt carried the same bytes and signature.
    bodies = {(r.body, r.signature) for r in receiver.requests}
    assert len(bodies) == 1


def test_ten_failures_end_failed_and_a_redelivery_gets_a_fresh_budget(tenant, receiver):
    receiver.status = 503
    tenant.clock(now=FROZEN)
    delivery_id = tenant.enqueue(receiver.url)
    at = T0
    for made in range(1, MAX_ATTEMPTS + 1):
        shown = tenant.attempted(delivery_id, made)
        assert shown["attempts"][-1] == {"at": iso(at), "status": 503}
        if made < MAX_ATTEMPTS:
            assert shown["state"] == "pending"
            delay = expected_delay(tenant.seed, delivery_id, made)
            assert tenant.delivery(delivery_id).due_at == at + timedelta(seconds=delay)
            at += timedelta(seconds=delay)
            tenant.clock(advance_seconds=delay)
    shown = tenant.in_state(delivery_id, "failed")
    assert len(shown["attempts"]) == MAX_ATTEMPTS
    assert tenant.delivery(delivery_id).due_at is None

    tenant.clock(advance_seconds=10**6)  # nothing is due any more
    time.sleep(QUIET)
    assert len(receiver.requests) == MAX_ATTEMPTS

    # Sent again: pending, due now, the earlier attempts kept, a fresh budget.
    receiver.status = 204
    response = tenant.admin("POST", f"/webhooks/{delivery_id}/redeliver", json={})
    assert response.status_code == 202, response.json
    assert response.json["state"] == "pending"
    assert len(response.json["attempts"]) == MAX_ATTEMPTS
    receiver.wait_for(MAX_ATTEMPTS + 1, timeout=3)
    shown = tenant.in_state(delivery_id, "delivered")
    assert len(shown["attempts"]) == MAX_ATTEMPTS + 1
    assert shown["attempts"][-1]["status"] == 204


def test_a_hanging_receiver_does_not_stall_another(tenant, receiver):
    with WebhookReceiver() as slow:
        slow.hang(10)  # far longer than the app's read timeout (0.5 s)
        stalled = tenant.enqueue(slow.url)
        slow.wait_for(1, timeout=3)  # it is holding that attempt now
        started = time.monotonic()
        delivered = tenant.enqueue(receiver.url)
        receiver.wait_for(1, timeout=3)
        assert time.monotonic() - started < 2
        tenant.in_state(delivered, "delivered")
        # The hanging one times out as a failed attempt, to be retried.
        shown = tenant.attempted(stalled, 1)
        assert shown["state"] == "pending"
        (attempt,) = shown["attempts"]
        assert "status" not in attempt and attempt["error"].startswith("timeout")


def test_a_refused_connection_is_a_failed_attempt(tenant):
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    delivery_id = tenant.enqueue(f"http://127.0.0.1:{port}/hooks")
    shown = tenant.attempted(delivery_id, 1)
    assert shown["state"] == "pending"
    assert shown["attempts"][0]["error"].startswith("connection failed")


def test_redeliver_sends_the_same_bytes_again(tenant, receiver):
    delivery_id = tenant.enqueue(receiver.url, {"AttemptExtId": "A-9"})
    tenant.in_state(delivery_id, "delivered")
    response = tenant.admin("POST", f"/webhooks/{delivery_id}/redeliver", json={})
    assert response.status_code == 202
    assert set(response.json) == SHOWN and response.json["id"] == delivery_id
    first, again = receiver.wait_for(2, timeout=3)
    assert (again.body, again.signature) == (first.body, first.signature)
    shown = eventually(lambda: (d := tenant.shown(delivery_id))["attempts"][1:] and d)
    assert [a["status"] for a in shown["attempts"]] == [200, 200]
    assert shown["state"] == "delivered"
