"""Real clients for the vendors the sandbox emulates. Never imports ``sandbox``.

>>> from exam_sandbox.client import SurpassClient, F
>>> with SurpassClient("http://127.0.0.1:8080/surpass", "user", "pass") as surpass:
...     for c in surpass.iter_candidates(where={"lastName": "Smith"}, order_by="-id"):
...         print(c.id, c.first_name)

The package-level model and error names are Surpass's (they came first); Janison's,
same-named, are in :mod:`client.janison`. Both clients' errors are also the
vendor-neutral kinds of :mod:`client.http`.
"""

from exam_sandbox.client.http import ApiError, ErrorDetail
from exam_sandbox.client.janison import JanisonClient, JanisonError
from exam_sandbox.client.odata import F, Filter, Raw
from exam_sandbox.client.paging import Paginator
from exam_sandbox.client.surpass import (
    AuthenticationError,
    ConnectionError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    SurpassClient,
    SurpassError,
    TimeoutError,
    TransportError,
    ValidationError,
)
from exam_sandbox.client.surpass_models import (
    BreakReasonableAdjustments,
    Candidate,
    Centre,
    CentreSubjectAssociation,
    Country,
    County,
    ExamState,
    Page,
    ReasonableAdjustments,
    Ref,
    ScheduleResult,
    SelectedSection,
    Subject,
    Test,
    TestForm,
    TestSession,
    UnlockOverride,
    UnscheduledBreak,
    VoidReason,
    WriteResult,
)

__all__ = [
    "ApiError",
    "AuthenticationError",
    "BreakReasonableAdjustments",
    "Candidate",
    "Centre",
    "CentreSubjectAssociation",
    "ConnectionError",
    "Country",
    "County",
    "ErrorDetail",
    "ExamState",
    "F",
    "Filter",
    "JanisonClient",
    "JanisonError",
    "NotFoundError",
    "Page",
    "Paginator",
    "PermissionDeniedError",
    "RateLimitedError",
    "Raw",
    "ReasonableAdjustments",
    "Ref",
    "ScheduleResult",
    "SelectedSection",
    "ServerError",
    "Subject",
    "SurpassClient",
    "SurpassError",
    "Test",
    "TestForm",
    "TestSession",
    "TimeoutError",
    "TransportError",
    "UnlockOverride",
    "UnscheduledBreak",
    "ValidationError",
    "VoidReason",
    "WriteResult",
]
