"""Resource methods of :class:`.client.CirrusClient` other than ``POST /schedule``.

Assessments (``/assessment``), the non-published schedules of ``/external/schedule``
(which also read, change and delete a schedule made by ``POST /schedule``: one
namespace of schedule external ids) and results (``/results``). Kept apart from
``client.py`` only to keep files small; use them through ``CirrusClient``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from exam_sandbox.client.cirrus.models import (
    Assessment,
    CandidateResults,
    Purpose,
    ScheduleInfo,
    WriteResult,
)
from exam_sandbox.client.cirrus.wire import coerce_enum, compact, content_of
from exam_sandbox.client.cirrus.wire import optional_instant as _instant
from exam_sandbox.client.core.http import Timeout
from exam_sandbox.client.core.resources import ClientBase

__all__ = ["Instant", "ResourceMethods", "id_path"]

Json = dict[str, Any]
Instant = dt.datetime | str  # an aware datetime, or RFC 3339 text with its offset


def id_path(resource: str, external_id: str) -> str:
    """``resource/<external id>``, the id percent-encoded (it may hold any character)."""
    if not isinstance(external_id, str) or not external_id.strip():
        raise ValueError(f"{resource}: an external id is needed, got {external_id!r}")
    return f"{resource}/{quote(external_id, safe='')}"


class ResourceMethods(ClientBase):
    """Mixed into ``CirrusClient``, which provides ``request()``."""

    if TYPE_CHECKING:

        def request(
            self,
            method: str,
            path: str,
            *,
            params: Mapping[str, Any] | None = None,
            body: Any = None,
            timeout: Timeout | None = None,
        ) -> Any: ...

    # ------------------------------------------------------------------ assessments

    def create_assessment(
        self,
        *,
        title: str,
        purpose: Purpose | int | str,
        code: str,
        external_id: str | None = None,
        owner: str | None = None,
        max_time_per_attempt: int | None = None,
        extra_time: int | None = None,
        timeout: Timeout | None = None,
    ) -> str:
        """POST /assessment; returns the assessment's external id (Cirrus makes one up
        when ``external_id`` is not given). A new assessment is unpublished: it cannot
        be scheduled until someone publishes it. ``max_time_per_attempt`` and
        ``extra_time`` are minutes. A taken ``external_id`` raises ``DuplicateError``."""
        body = compact(
            {
                "ExternalId": external_id,
                "Title": title,
                "Purpose": _purpose(purpose),
                "Code": code,
                "Owner": owner,
                "MaxTimePerAttempt": max_time_per_attempt,
                "ExtraTime": extra_time,
            }
        )
        envelope = self.request("POST", "assessment", body=body, timeout=timeout)
        return _id_of(content_of(envelope), external_id)

    def get_assessment(self, external_id: str, *, timeout: Timeout | None = None) -> Assessment:
        """GET /assessment/{externalId}. An unknown one raises ``ExternalIdNotFoundError``."""
        envelope = self.request("GET", id_path("assessment", external_id), timeout=timeout)
        return Assessment.from_wire(content_of(envelope))

    # ------------------------------------------------------------------ /external/schedule

    def create_schedule(
        self,
        *,
        assessment_ext_id: str,
        start: Instant,
        end: Instant | None = None,
        title: str | None = None,
        schedule_ext_id: str | None = None,
        hierarchy_ext_id: str | None = None,
        pin: str | None = None,
        use_proctorio: bool | None = None,
        proctorio_template_ext_id: str | None = None,
        owner: str | None = None,
        timeout: Timeout | None = None,
    ) -> str:
        """POST /external/schedule: a schedule that is not published (``IsActivated``
        false) and has no candidates yet; returns its external id. The body's names are
        this endpoint's own (``AssessmentExternalId``, ``ScheduleExternalId``, ...)."""
        body = compact(
            {
                "AssessmentExternalId": assessment_ext_id,
                "StartDateTime": _instant(start),
                "EndDateTime": _instant(end),
                "Title": title,
                "ScheduleExternalId": schedule_ext_id,
                "HierarchyExternalId": hierarchy_ext_id,
                "PIN": pin,
                "UseProctorIo": use_proctorio,
                "ProctorioTemplateExternalId": proctorio_template_ext_id,
                "Owner": owner,
            }
        )
        envelope = self.request("POST", "external/schedule", body=body, timeout=timeout)
        return _id_of(content_of(envelope), schedule_ext_id)

    def get_schedule(self, schedule_ext_id: str, *, timeout: Timeout | None = None) -> ScheduleInfo:
        """GET /external/schedule/{externalId}: any schedule, however it was made."""
        envelope = self.request(
            "GET", id_path("external/schedule", schedule_ext_id), timeout=timeout
        )
        return ScheduleInfo.from_wire(content_of(envelope))

    def update_schedule(
        self,
        schedule_ext_id: str,
        *,
        start: Instant,
        end: Instant | None = None,
        title: str | None = None,
        new_schedule_ext_id: str | None = None,
        hierarchy_ext_id: str | None = None,
        pin: str | None = None,
        use_proctorio: bool | None = None,
        proctorio_template_ext_id: str | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        """PATCH /external/schedule/{externalId}. Cirrus requires ``start`` on every
        update; other fields are sent only when given (``new_schedule_ext_id`` as
        ``ScheduleExtId``). A ``pin`` is refused on an activated schedule. Not retried."""
        body = compact(
            {
                "StartDateTime": _instant(start),
                "EndDateTime": _instant(end),
                "Title": title,
                "ScheduleExtId": new_schedule_ext_id,
                "HierarchyExternalId": hierarchy_ext_id,
                "PIN": pin,
                "UseProctorIo": use_proctorio,
                "ProctorioTemplateExternalId": proctorio_template_ext_id,
            }
        )
        envelope = self.request(
            "PATCH", id_path("external/schedule", schedule_ext_id), body=body, timeout=timeout
        )
        return WriteResult.from_wire(envelope)

    def delete_schedule(
        self, schedule_ext_id: str, *, timeout: Timeout | None = None
    ) -> WriteResult:
        """DELETE /external/schedule/{externalId} (retried on 429/5xx: deleting twice is
        the same; a retry that finds it gone raises ``ExternalIdNotFoundError``)."""
        envelope = self.request(
            "DELETE", id_path("external/schedule", schedule_ext_id), timeout=timeout
        )
        return WriteResult.from_wire(envelope)

    # ------------------------------------------------------------------ results

    def get_results(
        self,
        *,
        candidate_ext_id: str | None = None,
        schedule_ext_id: str | None = None,
        attempt_ext_id: str | None = None,
        timeout: Timeout | None = None,
    ) -> CandidateResults:
        """GET /results: by ``attempt_ext_id``, or by ``candidate_ext_id`` (optionally
        within ``schedule_ext_id``). Only marked and published attempts are returned.

        Each call counts against the token's daily limit (3,000 at Cirrus, reset at
        13:30 UTC): past it Cirrus answers 429 and this raises ``RateLimitedError`` with
        ``retry_after`` (not waited for when longer than ``retry_after_max``).
        """
        if not candidate_ext_id and not attempt_ext_id:
            raise ValueError("get_results() needs candidate_ext_id= or attempt_ext_id=")
        params = compact(
            {
                "CandidateExtId": candidate_ext_id,
                "ScheduleExtId": schedule_ext_id,
                "AttemptExtId": attempt_ext_id,
            }
        )
        envelope = self.request("GET", "results", params=params, timeout=timeout)
        return CandidateResults.from_wire(content_of(envelope))


def _purpose(value: Purpose | int | str) -> int:
    member = coerce_enum(Purpose, value)
    if isinstance(member, Purpose):
        return member.value
    if isinstance(member, int) and not isinstance(member, bool):
        return member  # a purpose this client does not know: Cirrus decides
    raise ValueError(
        f"purpose must be a Purpose (1 summative, 2 formative, 3 mixed), got {value!r}"
    )


def _id_of(content: Any, given: str | None) -> str:
    """The id a create answered with: its ``Content`` text (or number), an object's
    ``ExternalId``-like member, else the id that was sent."""
    if isinstance(content, Mapping):
        low = {str(k).lower(): v for k, v in content.items()}
        content = next((low[k] for k in _ID_MEMBERS if low.get(k) not in (None, "")), None)
    if isinstance(content, str | int) and not isinstance(content, bool) and content != "":
        return str(content)
    return given or ""


_ID_MEMBERS = ("externalid", "scheduleexternalid", "scheduleextid", "assessmentextid")
