"""The error kinds of the iTEP client: the family :mod:`..core.errors` builds, plus the
kinds iTEP says by code.

Catch ``ItepError`` for anything this client raises, or a kind (``ValidationError``,
``exam_sandbox.client.ConflictError``, ...) for one situation. Every iTEP 4xx body is
``{"error": "<code>", "message": "<text>"}``; every error carries ``status``,
``response``, ``errors`` (that one ``(code, message)``) and ``code``: the body's
``error``, an :class:`ErrorCode` when it is one this client knows, else the text.

The code decides where the status does not:

* 401 ``missing_api_key`` -> :class:`MissingApiKeyError`, 401 ``invalid_api_key`` ->
  :class:`InvalidApiKeyError` (both ``AuthenticationError``);
* 409 ``no_available_test_ids`` -> :class:`NoAvailableTestIdsError` (a ``ConflictError``);
* any 400 -> ``ValidationError``, read ``code`` for which rule refused it.

None of these codes is confirmed by iTEP (``docs/providers/itep-wire.md``): they are
the sandbox's, and a real site may send others, which keep their status's kind.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from exam_sandbox.client.core.errors import ApiError, ErrorDetail, ErrorTypes, error_family

__all__ = [
    "ERRORS",
    "ApiConnectionError",
    "ApiTimeoutError",
    "AuthenticationError",
    "ConflictError",
    "ErrorCode",
    "InvalidApiKeyError",
    "ItepError",
    "MissingApiKeyError",
    "NoAvailableTestIdsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ServerError",
    "TransportError",
    "ValidationError",
    "WebhookError",
    "WebhookSignatureError",
    "error_class",
]


class ErrorCode(enum.StrEnum):
    """The ``error`` codes of the wire format the sandbox fixes (all assumed)."""

    MISSING_API_KEY = "missing_api_key"
    INVALID_API_KEY = "invalid_api_key"
    INVALID_REQUEST = "invalid_request"
    ASSIGNED_TO_MUST_BE_JSON = "assigned_to_must_be_json"
    ASSIGNED_TO_INCOMPLETE = "assigned_to_incomplete"
    CANDIDATE_EMAIL_REQUIRED = "candidate_email_required"
    INVALID_OID = "invalid_oid"
    INVALID_TRACKING_CODE = "invalid_tracking_code"
    UNKNOWN_TRACKING_CODE = "unknown_tracking_code"
    NO_AVAILABLE_TEST_IDS = "no_available_test_ids"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    INTERNAL_ERROR = "internal_error"


ERRORS = error_family(
    "Itep",
    __name__,
    docs={
        "base": "Base of every error the iTEP client raises (also 405, 413, 415, a body "
        "that is not JSON); ``code`` is the body's ``error``.",
        "authentication": "401: no API key, or one iTEP does not know (see "
        "MissingApiKeyError and InvalidApiKeyError).",
        "not_found": "404: no such path (check the base URL and the route names).",
        "validation": "400: the body was refused; ``code`` names the rule "
        "(``assigned_to_must_be_json``, ``candidate_email_required``, ...).",
        "conflict": "409: see NoAvailableTestIdsError.",
        "server": "5xx. An assign call is never retried: the test ID may have been taken.",
    },
)

ItepError = ERRORS.base
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


def _code(self: ApiError) -> ErrorCode | str | None:
    """The body's ``error`` code: an :class:`ErrorCode` if known, else the text as sent;
    ``None`` when the answer named none (a transport failure, a proxy's page)."""
    for detail in self.errors:
        if detail.code not in (None, ""):
            return code_of(detail.code)
    return None


# error_family makes the classes; every one of them (and each subclass below) has ``code``.
ItepError.code = property(_code)  # type: ignore[attr-defined]


class MissingApiKeyError(AuthenticationError):  # type: ignore[misc,valid-type]
    """401 ``missing_api_key``: the request carried no API key where the site looks for
    one (``key_in=`` and ``key_name=`` choose the header or query parameter)."""


class InvalidApiKeyError(AuthenticationError):  # type: ignore[misc,valid-type]
    """401 ``invalid_api_key``: a key the site does not know, or one revoked."""


class NoAvailableTestIdsError(ConflictError):  # type: ignore[misc,valid-type]
    """409 ``no_available_test_ids``: no test ID of the key's product code is Ready with
    an empty Assigned-to, and the product allows no sale at fulfillment. Buy more (or,
    in the sandbox, add inventory); nothing was assigned and no e-mail sent."""


class WebhookError(ItepError, ValueError):  # type: ignore[misc,valid-type]
    """A results webhook delivery that cannot be read: not a form body with exactly one
    field ``data`` holding a JSON object, or a ``TestDate`` that disagrees with
    ``TestMonth``/``TestDay``/``TestYear``. Answer it 400."""


class WebhookSignatureError(WebhookError):
    """A delivery whose ``X-Sandbox-Signature`` is missing or does not match the body.
    Answer it 401 and do not act on it."""


_BY_CODE: dict[str, type[ApiError]] = {
    ErrorCode.MISSING_API_KEY: MissingApiKeyError,
    ErrorCode.INVALID_API_KEY: InvalidApiKeyError,
    ErrorCode.NO_AVAILABLE_TEST_IDS: NoAvailableTestIdsError,
}


def code_of(value: object) -> ErrorCode | str:
    """``"invalid_api_key"`` -> ``ErrorCode.INVALID_API_KEY``; an unknown code as text."""
    text = str(value).strip()
    try:
        return ErrorCode(text.lower())
    except ValueError:
        return text


def error_class(
    status: int, details: Iterable[ErrorDetail], kinds: ErrorTypes = ERRORS
) -> type[ApiError]:
    """The class for an error answer: by its code when the code has a class of its own
    (whatever the status), else by the status (:meth:`ErrorTypes.for_status`)."""
    for detail in details:
        if detail.code not in (None, ""):
            found = _BY_CODE.get(code_of(detail.code))
            if found is not None:
                return found
    return kinds.for_status(status)
