"""Surpass API v2: ``SurpassClient(base_url, username, password)``, its models and errors.

The same template as every vendor package (and as ``exam_sandbox.providers.<vendor>``
in the sandbox): ``client`` (the client class), ``errors``, ``models``, ``resources``
(list, get and write methods), ``wire`` (leaf values and envelopes); Surpass adds
``xml`` (its second wire format) and ``query`` (its OData literals)::

    from exam_sandbox.client.surpass import SurpassClient, NotFoundError, F
"""

from exam_sandbox.client.surpass.client import SurpassClient
from exam_sandbox.client.surpass.errors import (
    ApiConnectionError,
    ApiTimeoutError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    SurpassError,
    TransportError,
    ValidationError,
)
from exam_sandbox.client.surpass.models import (
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
from exam_sandbox.client.surpass.query import SURPASS, F
from exam_sandbox.client.surpass.resources import IterQuery, Key, PageQuery

__all__ = [
    "SURPASS",
    "ApiConnectionError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BreakReasonableAdjustments",
    "Candidate",
    "Centre",
    "CentreSubjectAssociation",
    "ConflictError",
    "Country",
    "County",
    "ExamState",
    "F",
    "IterQuery",
    "Key",
    "NotFoundError",
    "Page",
    "PageQuery",
    "PermissionDeniedError",
    "RateLimitedError",
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
    "TransportError",
    "UnlockOverride",
    "UnscheduledBreak",
    "ValidationError",
    "VoidReason",
    "WriteResult",
]
