"""Webhooks, for every vendor that sends them: durable deliveries, signed, retried on the
tenant's clock by one background dispatcher per process.

What a vendor calls, from a rule function inside its write transaction::

    from exam_sandbox.core.webhooks import enqueue

    scope.write()
    ...
    enqueue(scope, vendor="cirrus", url=settings["webhookUrl"], event="exam-results-ready",
            payload=payload, body=json.dumps(payload).encode(), content_type="application/json")

The delivery commits or rolls back with the request; once committed, its first attempt
goes out within about a second. The controls list and redeliver through ``deliveries``
and ``redeliver``. The modules: ``tables`` (the table), ``signing`` (the secret and the
signature header), ``backoff`` (when a retry is due), ``store`` (the SQL), ``sender``
(one HTTP attempt), ``dispatcher`` (the thread that claims and sends), ``wakeup`` (waking
it when a transaction commits). docs/architecture.md, "Webhooks", tells the whole story.
"""

from __future__ import annotations

from .backoff import MAX_ATTEMPTS, jitter, retry_delay
from .dispatcher import DispatchSettings, WebhookDispatcher
from .signing import SIGNATURE_HEADER, signature, verify, webhook_secret
from .store import Delivery, deliveries, delivery, enqueue, redeliver
from .tables import DELIVERED, FAILED, PENDING, WebhookDelivery

__all__ = [
    "DELIVERED",
    "FAILED",
    "MAX_ATTEMPTS",
    "PENDING",
    "SIGNATURE_HEADER",
    "Delivery",
    "DispatchSettings",
    "WebhookDelivery",
    "WebhookDispatcher",
    "deliveries",
    "delivery",
    "enqueue",
    "jitter",
    "redeliver",
    "retry_delay",
    "signature",
    "verify",
    "webhook_secret",
]
