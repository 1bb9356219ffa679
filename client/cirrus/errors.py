"""The error kinds of the Cirrus client: the family :mod:`..core.errors` builds, plus the
kinds Cirrus only says in words.

Catch ``CirrusError`` for anything this client raises, or a kind (``NotFoundError``,
``exam_sandbox.client.NotFoundError``, ...) for one situation. Every error carries
``status``, ``response``, ``retry_after`` and ``errors``: every message the body named,
whichever of Cirrus's two error bodies it came in (``{"Message": "Bad request | ..."}``
or ``{"Content": null, "Success": false, "Errors": [...]}``).

Cirrus answers most refusals with a 400 and says what happened only in the message, so
the client reads the message (:func:`error_class`):

* ``"... already exists"`` / ``"... is already in use"`` (on a 400, or a 200 as real
  integrations have seen) -> :class:`DuplicateError`, with the existing id;
* ``"... hasn't been found by external id"`` -> :class:`ExternalIdNotFoundError`;
* 403 "Not allowed to use external API" -> :class:`NotAllowedError`.

Each of these is also :class:`ValidationError` (or, for the 403, both auth kinds), so
code that catches the status's kind keeps catching it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from exam_sandbox.client.core.errors import ApiError, ErrorDetail, ErrorTypes, error_family

__all__ = [
    "ERRORS",
    "ApiConnectionError",
    "ApiTimeoutError",
    "AuthenticationError",
    "CirrusError",
    "ConflictError",
    "DuplicateError",
    "ExternalIdNotFoundError",
    "NotAllowedError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ServerError",
    "TransportError",
    "ValidationError",
    "WebhookError",
    "WebhookSignatureError",
    "error_class",
    "existing_id",
    "is_duplicate",
]

ERRORS = error_family(
    "Cirrus",
    __name__,
    docs={
        "base": "Base of every error the Cirrus client raises (also 405, 413, a body that "
        "is not JSON).",
        "authentication": "The credentials were refused (see NotAllowedError: Cirrus's 403).",
        "permission_denied": "403: see NotAllowedError, which every Cirrus 403 is.",
        "not_found": "404, or a 400 saying an external id was not found.",
        "validation": "400 (or a 2xx with ``Success: false``): ``errors`` holds every message.",
        "conflict": "A duplicate external id (see DuplicateError).",
        "rate_limited": "429: ``retry_after`` is the seconds until Cirrus counts again "
        "(GET /results: the daily limit, reset at 13:30 UTC).",
    },
)

CirrusError = ERRORS.base
AuthenticationError = ERRORS.authentication
PermissionDeniedError = ERRORS.permission_denied
NotFoundError = ERRORS.not_found
ValidationError = ERRORS.validation
ConflictError = ERRORS.conflict
RateLimitedError = ERRORS.rate_limited
ServerError = ERRORS.server
TransportError = ERRORS.transport
ApiConnectionError = ERRORS.connection
ApiTimeoutError = ERRORS.timeout


class NotAllowedError(AuthenticationError, PermissionDeniedError):  # type: ignore[misc,valid-type]
    """403 "Not allowed to use external API".

    Cirrus gives this one answer to a missing header, another scheme, an unknown token
    and a token without External API rights, and documents no 401; so it is both
    ``AuthenticationError`` and ``PermissionDeniedError``.
    """


class DuplicateError(ConflictError, ValidationError):  # type: ignore[misc,valid-type]
    """An external id that is already taken: a 400 (or a 200) whose message says
    "already exists" (schedules) or "is already in use" (assessments).

    ``existing_id`` is the id Cirrus named: between ``[`` and ``]`` in the message's
    last ``|``-separated segment, as real integrations read it (``None`` if absent).
    Also a ``ValidationError``: Cirrus sends it as a 400.
    """

    existing_id: str | None

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.existing_id = next(
            (found for m in self.messages if (found := existing_id(m)) is not None), None
        )


class ExternalIdNotFoundError(NotFoundError, ValidationError):  # type: ignore[misc,valid-type]
    """A 400 saying "... hasn't been found by external id" (an unknown schedule or
    assessment). Also a ``ValidationError``: Cirrus sends it as a 400."""


class WebhookError(CirrusError, ValueError):  # type: ignore[misc,valid-type]
    """A webhook delivery that cannot be read (not a JSON object). Answer it 400."""


class WebhookSignatureError(WebhookError):
    """A webhook delivery whose ``X-Sandbox-Signature`` is missing or does not match the
    body. Answer it 401 and do not act on it."""


_DUPLICATE = re.compile(r"already\s+(exists|in\s+use)", re.IGNORECASE)
_NOT_FOUND = re.compile(r"(hasn't|has\s+not|wasn't|was\s+not)\s+been\s+found", re.IGNORECASE)
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")


def is_duplicate(message: str) -> bool:
    return bool(_DUPLICATE.search(message))


def existing_id(message: str) -> str | None:
    """The id a duplicate message names: ``[...]`` in its last ``|``-separated segment.

    ``"Bad request | Schedule with external id [abc] already exists"`` -> ``"abc"``.
    """
    last = message.rsplit("|", 1)[-1]
    found = _BRACKETED.search(last)
    return found.group(1).strip() if found else None


def error_class(
    status: int, details: Iterable[ErrorDetail], kinds: ErrorTypes = ERRORS
) -> type[ApiError]:
    """The class for an answer with ``status`` naming ``details`` (a 2xx: failed anyway).

    The message decides where the status does not: a duplicate on a 400 or a 2xx, an
    unknown external id on a 400 (or a 404); a 403 is :class:`NotAllowedError`.
    """
    messages = [d.message for d in details]
    if status == 403:
        return NotAllowedError
    duplicate_status = status < 300 or status in (400, 409, 422)
    if duplicate_status and any(is_duplicate(m) for m in messages):
        return DuplicateError
    if status in (400, 404) and any(_NOT_FOUND.search(m) for m in messages):
        return ExternalIdNotFoundError
    if status < 300:
        return kinds.validation
    return kinds.for_status(status)
