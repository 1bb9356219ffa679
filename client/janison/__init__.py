"""Janison Insights: ``JanisonClient(base_url, subscription_key, ...)``, its models and errors.

The same template as every vendor package (and as ``exam_sandbox.providers.<vendor>``
in the sandbox): ``client`` (the client class), ``errors``, ``models``, ``resources``
(list, get and write methods), ``wire`` (leaf values, envelopes, OData literals);
Janison adds ``auth`` (where its bearer token comes from)::

    from exam_sandbox.client.janison import JanisonClient, ConflictError
"""

from exam_sandbox.client.janison.client import JanisonClient
from exam_sandbox.client.janison.errors import (
    ApiConnectionError,
    ApiTimeoutError,
    AuthenticationError,
    ConflictError,
    JanisonError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
)
from exam_sandbox.client.janison.models import (
    Candidate,
    CefrGrade,
    Centre,
    Component,
    ComponentType,
    Enrolment,
    EnrolmentComponent,
    Gender,
    Page,
    Ref,
    Result,
    ResultComponent,
    ScheduleResult,
    Test,
    TestPackage,
    User,
    WriteResult,
)
from exam_sandbox.client.janison.resources import IterQuery, Key, Keys, PageQuery
from exam_sandbox.client.janison.wire import JANISON

__all__ = [
    "JANISON",
    "ApiConnectionError",
    "ApiTimeoutError",
    "AuthenticationError",
    "Candidate",
    "CefrGrade",
    "Centre",
    "Component",
    "ComponentType",
    "ConflictError",
    "Enrolment",
    "EnrolmentComponent",
    "Gender",
    "IterQuery",
    "JanisonClient",
    "JanisonError",
    "Key",
    "Keys",
    "NotFoundError",
    "Page",
    "PageQuery",
    "PermissionDeniedError",
    "RateLimitedError",
    "Ref",
    "Result",
    "ResultComponent",
    "ScheduleResult",
    "ServerError",
    "Test",
    "TestPackage",
    "TransportError",
    "User",
    "ValidationError",
    "WriteResult",
]
