"""The error kinds of the Surpass client: the family :mod:`..core.errors` builds.

Catch ``SurpassError`` for anything this client raises, or a kind (``NotFoundError``,
``exam_sandbox.client.NotFoundError``, ...) for one situation. Every error carries
``status``, ``response`` and ``errors``: each ``(ErrorCode, Message)`` the body named.
Surpass also answers some failures with a 200 whose ``errors`` list is filled; the
first error's code, when it is an HTTP status, picks the kind.
"""

from __future__ import annotations

from exam_sandbox.client.core.errors import error_family

__all__ = [
    "ERRORS",
    "ApiConnectionError",
    "ApiTimeoutError",
    "AuthenticationError",
    "ConflictError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ServerError",
    "SurpassError",
    "TransportError",
    "ValidationError",
]

ERRORS = error_family("Surpass", __name__, docs={
    "permission_denied": "403: missing permission or centre/subject association.",
    "not_found": "404, or a GET by id/reference that came back empty.",
    "validation": "400 (or a 200 carrying errors): ``errors`` holds every "
                  "``(ErrorCode, Message)``.",
})

SurpassError = ERRORS.base
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
