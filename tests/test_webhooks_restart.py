"""Deliveries are durable: pending ones survive a restart, in-process (two apps on one
database file, one after the other) and as users run it (``exam-sandbox serve`` on the
same ``--data-dir``, with two workers whose leases keep each attempt to one sender)."""

from __future__ import annotations

import time

from webhook_support import HookTenant, close, eventually, webhook_app

from exam_sandbox.pytest_plugin import serve_sandbox
from exam_sandbox.webhook_receiver import WebhookReceiver

QUIET = 0.3


def pending_in(folder, receiver: WebhookReceiver, count: int) -> tuple[str, list[int]]:
    """A tenant with ``count`` deliveries left pending in ``folder``'s database: enqueued
    by an app whose dispatcher was stopped first, as if the process had died."""
    app = webhook_app(folder)
    try:
        app.extensions["exam_sandbox"].webhooks.stop()
        tenant = HookTenant.create(app)
        ids = [tenant.enqueue(receiver.url, {"n": n}) for n in range(count)]
        time.sleep(QUIET)
        assert receiver.requests == []
        assert {d["state"] for d in tenant.listed()} == {"pending"}
        assert all(d["attempts"] == [] for d in tenant.listed())
        return tenant.id, ids
    finally:
        close(app)


def test_pending_deliveries_go_out_when_the_next_app_starts(tmp_path):
    with WebhookReceiver() as receiver:
        tenant_id, (delivery_id,) = pending_in(tmp_path, receiver, 1)
        app = webhook_app(tmp_path)  # starts its dispatcher: something is pending
        try:
            (received,) = receiver.wait_for(1, timeout=5)
            assert received.json == {"n": 0}
            http = app.test_client()

            def delivered():
                (shown,) = http.get(f"/_sandbox/tenants/{tenant_id}/webhooks").json
                return shown["state"] == "delivered" and shown

            shown = eventually(delivered)
            assert shown["id"] == delivery_id and len(shown["attempts"]) == 1
        finally:
            close(app)


def test_exam_sandbox_serve_delivers_what_was_pending_once_each(tmp_path):
    count = 12
    with WebhookReceiver() as receiver:
        tenant_id, ids = pending_in(tmp_path, receiver, count)
        served = serve_sandbox(tmp_path, workers=2)
        try:
            receiver.wait_for(count, timeout=20)

            def all_delivered():
                listed = served.admin("GET", f"/tenants/{tenant_id}/webhooks").json()
                return all(d["state"] == "delivered" for d in listed) and listed

            listed = eventually(all_delivered, timeout=10)
            assert [d["id"] for d in listed] == ids
            assert all(len(d["attempts"]) == 1 for d in listed)
            time.sleep(QUIET)
            # Both workers resumed and competed for the same deliveries: each went once.
            sent = sorted(r.json["n"] for r in receiver.requests)
            assert sent == list(range(count))
        finally:
            served.stop()
