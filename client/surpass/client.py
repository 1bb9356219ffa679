"""Surpass API v2 client: ``SurpassClient(base_url, username, password)``.

Works unchanged against a real site (``https://x.surpass.com``) or the sandbox
(``http://127.0.0.1:8080/surpass``); every path is ``<base_url>/api/v2/<Resource>``.
The wire format is ``docs/providers/surpass-wire.md``. This module never imports the
sandbox: it is the independent second implementation the contract tests compare.

Keys: wherever a resource is identified, an ``int`` is an id, a ``str`` a reference
(a keycode for TestSession/TestSchedule), or pass a :class:`Ref` or a fetched object.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Unpack
from urllib.parse import quote

import requests

from exam_sandbox.client.core.envelopes import read_envelope
from exam_sandbox.client.core.http import HttpClient, Timeout
from exam_sandbox.client.core.paging import Paginator
from exam_sandbox.client.surpass import xml as sx
from exam_sandbox.client.surpass.errors import ERRORS, NotFoundError, SurpassError
from exam_sandbox.client.surpass.models import (
    BreakReasonableAdjustments,
    Candidate,
    ExamState,
    Page,
    ReasonableAdjustments,
    Ref,
    ScheduleResult,
    SelectedSection,
    TestSession,
    UnlockOverride,
    UnscheduledBreak,
    VoidReason,
    WriteResult,
    ref,
    to_wire,
)
from exam_sandbox.client.surpass.query import SURPASS
from exam_sandbox.client.surpass.resources import IterQuery, Key, PageQuery, ResourceMethods
from exam_sandbox.client.surpass.wire import (
    coerce_enum,
    compact,
    decode_envelope,
    error_parser,
    errors_of,
    format_date,
    format_time,
)

__all__ = ["SurpassClient"]

Json = dict[str, Any]


# --------------------------------------------------------------------------- client


class SurpassClient(ResourceMethods):
    """Client for the Surpass API v2. Use as a context manager to close the session.

    ``timeout`` is seconds (or a ``(connect, read)`` pair) for every call, overridable
    per call with ``timeout=``; ``retries`` applies to idempotent calls only (never POST);
    ``format="xml"`` speaks XML on the wire. ``sleep`` is injectable for tests.
    """

    _page_type = Page
    _dialect = SURPASS
    _loop_error = SurpassError
    _api_root = "/api/v2/"

    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        *,
        timeout: Timeout = 10,
        retries: int = 3,
        session: requests.Session | None = None,
        format: str = "json",
        sleep: Callable[[float], Any] = time.sleep,
        backoff_factor: float = 0.5,
        backoff_max: float = 30.0,
        retry_after_max: float = 120.0,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if format not in ("json", "xml"):
            raise ValueError(f"format must be 'json' or 'xml', got {format!r}")
        base = base_url.rstrip("/")
        if base.lower().endswith("/api/v2"):
            base = base[: -len("/api/v2")]
        self.base_url = base
        self.username = username
        self.format = format
        accept = "application/xml" if format == "xml" else "application/json"
        self._http = HttpClient(
            f"{base}/api/v2",
            auth=requests.auth.HTTPBasicAuth(username, password),
            timeout=timeout,
            retries=retries,
            session=session,
            headers={"Accept": accept, **(headers or {})},
            product="surpass-client",
            backoff_factor=backoff_factor,
            backoff_max=backoff_max,
            retry_after_max=retry_after_max,
            sleep=sleep,
            error_types=ERRORS,
            error_parser=error_parser,
        )

    def __repr__(self) -> str:
        return (
            f"SurpassClient(base_url={self.base_url!r}, username={self.username!r}, "
            f"format={self.format!r})"
        )

    # ------------------------------------------------------------------ plumbing

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        root: str = "request",
        namespace: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | None = None,
    ) -> Json:
        """Send any request under ``/api/v2``; return the envelope as a dict.

        Raises the error kinds of this module, including for a 2xx whose ``errors``
        list is not empty.
        """
        method = method.upper()
        send_headers = dict(headers or {})
        data = None
        if body is not None:
            if self.format == "xml":
                data = sx.encode(root, body, namespace=namespace)
                send_headers["Content-Type"] = "application/xml"
            else:
                data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
                send_headers["Content-Type"] = "application/json"
        response = self._http.request(
            method, path, params=params, data=data, headers=send_headers, timeout=timeout
        )
        return read_envelope(self._http, response, method, decode=decode_envelope,
                             errors=errors_of, vendor="Surpass", status_codes=True)

    def _locate(self, resource: str, key: Key, *, keycode: bool = False) -> tuple[str, Json]:
        if isinstance(key, Ref) or not isinstance(key, int | str):
            body = ref(key) or {}
            key = body.get("id", body.get("reference"))
            if key is None:
                raise ValueError(f"{resource} key needs an id or a reference")
        if isinstance(key, bool):
            raise TypeError("a resource key cannot be a bool")
        if isinstance(key, int):
            return f"{resource}/{key}", {}
        if not key:
            raise ValueError(f"empty {resource} reference")
        if keycode:
            return f"{resource}/{quote(key, safe='')}", {}
        return resource, {"reference": key}

    def _get(self, resource: str, model: Any, key: Key, timeout: Timeout | None,
             *, keycode: bool = False) -> Any:
        path, params = self._locate(resource, key, keycode=keycode)
        page = self._fetch_page(path, model.from_wire, params, timeout)
        if not page.items:
            raise NotFoundError(f"GET {resource} {key!r}: the response is empty", status=200)
        return page.items[0]

    def _write(self, method: str, resource: str, key: Key | None = None,
               body: Mapping[str, Any] | None = None, *, root: str = "request",
               keycode: bool = False, timeout: Timeout | None = None) -> WriteResult:
        path, params = (resource, {}) if key is None else self._locate(resource, key,
                                                                       keycode=keycode)
        envelope = self.request(method, path, params=params, body=body, root=root,
                                timeout=timeout)
        return WriteResult.from_wire(envelope)

    # ------------------------------------------------------------------ TestSchedule

    def schedule_test(
        self,
        *,
        test: Key,
        centre: Key,
        candidate: Key | Candidate | Mapping[str, Any],
        start_date: dt.date | str,
        end_date: dt.date | str | None = None,
        start_time: dt.time | str,
        end_time: dt.time | str,
        reasonable_adjustments: ReasonableAdjustments | Mapping[str, Any] | None = None,
        marked_externally: bool | None = None,
        allow_multiple_open_sessions: bool | None = None,
        requires_invigilation: bool | None = None,
        test_tags: Sequence[str] | None = None,
        test_form: Key | None = None,
        marker: Key | None = None,
        moderator: Key | None = None,
        purchase_order: str | None = None,
        break_reasonable_adjustments: BreakReasonableAdjustments | Mapping[str, Any] | None = None,
        subject: Key | None = None,
        unscheduled_break: UnscheduledBreak | Mapping[str, Any] | None = None,
        language: str | None = None,
        enforce_times: bool | None = None,
        upload_responses: bool | None = None,
        external_reference: str | None = None,
        quality_review: bool | None = None,
        unlock_override: UnlockOverride | Mapping[str, Any] | None = None,
        force_require_exam_version_date: bool | None = None,
        selected_sections: Sequence[SelectedSection | Mapping[str, Any]] | None = None,
        requires_check_in: bool | None = None,
        is_whole_script_marking_on: bool | None = None,
        auto_sync_centre_subject: bool = False,
        quick_register_candidate: bool = False,
        timeout: Timeout | None = None,
    ) -> ScheduleResult:
        """POST TestSchedule: schedule one candidate; returns keycode and PIN.

        Dates are ``date`` objects (sent ``DD/MM/YYYY``), times ``time`` objects (sent
        ``HHMM``); ``end_date`` defaults to ``start_date``. Optional fields left ``None``
        are not sent, so the site's defaults apply. With ``quick_register_candidate``
        pass a :class:`Candidate` (or a mapping) describing the candidate.
        """
        if isinstance(candidate, Candidate) and quick_register_candidate:
            candidate_body: Any = candidate.to_wire()
        else:
            candidate_body = ref(candidate)
        body = compact({
            "test": ref(test),
            "centre": ref(centre),
            "candidate": candidate_body,
            "startDate": format_date(start_date),
            "endDate": format_date(start_date if end_date is None else end_date),
            "startTime": format_time(start_time),
            "endTime": format_time(end_time),
            "reasonableAdjustments": to_wire(reasonable_adjustments),
            "markedExternally": marked_externally,
            "allowMultipleOpenSessions": allow_multiple_open_sessions,
            "requiresInvigilation": requires_invigilation,
            "testTags": None if test_tags is None else list(test_tags),
            "testForm": ref(test_form),
            "marker": ref(marker),
            "moderator": ref(moderator),
            "purchaseOrder": purchase_order,
            "breakReasonableAdjustments": to_wire(break_reasonable_adjustments),
            "subject": ref(subject),
            "unscheduledBreak": to_wire(unscheduled_break),
            "language": language,
            "enforceTimes": enforce_times,
            "uploadResponses": upload_responses,
            "externalReference": external_reference,
            "qualityReview": quality_review,
            "unlockOverride": to_wire(unlock_override),
            "forceRequireExamVersionDate": force_require_exam_version_date,
            "selectedSections": to_wire(selected_sections),
            "requiresCheckIn": requires_check_in,
            "isWholeScriptMarkingOn": is_whole_script_marking_on,
        })
        headers = {}
        if auto_sync_centre_subject:
            headers["autoSyncCentreSubject"] = "true"
        if quick_register_candidate:
            headers["quickRegisterCandidate"] = "true"
        envelope = self.request("POST", "TestSchedule", body=body, root="TestSchedule",
                                namespace=sx.TEST_SCHEDULE_NS, headers=headers, timeout=timeout)
        return ScheduleResult.from_wire(envelope)

    def delete_schedule(self, id_or_keycode: int | str | Ref, *,
                        timeout: Timeout | None = None) -> WriteResult:
        """DELETE TestSchedule/{id|keycode} (only while the session is still editable)."""
        return self._write("DELETE", "TestSchedule", id_or_keycode, keycode=True, timeout=timeout)

    # ------------------------------------------------------------------ TestSession

    def iter_test_sessions(self, **query: Unpack[IterQuery]) -> Paginator[TestSession]:
        return self._iter("TestSession", TestSession, **query)

    def test_sessions_page(self, **query: Unpack[PageQuery]) -> Page[TestSession]:
        return self._page("TestSession", TestSession, **query)

    def get_test_session(self, key: Key, *, timeout: Timeout | None = None) -> TestSession:
        """By id (``int``) or keycode (``str``)."""
        return self._get("TestSession", TestSession, key, timeout, keycode=True)

    def set_test_session_state(
        self, key: Key, *, state: ExamState | int | str,
        void_reason: VoidReason | int | str | None = None, void_message: str | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        """PUT TestSession/{id|keycode} ``{"testState", "voidReason", "voidMessage"}``.

        States and reasons are sent as their integer values; names (``"Paused"``) and
        the enums are accepted.
        """
        body = compact({
            "testState": _enum_value(ExamState, state),
            "voidReason": None if void_reason is None else _enum_value(VoidReason, void_reason),
            "voidMessage": void_message,
        })
        return self._write("PUT", "TestSession", key, body, root="testSession", keycode=True,
                           timeout=timeout)

    def pause_test_session(self, key: Key, *, timeout: Timeout | None = None) -> WriteResult:
        """InProgress -> Paused."""
        return self.set_test_session_state(key, state=ExamState.PAUSED, timeout=timeout)

    def resume_test_session(self, key: Key, *, timeout: Timeout | None = None) -> WriteResult:
        """Paused -> InProgress."""
        return self.set_test_session_state(key, state=ExamState.IN_PROGRESS, timeout=timeout)

    def void_test_session(
        self, key: Key, *, reason: VoidReason | int | str, message: str | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        """Void a session; Surpass requires ``message`` when ``reason`` is Other."""
        return self.set_test_session_state(key, state=ExamState.VOIDED, void_reason=reason,
                                           void_message=message, timeout=timeout)


# --------------------------------------------------------------------------- bodies


def _enum_value(cls: Any, value: Any) -> int:
    member = coerce_enum(cls, value)
    if isinstance(member, int):
        return int(member)
    raise ValueError(f"unknown {cls.__name__}: {value!r}")

