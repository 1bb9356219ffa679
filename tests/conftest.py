"""Shared fixtures: one sandbox app per test session, a fresh tenant per test.

Tests go through the real app (Flask's test client, the real SQLite database); a fresh
tenant per test costs milliseconds and isolates every test from the others.

No vendor is named here: ``tenant.<vendor>(method, path)`` and ``tenant.<vendor>_auth``
exist for every vendor the sandbox lists, authenticating the way its
``tests/<vendor>/tenant_auth.py`` says (``auth_headers(credentials)``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from functools import partialmethod
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from stores import app_of, store_name
from support import basic

from exam_sandbox.providers import all_descriptions

DESCRIPTIONS = {d.name: d for d in all_descriptions()}


def _auth_headers_of(vendor: str) -> Callable[[dict], dict]:
    # Loaded by path: tests/<vendor>/ is on sys.path only while its own tests run.
    path = Path(__file__).parent / vendor / "tenant_auth.py"
    spec = importlib.util.spec_from_file_location(f"{vendor}_tenant_auth", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.auth_headers


AUTH_HEADERS = {name: _auth_headers_of(name) for name in DESCRIPTIONS}


def pytest_report_header(config) -> str:
    return f"exam-sandbox store: {store_name()} (tests/stores.py)"


# Tests of the clients against stand-in vendors: no sandbox, so no store.
STORE_INDEPENDENT_FOLDERS = ("clients", "cirrus_client", "itep_client")


@pytest.hookimpl(tryfirst=True)  # before -m reads the markers
def pytest_collection_modifyitems(config, items) -> None:
    """Mark the client folders store-independent; leave out the tests of the other
    store's own behaviour (``sqlite_only``, ``postgresql_only``): its run has them."""
    here = Path(__file__).parent
    for item in items:
        if item.path.parent.name in STORE_INDEPENDENT_FOLDERS and item.path.parent.parent == here:
            item.add_marker(pytest.mark.store_independent)
    # Each run leaves out the tests of the other store itself.
    other = "postgresql_only" if store_name() == "sqlite" else "sqlite_only"
    kept, left = [], []
    for item in items:
        (left if item.get_closest_marker(other) else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """Every vendor; each vendor folder's conftest.py gives its tests that vendor alone."""
    return app_of(tmp_path_factory)


@pytest.fixture()
def http(app) -> FlaskClient:
    return app.test_client()


@dataclass
class TenantHandle:
    """A fresh tenant and the controls a test needs around it."""

    id: str
    credentials: dict
    http: FlaskClient

    def auth(self, vendor: str) -> dict:
        """The headers that authenticate the tenant on ``vendor``; also ``<vendor>_auth``."""
        return AUTH_HEADERS[vendor](self.credentials[vendor])

    def call(self, vendor: str, method: str, path: str, *, auth: dict | None = None,
             **kwargs):
        """Call ``vendor`` as the tenant; ``path`` is under its mount (``/api/v2/...`` for
        Surpass, ``/api/...`` for Janison). Also ``tenant.<vendor>(method, path)``."""
        headers = {**(self.auth(vendor) if auth is None else auth), **kwargs.pop("headers", {})}
        return self.http.open(
            f"{DESCRIPTIONS[vendor].mount}{path}", method=method, headers=headers, **kwargs
        )

    def admin(self, method: str, path: str = "", **kwargs):
        return self.http.open(f"/_sandbox/tenants/{self.id}{path}", method=method, **kwargs)

    def settings(self, provider: str = "surpass", **changes) -> dict:
        response = self.admin("PATCH", f"/settings/{provider}", json=changes)
        assert response.status_code == 200, response.json
        return response.json

    def overview(self, vendor: str) -> dict:
        """What the vendor's panel shows of the tenant (``/overview/<vendor>``)."""
        response = self.admin("GET", f"/overview/{vendor}")
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


for _name in DESCRIPTIONS:
    setattr(TenantHandle, _name, partialmethod(TenantHandle.call, _name))
    setattr(TenantHandle, f"{_name}_auth", property(lambda self, n=_name: self.auth(n)))


@pytest.fixture()
def tenant(http) -> TenantHandle:
    response = http.post("/_sandbox/tenants", json={"seed": 7})
    assert response.status_code == 201, response.json
    handle = TenantHandle(response.json["tenant"], response.json["credentials"], http)
    yield handle
    http.delete(f"/_sandbox/tenants/{handle.id}")
