"""How the sandbox's tests authenticate as a tenant's Surpass user (tests/conftest.py
finds this file by its vendor's name: ``tenant.surpass(...)``, ``tenant.surpass_auth``)."""

from __future__ import annotations

import base64


def auth_headers(credentials: dict[str, str]) -> dict[str, str]:
    """HTTP Basic as the tenant's own (all-permissions) user."""
    pair = f"{credentials['username']}:{credentials['password']}".encode()
    return {"Authorization": f"Basic {base64.b64encode(pair).decode()}"}
