"""The error kinds of the Janison client, each also its vendor-neutral ``client.http`` kind.

Catch ``JanisonError`` for anything this client raises, or a kind (``NotFoundError``,
``client.http.NotFoundError``, ...) for one situation. Every error carries ``status``,
``response`` and ``errors``: each ``(code, message)`` the body named, with ``.field``
when Janison says which field was at fault. Auth failures come from Azure API
Management, whose body is ``{"statusCode", "message"}``: that message is the one error.
"""

from __future__ import annotations

from exam_sandbox.client import http
from exam_sandbox.client.http import ApiError, ErrorTypes

__all__ = [
    "ERRORS",
    "AuthenticationError",
    "ConflictError",
    "ConnectionError",
    "JanisonError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ServerError",
    "TimeoutError",
    "TransportError",
    "ValidationError",
]


class JanisonError(ApiError):
    """Base of every error the Janison client raises (also 405, 413, 415)."""


class AuthenticationError(JanisonError, http.AuthenticationError):
    """401 from API Management (subscription key or bearer token), or a refused token request."""


class PermissionDeniedError(JanisonError, http.PermissionDeniedError):
    """403."""


class NotFoundError(JanisonError, http.NotFoundError):
    """404, or a lookup by id or reference that came back empty."""


class ValidationError(JanisonError, http.ValidationError):
    """400 (or a 2xx carrying errors): ``errors`` holds every ``(code, message)`` and ``.field``."""


class ConflictError(JanisonError, http.ConflictError):
    """409: a duplicate user (JU-1), or a change to an already-retired record."""


class RateLimitedError(JanisonError, http.RateLimitedError):
    """429 (after retries, for idempotent calls); ``retry_after`` when the server said."""


class ServerError(JanisonError, http.ServerError):
    """5xx (after retries, for idempotent calls)."""


class TransportError(JanisonError, http.TransportError):
    """No HTTP response."""


class ConnectionError(JanisonError, http.ConnectionError):
    """Connection refused, reset, DNS failure..."""


class TimeoutError(JanisonError, http.TimeoutError):
    """Connect or read timeout."""


ERRORS = ErrorTypes(
    base=JanisonError,
    authentication=AuthenticationError,
    permission_denied=PermissionDeniedError,
    not_found=NotFoundError,
    validation=ValidationError,
    rate_limited=RateLimitedError,
    server=ServerError,
    transport=TransportError,
    connection=ConnectionError,
    timeout=TimeoutError,
    conflict=ConflictError,
)
