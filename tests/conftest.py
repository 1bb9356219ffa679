"""Shared fixtures: one sandbox app per test session, a fresh tenant per test.

Tests go through the real app (Flask's test client, the real SQLite database); a fresh
tenant per test costs milliseconds and isolates every test from the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from support import basic

from exam_sandbox.app import create_app, default_config


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("sandbox-data")
    config = default_config(database_url=f"sqlite:///{data_dir / 'sandbox.db'}")
    return create_app(config)


@pytest.fixture()
def http(app) -> FlaskClient:
    return app.test_client()


@dataclass
class TenantHandle:
    """A fresh tenant and the controls a test needs around it."""

    id: str
    credentials: dict
    http: FlaskClient

    @property
    def surpass_auth(self) -> dict:
        c = self.credentials["surpass"]
        return basic(c["username"], c["password"])

    def surpass(self, method: str, path: str, *, auth: dict | None = None, **kwargs):
        """Call Surpass as the tenant's own user; ``path`` starts at ``/api/v2``."""
        headers = {**(self.surpass_auth if auth is None else auth), **kwargs.pop("headers", {})}
        return self.http.open(f"/surpass{path}", method=method, headers=headers, **kwargs)

    @property
    def janison_auth(self) -> dict:
        c = self.credentials["janison"]
        return {
            "Ocp-Apim-Subscription-Key": c["subscriptionKey"],
            "Authorization": f"Bearer {c['token']}",
        }

    def janison(self, method: str, path: str, *, auth: dict | None = None, **kwargs):
        """Call Janison with the tenant's key and token; ``path`` starts at ``/api``."""
        headers = {**(self.janison_auth if auth is None else auth), **kwargs.pop("headers", {})}
        return self.http.open(f"/janison{path}", method=method, headers=headers, **kwargs)

    def admin(self, method: str, path: str = "", **kwargs):
        return self.http.open(f"/_sandbox/tenants/{self.id}{path}", method=method, **kwargs)

    def settings(self, provider: str = "surpass", **changes) -> dict:
        response = self.admin("PATCH", f"/settings/{provider}", json=changes)
        assert response.status_code == 200, response.json
        return response.json

    def freeze(self, iso: str) -> None:
        response = self.admin("PUT", "/clock", json={"now": iso})
        assert response.status_code == 200, response.json

    def surpass_user(self, username: str, password: str = "secret", **body) -> dict:
        """Create a Surpass API user and return its Basic auth header."""
        response = self.admin(
            "POST", "/surpass/users", json={"username": username, "password": password, **body}
        )
        assert response.status_code == 201, response.json
        return basic(username, password)


@pytest.fixture()
def tenant(http) -> TenantHandle:
    response = http.post("/_sandbox/tenants", json={"seed": 7})
    assert response.status_code == 201, response.json
    handle = TenantHandle(response.json["tenant"], response.json["credentials"], http)
    yield handle
    http.delete(f"/_sandbox/tenants/{handle.id}")
