"""iTEP: ``ItepClient(base_url, api_key)``, its models, errors and results webhook.

The same template as every vendor package (and as ``exam_sandbox.providers.<vendor>``
in the sandbox): ``client`` (the client class, the API key), ``errors``, ``models``,
``resources`` (the two assign calls), ``wire`` (the wire format the sandbox fixes:
``docs/providers/itep-wire.md``); iTEP adds ``webhooks`` (your receiver of results)::

    from exam_sandbox.client.itep import ItepClient, Candidate, NoAvailableTestIdsError
"""

from exam_sandbox.client.itep.client import ApiKeyAuth, ItepClient
from exam_sandbox.client.itep.errors import (
    ApiConnectionError,
    ApiTimeoutError,
    AuthenticationError,
    ConflictError,
    ErrorCode,
    InvalidApiKeyError,
    ItepError,
    MissingApiKeyError,
    NoAvailableTestIdsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
    WebhookError,
    WebhookSignatureError,
)
from exam_sandbox.client.itep.models import (
    Assignment,
    Candidate,
    SectionScore,
    TestResult,
    TestStatus,
)
from exam_sandbox.client.itep.resources import AssignedTo
from exam_sandbox.client.itep.webhooks import (
    SIGNATURE_HEADER,
    data_of,
    read_results,
    results_body,
    sign,
    verify_signature,
)
from exam_sandbox.client.itep.wire import (
    ASSIGN_AND_EMAIL_PATH,
    ASSIGN_PATH,
    KEY_HEADER,
    KEY_PARAM,
    SANDBOX_URL,
)

__all__ = [
    "ASSIGN_AND_EMAIL_PATH",
    "ASSIGN_PATH",
    "KEY_HEADER",
    "KEY_PARAM",
    "SANDBOX_URL",
    "SIGNATURE_HEADER",
    "ApiConnectionError",
    "ApiKeyAuth",
    "ApiTimeoutError",
    "AssignedTo",
    "Assignment",
    "AuthenticationError",
    "Candidate",
    "ConflictError",
    "ErrorCode",
    "InvalidApiKeyError",
    "ItepClient",
    "ItepError",
    "MissingApiKeyError",
    "NoAvailableTestIdsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "SectionScore",
    "ServerError",
    "TestResult",
    "TestStatus",
    "TransportError",
    "ValidationError",
    "WebhookError",
    "WebhookSignatureError",
    "data_of",
    "read_results",
    "results_body",
    "sign",
    "verify_signature",
]
