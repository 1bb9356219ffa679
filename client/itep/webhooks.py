"""Your own receiver of iTEP's results webhook, in any web framework.

iTEP POSTs a form (``application/x-www-form-urlencoded``) with exactly one field,
``data``, whose value is the JSON text of the result (``OID``, ``TestID``,
``Duration``, ``TestDate``, ``Overall_Level``, ``<Section>_Level``, ...), when a test
with a tracking code is finished (if the code says so), complete, reset, invalidated
or has a problem. The sandbox signs each delivery with ``X-Sandbox-Signature:
sha256=<hex>``, HMAC-SHA256 of the exact body bytes keyed with the tenant's
``webhook_secret`` (iTEP's own headers are not known). Give the raw body bytes, not
the parsed form, and the request's headers::

    # Flask
    result = read_results(request.get_data(), request.headers, secret=SECRET)
    # Django: request.body, request.headers (or request.META)
    # FastAPI/Starlette: await request.body(), request.headers

then answer 200 quickly: a non-2xx answer is delivered again. A bad signature raises
:class:`WebhookSignatureError` (answer 401), a malformed body :class:`WebhookError`
(answer 400).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from exam_sandbox.client.core.signatures import (
    SIGNATURE_HEADER,
    sign,
    signature_of,
    verify_signature,
)
from exam_sandbox.client.itep.errors import WebhookError, WebhookSignatureError
from exam_sandbox.client.itep.models import TestResult

__all__ = [
    "DATA_FIELD",
    "SIGNATURE_HEADER",
    "data_of",
    "read_results",
    "results_body",
    "sign",
    "signature_of",
    "verify_signature",
]

DATA_FIELD = "data"


# --------------------------------------------------------------------------- the body


def results_body(payload: Mapping[str, Any]) -> bytes:
    """A delivery's body for ``payload``: ``data=<the JSON, percent-encoded>`` (to test
    your receiver; sign it with :func:`sign`)."""
    text = json.dumps(dict(payload), separators=(",", ":"), ensure_ascii=False)
    return urlencode({DATA_FIELD: text}).encode("ascii")


def data_of(body: bytes) -> dict[str, Any]:
    """The JSON object in a delivery's one form field ``data``.

    Raises :class:`WebhookError` for a body that is not a form of exactly that one
    field (none, another name, ``data`` twice, more fields), or whose ``data`` is not
    the JSON text of an object.
    """
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError("pass the raw body bytes, not a parsed form")
    try:
        text = bytes(body).decode("utf-8")
        fields = parse_qsl(
            text, keep_blank_values=True, strict_parsing=True, encoding="utf-8", errors="strict"
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise WebhookError(f"the webhook body is not a form: {exc}") from exc
    names = [name for name, _ in fields]
    if names != [DATA_FIELD]:
        raise WebhookError(
            f"the webhook form must have exactly one field {DATA_FIELD!r}; it has "
            f"{len(names)}: {names[:10]!r}"
        )
    try:
        data = json.loads(fields[0][1])
    except ValueError as exc:
        raise WebhookError(f"the webhook's {DATA_FIELD!r} is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise WebhookError(
            f"the webhook's {DATA_FIELD!r} is a JSON {type(data).__name__}, not an object"
        )
    return data


def read_results(
    body: bytes, headers: Mapping[str, str] | Any = None, *, secret: str | bytes | None
) -> TestResult:
    """Verify (unless ``secret=None``: then ``headers`` is not read) and parse a delivery.

    ``secret`` is keyword-only and required, so skipping verification is a visible
    choice. The signature is checked before the body is read. Raises
    :class:`WebhookSignatureError` or :class:`WebhookError`.
    """
    if secret is not None:
        signature = signature_of(headers or {})
        if signature is None:
            raise WebhookSignatureError(f"no {SIGNATURE_HEADER} header")
        if not verify_signature(body, signature, secret):
            raise WebhookSignatureError(f"{SIGNATURE_HEADER} does not match the body")
    data = data_of(body)
    try:
        return TestResult.from_wire(data)
    except ValueError as exc:
        raise WebhookError(f"the webhook's result cannot be read: {exc}") from exc
