"""Signing deliveries: ``X-Sandbox-Signature: sha256=<hex>``, an HMAC-SHA256 keyed with
the tenant's webhook secret (its UTF-8 bytes) over the exact body bytes sent.

The secret is derived from the tenant's stored ``secret`` (as Janison's credentials are),
so it needs no column of its own, survives a reset and a restart, and two tenants never
share one. Receivers may ignore the header; ``verify`` is what one that checks does.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Sandbox-Signature"
PREFIX = "sha256="


def webhook_secret(tenant_id: str, secret: str) -> str:
    """The tenant's webhook secret, from its id and stored secret."""
    message = f"webhook-secret\x1f{tenant_id}".encode()
    return "whsec_" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:40]


def signature(webhook_secret: str, body: bytes) -> str:
    """The header's value for ``body``: ``sha256=<hex>``."""
    digest = hmac.new(webhook_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def verify(webhook_secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is the signature of ``body`` (compared in constant time)."""
    return header is not None and hmac.compare_digest(signature(webhook_secret, body), header)
