"""The sandbox's webhook signature, for a user's own receiver of any vendor's webhook:
``X-Sandbox-Signature: sha256=<hex>``, HMAC-SHA256 of the exact body bytes keyed with
the tenant's ``webhook_secret``. The vendors' ``webhooks`` modules parse their payloads
on top of this."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

SIGNATURE_HEADER = "X-Sandbox-Signature"
PREFIX = "sha256="


def _key(secret: str | bytes) -> bytes:
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not isinstance(secret, bytes) or not secret:
        raise ValueError("the webhook secret must be a non-empty str or bytes")
    return secret


def sign(body: bytes, secret: str | bytes) -> str:
    """The header value for ``body``: ``sha256=<hex>`` (to test your receiver)."""
    return PREFIX + hmac.new(_key(secret), body, hashlib.sha256).hexdigest()


def signature_of(headers: Mapping[str, str] | Any) -> str | None:
    """``X-Sandbox-Signature`` from any framework's headers (a mapping, or ASGI's list
    of byte pairs), matched ignoring case, Django's ``META`` spelling
    ``HTTP_X_SANDBOX_SIGNATURE`` too; ``None`` if absent."""
    get = getattr(headers, "get", None)
    if get is not None:
        for name in (SIGNATURE_HEADER, SIGNATURE_HEADER.lower()):
            value = get(name)
            if isinstance(value, str):
                return value
    items = headers.items() if hasattr(headers, "items") else headers
    wanted = SIGNATURE_HEADER.lower()
    for name, value in items:
        text = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        key = text.lower().replace("_", "-")
        if key.startswith("http-"):
            key = key[len("http-") :]
        if key == wanted:
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return None


def verify_signature(body: bytes, signature: str | None, secret: str | bytes) -> bool:
    """Whether ``signature`` (the header's value) is ``sha256=`` HMAC-SHA256 of ``body``
    keyed with ``secret``; compared in constant time."""
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError("verify the raw body bytes, not a decoded or re-serialised body")
    if not signature:
        return False
    scheme, _, given = signature.strip().partition("=")
    if scheme.lower() != "sha256" or not given:
        return False
    expected = sign(bytes(body), secret)[len(PREFIX) :]
    return hmac.compare_digest(expected.encode(), given.strip().lower().encode())
