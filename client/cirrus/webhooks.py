"""Your own receiver of Cirrus's "Exam results ready" webhook, in any web framework.

Cirrus POSTs ``application/json`` ``{"CandidateExtId", "ScheduleExtId", "AttemptExtId",
"AssessmentExtId"}`` when a result is published (and again after a rescore); the
sandbox signs each delivery with ``X-Sandbox-Signature: sha256=<hex>``, HMAC-SHA256 of
the exact body bytes keyed with the tenant's ``webhook_secret``. Give the raw body
bytes (not re-serialised JSON) and the request's headers::

    # Flask
    event = read_results_ready(request.get_data(), request.headers, secret=SECRET)
    # Django: request.body, request.headers (or request.META)
    # FastAPI/Starlette: await request.body(), request.headers

then answer 200 quickly and fetch the result (``client.get_results(attempt_ext_id=
event.attempt_ext_id)``) in the background: Cirrus retries a non-2xx answer up to 10
times. A bad signature raises :class:`WebhookSignatureError` (answer 401), a body that
is not a JSON object :class:`WebhookError` (answer 400).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exam_sandbox.client.cirrus.errors import WebhookError, WebhookSignatureError
from exam_sandbox.client.core.models import Model, raw_field, wire

__all__ = [
    "SIGNATURE_HEADER",
    "ResultsReady",
    "read_results_ready",
    "sign",
    "signature_of",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Sandbox-Signature"
_PREFIX = "sha256="


@dataclass(frozen=True)
class ResultsReady(Model):
    """The "Exam results ready" payload. Fields Cirrus adds later stay in ``raw``."""

    candidate_ext_id: str | None = wire()
    schedule_ext_id: str | None = wire()
    attempt_ext_id: str | None = wire()
    assessment_ext_id: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


def _key(secret: str | bytes) -> bytes:
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not isinstance(secret, bytes) or not secret:
        raise ValueError("the webhook secret must be a non-empty str or bytes")
    return secret


def sign(body: bytes, secret: str | bytes) -> str:
    """The header value for ``body``: ``sha256=<hex>`` (to test your receiver)."""
    return _PREFIX + hmac.new(_key(secret), body, hashlib.sha256).hexdigest()


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
    expected = sign(bytes(body), secret)[len(_PREFIX) :]
    return hmac.compare_digest(expected.encode(), given.strip().lower().encode())


def read_results_ready(
    body: bytes, headers: Mapping[str, str] | Any = None, *, secret: str | bytes | None
) -> ResultsReady:
    """Verify (unless ``secret=None``: then ``headers`` is not read) and parse a delivery.

    ``secret`` is keyword-only and required, so skipping verification is a visible
    choice. Raises :class:`WebhookSignatureError` or :class:`WebhookError`.
    """
    if secret is not None:
        signature = signature_of(headers or {})
        if signature is None:
            raise WebhookSignatureError(f"no {SIGNATURE_HEADER} header")
        if not verify_signature(body, signature, secret):
            raise WebhookSignatureError(f"{SIGNATURE_HEADER} does not match the body")
    try:
        data = json.loads(bytes(body).decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookError(f"the webhook body is not JSON: {exc}") from exc
    if not isinstance(data, Mapping):
        raise WebhookError(f"the webhook body is a JSON {type(data).__name__}, not an object")
    return ResultsReady.from_wire(data)
