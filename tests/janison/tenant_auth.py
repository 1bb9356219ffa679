"""How the sandbox's tests authenticate as a tenant on Janison (tests/conftest.py finds
this file by its vendor's name: ``tenant.janison(...)``, ``tenant.janison_auth``)."""

from __future__ import annotations


def auth_headers(credentials: dict[str, str]) -> dict[str, str]:
    """The APIM subscription key and the tenant's bearer token."""
    return {
        "Ocp-Apim-Subscription-Key": credentials["subscriptionKey"],
        "Authorization": f"Bearer {credentials['token']}",
    }
