"""Real clients for the vendors the sandbox emulates. Never imports the sandbox.

Laid out like the sandbox: :mod:`.core` is the vendor-neutral transport (session,
timeouts, retries, envelopes, paging, the OData builder, tolerant models, the error
kinds), and each vendor is one package with the same files (``client``, ``errors``,
``models``, ``resources``, ``wire``): :mod:`.surpass`, :mod:`.janison`, :mod:`.cirrus`,
:mod:`.itep`.

>>> from exam_sandbox.client import SurpassClient, F
>>> with SurpassClient("http://127.0.0.1:8080/surpass", "user", "pass") as surpass:
...     for c in surpass.iter_candidates(where={"lastName": "Smith"}, order_by="-id"):
...         print(c.id, c.first_name)

The clients are one family: the same verbs for the same acts (``schedule_test``,
``delete_schedule``, ``get_x``, ``iter_x``, ``x_page``). The error names here are the
vendor-neutral kinds, so ``except NotFoundError`` catches either vendor's; a vendor's
models and its own error classes are in its package (``exam_sandbox.client.janison``).
"""

from exam_sandbox.client.cirrus import CirrusClient, CirrusError
from exam_sandbox.client.core.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AuthenticationError,
    ConflictError,
    ErrorDetail,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
)
from exam_sandbox.client.core.odata import F, Filter, Raw
from exam_sandbox.client.core.paging import Paginator
from exam_sandbox.client.itep import ItepClient, ItepError
from exam_sandbox.client.janison import JanisonClient, JanisonError
from exam_sandbox.client.surpass import SurpassClient, SurpassError

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "AuthenticationError",
    "CirrusClient",
    "CirrusError",
    "ConflictError",
    "ErrorDetail",
    "F",
    "Filter",
    "ItepClient",
    "ItepError",
    "JanisonClient",
    "JanisonError",
    "NotFoundError",
    "Paginator",
    "PermissionDeniedError",
    "RateLimitedError",
    "Raw",
    "ServerError",
    "SurpassClient",
    "SurpassError",
    "TransportError",
    "ValidationError",
]
