"""The webhook receiver (``exam_sandbox.webhook_receiver``) and what the pytest plugin
offers around it: the ``webhook_receiver`` fixture, ``sandbox_tenant.webhook_secret``
and ``sandbox_tenant.webhooks``."""

from __future__ import annotations

import json
import time

import pytest
import requests

from exam_sandbox.pytest_plugin import SandboxError
from exam_sandbox.webhook_receiver import WebhookReceiver

# Store-independent (the test receiver alone): the PostgreSQL run leaves it out
# (tests/postgres_run.py).
pytestmark = pytest.mark.store_independent


def test_it_records_each_request(webhook_receiver):
    assert webhook_receiver.url.startswith("http://127.0.0.1:")
    body = json.dumps({"a": 1}).encode()
    answer = requests.post(
        webhook_receiver.url + "?x=1",
        data=body,
        timeout=5,
        headers={"Content-Type": "application/json", "X-Thing": "yes"},
    )
    assert answer.status_code == 200
    form = requests.post(webhook_receiver.url, data={"data": '{"b": 2}'}, timeout=5)
    assert form.status_code == 200
    first, second = webhook_receiver.wait_for(2, timeout=1)
    assert (first.method, first.path, first.query) == ("POST", "/hooks", {"x": ["1"]})
    assert first.body == body and first.json == {"a": 1} and first.form is None
    assert first.header("x-thing") == "yes" and first.content_type == "application/json"
    assert second.form == {"data": '{"b": 2}'} and second.json is None
    assert webhook_receiver.requests == [first, second]
    webhook_receiver.clear()
    assert webhook_receiver.requests == []


def test_it_fails_then_recovers(webhook_receiver):
    webhook_receiver.fail(times=2, status=503)
    statuses = [
        requests.post(webhook_receiver.url, data=b"x", timeout=5).status_code for _ in range(3)
    ]
    assert statuses == [503, 503, 200]
    assert [r.answered for r in webhook_receiver.requests] == [503, 503, 200]


def test_it_hangs_on_demand_and_stops_at_once():
    receiver = WebhookReceiver().start()
    try:
        receiver.hang(30)
        with pytest.raises(requests.Timeout):
            requests.post(receiver.url, data=b"x", timeout=(2, 0.2))
        assert len(receiver.wait_for(1, timeout=1)) == 1  # recorded before the wait
    finally:
        started = time.monotonic()
        receiver.stop()
    assert time.monotonic() - started < 5


def test_wait_for_says_what_did_arrive(webhook_receiver):
    requests.post(webhook_receiver.url, data=b"only one", timeout=5)
    with pytest.raises(AssertionError, match=r"expected 2 webhook request\(s\).*got 1"):
        webhook_receiver.wait_for(2, timeout=0.2)


def test_verify_checks_the_signature(webhook_receiver):
    body = b'{"signed": true}'
    good = WebhookReceiver.signature_of("whsec_x", body)
    requests.post(webhook_receiver.url, data=body, timeout=5, headers={"X-Sandbox-Signature": good})
    requests.post(webhook_receiver.url, data=body, timeout=5)
    signed, unsigned = webhook_receiver.wait_for(2)
    assert webhook_receiver.verify("whsec_x", signed)
    assert not webhook_receiver.verify("whsec_y", signed)
    assert not webhook_receiver.verify("whsec_x", unsigned)


def test_the_plugins_tenant_has_its_secret_and_its_deliveries(sandbox_tenant):
    assert sandbox_tenant.webhook_secret.startswith("whsec_")
    shown = sandbox_tenant.admin("GET").json()
    assert shown["webhook_secret"] == sandbox_tenant.webhook_secret
    assert sandbox_tenant.webhooks() == []
    with pytest.raises(SandboxError, match="404"):
        sandbox_tenant.webhooks.redeliver(1)
