"""Cirrus Assessment integrations client: ``CirrusClient(base_url, token, ...)``.

Works unchanged against Cirrus (``https://api.cirrusplatform.com/api/v1/integrations``,
:data:`PRODUCTION_URL`) or the sandbox
(``http://127.0.0.1:8080/cirrus/api/v1/integrations``): every path is
``<base_url>/<path as the docs print it>``. This module never imports the sandbox: it
is the independent second implementation the contract tests compare.

Every request carries ``Authorization: EAPI <token>`` (``auth_style="nospace"``:
``EAPI<token>``, as real integrations send it). Errors are the kinds of
:mod:`.errors`; GET and DELETE are retried on connection errors, 429 and 5xx, honouring
``Retry-After`` up to ``retry_after_max`` seconds; POST and PATCH never are::

    with CirrusClient(base_url, token) as cirrus:
        booked = cirrus.schedule_test(
            assessment_ext_id="MATHS-1", start=datetime(2030, 5, 1, 9, tzinfo=UTC),
            group_ext_id="CLASS-7", group_name="Class 7",
            candidates=[Candidate("C-1", "Ada", "Lovelace", "ada@example.org")])
        print(booked.launch_urls["C-1"])
        results = cirrus.get_results(candidate_ext_id="C-1",
                                     schedule_ext_id=booked.schedule_ext_id)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from typing import Any, Literal

import requests

from exam_sandbox.client.cirrus.errors import ERRORS, error_class
from exam_sandbox.client.cirrus.models import Candidate, ScheduleResult, Workflow
from exam_sandbox.client.cirrus.resources import Instant, ResourceMethods
from exam_sandbox.client.cirrus.wire import (
    coerce_enum,
    compact,
    content_of,
    decode,
    error_parser,
    failure_of,
)
from exam_sandbox.client.cirrus.wire import optional_instant as _instant
from exam_sandbox.client.core.errors import ApiError, ErrorDetail
from exam_sandbox.client.core.http import HttpClient, Timeout

__all__ = ["PRODUCTION_URL", "CandidateLike", "CirrusClient"]

log = logging.getLogger(__name__)

#: The production API (Europe); other regions and test sites have their own hosts.
PRODUCTION_URL = "https://api.cirrusplatform.com/api/v1/integrations"

#: A :class:`Candidate`, or a mapping: its snake_case fields, or the wire's own members.
CandidateLike = Candidate | Mapping[str, Any]
_CANDIDATE_FIELDS = frozenset(f.name for f in fields(Candidate))


class _CirrusHttp(HttpClient):
    """The shared transport, with Cirrus's kinds picked by message (:func:`error_class`)."""

    def make_error(
        self,
        status: int,
        details: list[ErrorDetail],
        *,
        cls: type[ApiError] | None = None,
        **kwargs: Any,
    ) -> ApiError:
        return super().make_error(
            status, details, cls=cls or error_class(status, details), **kwargs
        )


class CirrusClient(ResourceMethods):
    """Client for Cirrus's integrations API. Use as a context manager to close it.

    ``token`` is the EAPI token (Admin > External API); a value pasted with its
    ``EAPI `` scheme is accepted. ``timeout`` is seconds, or ``(connect, read)``, for
    every call (overridable per call with ``timeout=``). ``retries`` bounds the retries
    of GET and DELETE; a ``Retry-After`` longer than ``retry_after_max`` seconds is not
    waited for: the ``RateLimitedError`` is raised at once with ``retry_after`` set.
    ``session`` is used as given and never closed. ``sleep`` is injectable for tests.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        auth_style: Literal["space", "nospace"] = "space",
        timeout: Timeout = (5.0, 30.0),
        retries: int = 3,
        retry_after_max: float = 60.0,
        backoff_factor: float = 0.5,
        backoff_max: float = 30.0,
        session: requests.Session | None = None,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], Any] = time.sleep,
    ) -> None:
        if auth_style not in ("space", "nospace"):
            raise ValueError(f"auth_style must be 'space' or 'nospace', got {auth_style!r}")
        self.auth_style = auth_style
        scheme = "EAPI " if auth_style == "space" else "EAPI"
        self._http = _CirrusHttp(
            base_url,
            timeout=timeout,
            retries=retries,
            session=session,
            headers={
                "Accept": "application/json",
                **(headers or {}),
                "Authorization": scheme + _token(token),
            },
            product="cirrus-client",
            backoff_factor=backoff_factor,
            backoff_max=backoff_max,
            retry_after_max=retry_after_max,
            sleep=sleep,
            error_types=ERRORS,
            error_parser=error_parser,
        )
        self.base_url = self._http.base_url

    def __repr__(self) -> str:
        return f"CirrusClient(base_url={self.base_url!r}, auth_style={self.auth_style!r})"

    # ------------------------------------------------------------------ plumbing

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        timeout: Timeout | None = None,
    ) -> Any:
        """Send any request under the base URL; return its decoded JSON (the whole
        envelope; ``{}`` for an empty body).

        Raises the kinds of :mod:`.errors`, also for a 2xx that says it failed
        (``Success: false``, or a ``Message`` saying "already exists").
        """
        method = method.upper()
        response = self._http.request(method, path, params=params, json=body, timeout=timeout)
        try:
            data = decode(response)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ERRORS.base(
                f"{method} {response.url} -> HTTP {response.status_code}: the body is not "
                f"JSON ({exc})",
                status=response.status_code,
                response=response,
                method=method,
                url=response.url,
            ) from exc
        failure = failure_of(data)
        if failure is not None:
            raise self._http.make_error(
                response.status_code, failure, response=response, method=method, url=response.url
            )
        return data

    # ------------------------------------------------------------------ POST /schedule

    def schedule_test(
        self,
        *,
        assessment_ext_id: str,
        start: Instant,
        group_ext_id: str,
        group_name: str,
        candidates: CandidateLike | Iterable[CandidateLike],
        end: Instant | None = None,
        title: str | None = None,
        schedule_ext_id: str | None = None,
        schedule_group_ext_id: str | None = None,
        schedule_group_name: str | None = None,
        lock_exam_on_connection_loss: bool | None = None,
        workflow: Workflow | str | None = None,
        upsert: bool | None = None,
        type_json: bool = False,
        timeout: Timeout | None = None,
    ) -> ScheduleResult:
        """POST /schedule: create (``upsert=True``: or update) a published schedule with
        its candidates; every candidate gets a ``LaunchUrl`` to sit the test.

        ``start``/``end`` are aware datetimes (or RFC 3339 text with an offset), sent in
        UTC; without ``end`` Cirrus takes start + the assessment's duration + 60 min.
        Without ``schedule_ext_id`` Cirrus makes one up (``result.schedule_ext_id``).
        ``type_json=True`` posts to ``/schedule?type=json`` as some integrations do.
        The answer is read whether the site wraps it in ``Content`` or not.

        A taken ``schedule_ext_id`` raises ``DuplicateError`` (``existing_id``). Not
        retried: after a timeout the schedule may exist; send it again with
        ``upsert=True``, or catch ``DuplicateError``.
        """
        body = compact(
            {
                "Workflow": _workflow(workflow),
                "Upsert": upsert,
                "Schedule": compact(
                    {
                        "AssessmentExtId": assessment_ext_id,
                        "Title": title,
                        "ScheduleExtId": schedule_ext_id,
                        "StartDateTime": _instant(start),
                        "EndDateTime": _instant(end),
                        "GroupExtId": group_ext_id,
                        "GroupName": group_name,
                        "ScheduleGroupExtId": schedule_group_ext_id,
                        "ScheduleGroupName": schedule_group_name,
                        "LockExamOnConnectionLoss": lock_exam_on_connection_loss,
                    }
                ),
                "Candidates": candidates_body(candidates),
            }
        )
        params = {"type": "json"} if type_json else None
        envelope = self.request("POST", "schedule", params=params, body=body, timeout=timeout)
        return ScheduleResult.from_wire(content_of(envelope))

    def add_candidates(
        self,
        schedule_ext_id: str,
        *,
        group_ext_id: str,
        group_name: str,
        candidates: CandidateLike | Iterable[CandidateLike],
        timeout: Timeout | None = None,
    ) -> ScheduleResult:
        """POST /schedule/add-candidates: more candidates on an existing schedule; the
        answer's ``candidates`` carry their ``LaunchUrl`` (it has no ``schedule``). An
        unknown schedule raises ``ExternalIdNotFoundError``. Not retried."""
        if not isinstance(schedule_ext_id, str) or not schedule_ext_id.strip():
            raise ValueError("add_candidates() needs the schedule's external id")
        body = {
            "Schedule": compact(
                {
                    "ScheduleExtId": schedule_ext_id,
                    "GroupExtId": group_ext_id,
                    "GroupName": group_name,
                }
            ),
            "Candidates": candidates_body(candidates),
        }
        envelope = self.request("POST", "schedule/add-candidates", body=body, timeout=timeout)
        return ScheduleResult.from_wire(content_of(envelope))


def candidates_body(candidates: CandidateLike | Iterable[CandidateLike]) -> list[dict[str, Any]]:
    """The wire list of candidates: a :class:`Candidate`; a mapping of its snake_case
    fields; or a mapping already in wire members (``CandidateExtId``, ...), sent as is.
    One of them alone counts as a list of one."""
    if isinstance(candidates, Candidate | Mapping):
        candidates = [candidates]
    out = []
    for item in candidates:
        if isinstance(item, Candidate):
            out.append(item.to_wire())
        elif isinstance(item, Mapping) and item and set(item) <= _CANDIDATE_FIELDS:
            out.append(Candidate(**item).to_wire())
        elif isinstance(item, Mapping):
            out.append(compact(dict(item)))
        else:
            raise TypeError(f"a candidate is a Candidate or a mapping, got {item!r}")
    return out


def _workflow(value: Workflow | str | None) -> str | None:
    if value is None:
        return None
    found = coerce_enum(Workflow, value)
    return found.value if isinstance(found, Workflow) else str(value)


def _token(token: str) -> str:
    if not isinstance(token, str) or not token.strip():
        raise ValueError("token must be a non-empty string (the EAPI token)")
    value = token.strip()
    if value[:5].upper() == "EAPI ":  # the header's value pasted whole
        value = value[5:].strip()
    if not value or any(c.isspace() for c in value):
        raise ValueError("the EAPI token cannot contain whitespace")
    return value
