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

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exam_sandbox.client.cirrus.errors import WebhookError, WebhookSignatureError
from exam_sandbox.client.core.models import Model, raw_field, wire
from exam_sandbox.client.core.signatures import (
    SIGNATURE_HEADER,
    sign,
    signature_of,
    verify_signature,
)

__all__ = [
    "SIGNATURE_HEADER",
    "ResultsReady",
    "read_results_ready",
    "sign",
    "signature_of",
    "verify_signature",
]


@dataclass(frozen=True)
class ResultsReady(Model):
    """The "Exam results ready" payload. Fields Cirrus adds later stay in ``raw``."""

    candidate_ext_id: str | None = wire()
    schedule_ext_id: str | None = wire()
    attempt_ext_id: str | None = wire()
    assessment_ext_id: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


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
