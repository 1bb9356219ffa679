"""Webhooks in the pytest plugin (``exam_sandbox.pytest_plugin``): the ``webhook_receiver``
fixture, a real HTTP server the sandbox delivers to, and ``sandbox_tenant.webhooks``, the
tenant's deliveries as the ``/_sandbox`` controls list them::

    def test_results_webhook(sandbox_tenant, webhook_receiver):
        ...  # make a vendor send to webhook_receiver.url
        (received,) = webhook_receiver.wait_for(1)
        assert webhook_receiver.verify(sandbox_tenant.webhook_secret, received)
        assert sandbox_tenant.webhooks()[-1]["state"] == "delivered"

Nothing of the sandbox is imported here (the receiver is the standard library's HTTP
server), so loading the plugin stays cheap.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from exam_sandbox.webhook_receiver import ReceivedRequest, WebhookReceiver

if TYPE_CHECKING:
    from exam_sandbox.pytest_plugin import SandboxTenant

__all__ = ["ReceivedRequest", "WebhookReceiver", "Webhooks", "webhook_receiver"]

POLL_SECONDS = 0.05


class Webhooks:
    """The tenant's webhook deliveries, oldest first: ``tenant.webhooks()`` lists them
    (``{"id", "vendor", "url", "event", "payload", "attempts", "state"}``)."""

    def __init__(self, tenant: SandboxTenant) -> None:
        self._tenant = tenant

    def __call__(self) -> list[dict[str, Any]]:
        return self._tenant.admin("GET", "/webhooks").json()

    def redeliver(self, delivery_id: int) -> dict[str, Any]:
        """Send a delivery again (a fresh budget of attempts); returns it, pending."""
        return self._tenant.admin("POST", f"/webhooks/{delivery_id}/redeliver", expect=202).json()

    def wait_for(
        self, delivery_id: int, state: str = "delivered", *, timeout: float = 10.0
    ) -> dict[str, Any]:
        """Poll until delivery ``delivery_id`` is in ``state``; return it (``AssertionError``
        with what it shows otherwise)."""
        deadline = time.monotonic() + timeout
        while True:
            found = next((d for d in self() if d["id"] == delivery_id), None)
            if found is not None and found["state"] == state:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"webhook delivery {delivery_id} not {state} within {timeout} s: {found}"
                )
            time.sleep(POLL_SECONDS)


@pytest.fixture()
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """A real HTTP server on 127.0.0.1 that records every request the sandbox sends it
    (``.url``, ``.requests``, ``.wait_for(count, timeout)``, ``.verify(secret, request)``;
    ``.fail(times, status)`` and ``.hang(seconds, times)`` to provoke retries); stopped
    after the test."""
    with WebhookReceiver() as receiver:
        yield receiver
