"""Helpers of the webhook tests (importable as ``webhook_support``): an app of their own
with short timeouts and a quick poll, a tenant with the controls the tests use, and
enqueueing through core's API with a scope built as the admin controls build one (the
core tests send no vendor's webhook). ``fixtures`` makes a module's ``app``, ``tenant``
and ``receiver``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from exam_sandbox.app import create_app, default_config
from exam_sandbox.core import webhooks
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenants import get_tenant
from exam_sandbox.webhook_receiver import WebhookReceiver

# Short timeouts, so a hanging receiver costs half a second; a quick poll, so a retry
# made due by moving the clock goes out at once even without the in-process poke.
FAST = {
    "webhook_connect_timeout": 0.5,
    "webhook_read_timeout": 0.5,
    "webhook_poll_seconds": 0.05,
}
SHOWN = {"id", "vendor", "url", "event", "payload", "attempts", "state"}


def webhook_app(folder: Path, **extra: Any) -> Flask:
    """An app on ``folder/sandbox.db`` (prepared, so pending deliveries resume)."""
    config = default_config(
        database_url=f"sqlite:///{folder / 'sandbox.db'}", extra={**FAST, **extra}
    )
    return create_app(config)


def close(app: Flask) -> None:
    context = app.extensions["exam_sandbox"]
    context.webhooks.stop()
    context.db.dispose()


def eventually(check: Callable[[], Any], *, timeout: float = 5.0, every: float = 0.02) -> Any:
    """``check()``'s first truthy value, polled; AssertionError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s: {check}")
        time.sleep(every)


@dataclass
class HookTenant:
    """A fresh tenant of a webhook app, and the controls its tests use."""

    app: Flask
    http: FlaskClient
    id: str
    seed: int
    webhook_secret: str

    @classmethod
    def create(cls, app: Flask, seed: int = 7) -> HookTenant:
        http = app.test_client()
        response = http.post("/_sandbox/tenants", json={"seed": seed})
        assert response.status_code == 201, response.json
        body = response.json
        return cls(app, http, body["tenant"], body["seed"], body["webhook_secret"])

    @property
    def db(self):
        return self.app.extensions["exam_sandbox"].db

    def admin(self, method: str, path: str = "", **kwargs):
        return self.http.open(f"/_sandbox/tenants/{self.id}{path}", method=method, **kwargs)

    def enqueue(
        self,
        url: str,
        payload: Any = None,
        *,
        event: str = "results.ready",
        vendor: str = "cirrus",
        body: bytes | None = None,
        content_type: str = "application/json",
    ) -> int:
        """Enqueue as a vendor's rule would, in a write transaction of the tenant's scope."""
        payload = {"CandidateExtId": "C-1"} if payload is None else payload
        if body is None:
            body = json.dumps(payload, separators=(",", ":")).encode()
        with self.db.session(write=True) as session:
            scope = RequestScope.for_tenant(session, get_tenant(session, self.id), {})
            return webhooks.enqueue(
                scope,
                vendor=vendor,
                url=url,
                event=event,
                payload=payload,
                body=body,
                content_type=content_type,
            )

    def delivery(self, delivery_id: int) -> webhooks.Delivery:
        """The stored delivery, its due time included (core's own read)."""
        with self.db.session(write=False) as session:
            scope = RequestScope.for_tenant(session, get_tenant(session, self.id), {})
            return webhooks.delivery(scope, delivery_id)

    def listed(self) -> list[dict]:
        response = self.admin("GET", "/webhooks")
        assert response.status_code == 200, response.json
        return response.json

    def shown(self, delivery_id: int) -> dict:
        (found,) = [d for d in self.listed() if d["id"] == delivery_id]
        return found

    def attempted(self, delivery_id: int, count: int, *, timeout: float = 5.0) -> dict:
        """The delivery once ``count`` attempts are recorded."""
        return eventually(
            lambda: (d := self.shown(delivery_id)) and len(d["attempts"]) >= count and d,
            timeout=timeout,
        )

    def in_state(self, delivery_id: int, state: str, *, timeout: float = 5.0) -> dict:
        return eventually(
            lambda: (d := self.shown(delivery_id))["state"] == state and d, timeout=timeout
        )

    def clock(self, **change: Any) -> dict:
        response = self.admin("PUT", "/clock", json=change)
        assert response.status_code == 200, response.json
        return response.json

    def delete(self) -> None:
        self.admin("DELETE")


def fixtures(folder: str, *, seed: int):
    """A test module's ``app`` (its own, on a folder named ``folder``), a fresh ``tenant``
    of ``seed`` per test, and a real local ``receiver``::

        app, tenant, receiver = webhook_support.fixtures("webhooks", seed=7)
    """

    @pytest.fixture(scope="module")
    def app(tmp_path_factory):
        made = webhook_app(tmp_path_factory.mktemp(folder))
        yield made
        close(made)

    @pytest.fixture()
    def tenant(app):
        made = HookTenant.create(app, seed=seed)
        yield made
        made.delete()

    @pytest.fixture()
    def receiver():
        with WebhookReceiver() as made:
            yield made

    return app, tenant, receiver
