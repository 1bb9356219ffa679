"""The error kinds of the Janison client: the family :mod:`..core.errors` builds.

Catch ``JanisonError`` for anything this client raises, or a kind (``NotFoundError``,
``exam_sandbox.client.NotFoundError``, ...) for one situation. Every error carries
``status``, ``response`` and ``errors``: each ``(code, message)`` the body named, with
``.field`` when Janison says which field was at fault. Auth failures come from Azure API
Management, whose body is ``{"statusCode", "message"}``: that message is the one error.
"""

from __future__ import annotations

from exam_sandbox.client.core.errors import error_family

__all__ = [
    "ERRORS",
    "ApiConnectionError",
    "ApiTimeoutError",
    "AuthenticationError",
    "ConflictError",
    "JanisonError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ServerError",
    "TransportError",
    "ValidationError",
]

ERRORS = error_family("Janison", __name__, docs={
    "base": "Base of every error the Janison client raises (also 405, 413, 415).",
    "authentication": "401 from API Management (subscription key or bearer token), or a "
                      "refused token request.",
    "not_found": "404, or a lookup by id or reference that came back empty.",
    "validation": "400 (or a 2xx carrying errors): ``errors`` holds every "
                  "``(code, message)`` and ``.field``.",
    "conflict": "409: a duplicate user (JU-1), or a change to an already-retired record.",
})

JanisonError = ERRORS.base
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
