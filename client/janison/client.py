"""Janison Insights event-scheduling client: ``JanisonClient(base_url, subscription_key, ...)``.

Works unchanged against a real site or the sandbox (``http://127.0.0.1:8080/janison/api``:
the base URL includes ``/api``); every path is ``<base_url>/<resource>``, lowercase
singular as the seed writes them. The wire format is ``docs/providers/janison-wire.md``.
This module never imports the sandbox: it is the independent second implementation the
contract tests compare.

Every request carries ``Ocp-Apim-Subscription-Key`` and ``Authorization: Bearer``; the
token is fixed, comes from your callable, or from the OAuth2 client-credentials grant
(:mod:`.auth`). Keys: an ``int`` is an id, a ``str`` a reference, or pass
a :class:`Ref` or a fetched object. Errors are the kinds of :mod:`.errors`::

    with JanisonClient("http://127.0.0.1:8080/janison/api", subscription_key,
                       client_id="app", client_secret=secret,
                       token_url="http://127.0.0.1:8080/janison/oauth2/token") as janison:
        booked = janison.schedule_test(test_package="TP-1", centre="C1",
                                       candidates=["CAND1", "CAND2"], date=date(2026, 5, 1))
        print(booked.enrolment_for("CAND1").keycodes)
        for result in janison.iter_results(where={"completed": True}, order_by="-id"):
            print(result.candidate.reference, result.overall_cefr_grade)
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import requests

from exam_sandbox.client.core.envelopes import read_envelope
from exam_sandbox.client.core.http import HttpClient, Timeout
from exam_sandbox.client.janison.auth import (
    ClientCredentials,
    ProvidedToken,
    StaticToken,
    TokenSource,
)
from exam_sandbox.client.janison.errors import (
    ERRORS,
    AuthenticationError,
    JanisonError,
    NotFoundError,
)
from exam_sandbox.client.janison.models import (
    EnrolmentComponent,
    Ref,
    ScheduleResult,
    WriteResult,
    ref,
    refs,
)
from exam_sandbox.client.janison.resources import Key, Keys, ResourceMethods
from exam_sandbox.client.janison.wire import (
    JANISON,
    compact,
    decode_json,
    envelope_errors,
    error_parser,
    format_date,
)

__all__ = ["JanisonClient"]

log = logging.getLogger(__name__)
Json = dict[str, Any]


class JanisonClient(ResourceMethods):
    """Client for Janison's event-scheduling API. Use as a context manager to close it.

    Give exactly one token source: ``token``; ``token_provider`` (a callable, e.g. for
    Azure AD through MSAL); or ``client_id``, ``client_secret`` and ``token_url`` (plus
    ``scope`` if the issuer needs one) for the client-credentials grant. ``timeout`` is
    seconds (or a ``(connect, read)`` pair) for every call, overridable per call with
    ``timeout=``; ``retries`` applies to idempotent calls only (never POST). ``sleep``
    and ``clock`` are injectable for tests.
    """

    _dialect = JANISON
    _loop_error = JanisonError
    _api_root = "/api/"

    def __init__(
        self,
        base_url: str,
        subscription_key: str,
        *,
        token: str | None = None,
        token_provider: Callable[[], Any] | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_url: str | None = None,
        scope: str | None = None,
        timeout: Timeout = 10,
        retries: int = 3,
        session: requests.Session | None = None,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], Any] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        backoff_factor: float = 0.5,
        backoff_max: float = 30.0,
        retry_after_max: float = 120.0,
    ) -> None:
        if not isinstance(subscription_key, str) or not subscription_key.strip():
            raise ValueError("subscription_key must be a non-empty string")
        sources = [token is not None, token_provider is not None,
                   any(v is not None for v in (client_id, client_secret, token_url))]
        if sum(sources) != 1:
            raise ValueError("give exactly one token source: token=, token_provider=, or "
                             "client_id= with client_secret= and token_url=")
        if sources[2] and None in (client_id, client_secret, token_url):
            raise ValueError("the client-credentials grant needs client_id, client_secret "
                             "and token_url")
        self._http = HttpClient(
            base_url,
            timeout=timeout,
            retries=retries,
            session=session,
            headers={"Accept": "application/json", **(headers or {})},
            product="janison-client",
            backoff_factor=backoff_factor,
            backoff_max=backoff_max,
            retry_after_max=retry_after_max,
            sleep=sleep,
            error_types=ERRORS,
            error_parser=error_parser,
        )
        self.base_url = self._http.base_url
        self._subscription_key = subscription_key.strip()
        self._auth: TokenSource
        if token is not None:
            self._auth = StaticToken(token)
        elif token_provider is not None:
            self._auth = ProvidedToken(token_provider)
        else:
            self._auth = ClientCredentials(self._http, token_url or "", client_id or "",
                                           client_secret or "", scope, clock=clock)

    def __repr__(self) -> str:
        return f"JanisonClient(base_url={self.base_url!r}, auth={self._auth.kind!r})"

    # ------------------------------------------------------------------ plumbing

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        timeout: Timeout | None = None,
    ) -> Json:
        """Send any request under the base URL; return the JSON envelope as a dict.

        A 401 answered to a token that can be renewed (fetched, or from a provider) is
        retried once with a new token, whatever the verb: API Management refused it
        before Janison saw it. Raises the error kinds of this module, including for a
        2xx whose ``errors`` list is not empty.
        """
        method = method.upper()
        token = self._auth.token(timeout)
        try:
            response = self._send(method, path, params, body, token, timeout)
        except AuthenticationError:
            if not self._auth.renew(token):
                raise
            fresh = self._auth.token(timeout)
            if fresh == token:
                raise
            log.info("%s %s: 401 with a renewable token; retrying once with a new one",
                     method, path)
            response = self._send(method, path, params, body, fresh, timeout)
        return read_envelope(self._http, response, method, decode=decode_json,
                             errors=envelope_errors, vendor="Janison")

    def _send(self, method: str, path: str, params: Mapping[str, Any] | None, body: Any,
              token: str, timeout: Timeout | None) -> requests.Response:
        headers = {"Ocp-Apim-Subscription-Key": self._subscription_key,
                   "Authorization": f"Bearer {token}"}
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        return self._http.request(method, path, params=params, data=data, headers=headers,
                                  timeout=timeout)

    def _get(self, resource: str, model: Any, key: Key, timeout: Timeout | None) -> Any:
        """By id: ``GET resource/{id}``; by reference: the list filtered on ``reference``."""
        wanted = _key(key)
        if "id" in wanted:
            page = self._fetch_page(f"{resource}/{wanted['id']}", model.from_wire, None, timeout)
        else:
            params = self._list_params(where={"reference": wanted["reference"]}, top=1)
            page = self._fetch_page(resource, model.from_wire, params, timeout)
        if not page.items:
            raise NotFoundError(f"GET {resource} {key!r}: no such {resource}", status=200)
        return page.items[0]

    def _id_of(self, resource: str, key: Key, timeout: Timeout | None) -> int:
        wanted = _key(key)
        if "id" in wanted:
            return wanted["id"]
        found = self._get(resource, Ref, key, timeout)
        if not isinstance(found.id, int):
            raise JanisonError(f"{resource} {key!r} came back without an integer id")
        return found.id

    def _write(self, method: str, resource: str, key: Key | None = None,
               body: Mapping[str, Any] | None = None, *,
               timeout: Timeout | None = None) -> WriteResult:
        path = resource if key is None else f"{resource}/{self._id_of(resource, key, timeout)}"
        return WriteResult.from_wire(self.request(method, path, body=body, timeout=timeout))

    # ------------------------------------------------------------------ testschedule

    def schedule_test(
        self,
        *,
        test_package: Key,
        centre: Key,
        candidates: Keys,
        date: dt.date | str,
        extend_validity_period: bool | None = None,
        room_reference: str | None = None,
        timeout: Timeout | None = None,
    ) -> ScheduleResult:
        """POST testschedule: enrol ``candidates`` (one key or several) on a test package.

        ``date`` is sent as ``testPackageDate`` ``YYYY-MM-DD``. The answer has one
        :class:`Enrolment` per candidate, in request order, with each component's
        version and keycode. Not retried (POST).
        """
        candidate_refs = refs(candidates)
        if not candidate_refs:
            raise ValueError("schedule_test() needs at least one candidate")
        body = compact({
            "testPackage": ref(test_package),
            "centre": ref(centre),
            "candidates": candidate_refs,
            "testPackageDate": format_date(date),
            "extendValidityPeriod": extend_validity_period,
            "roomReference": room_reference,
        })
        envelope = self.request("POST", "testschedule", body=body, timeout=timeout)
        return ScheduleResult.from_wire(envelope)

    def delete_schedule(self, schedule: int | Ref | ScheduleResult, *,
                        timeout: Timeout | None = None) -> WriteResult:
        """DELETE testschedule/{id}: Janison retires the planned schedule (by id: there is no
        GET of a schedule)."""
        return self._write("DELETE", "testschedule", _schedule_id(schedule), timeout=timeout)

    def reschedule_components(
        self,
        schedule: int | Ref | ScheduleResult,
        *,
        components: Keys | EnrolmentComponent,
        candidate: Key | None = None,
        timeout: Timeout | None = None,
    ) -> ScheduleResult:
        """POST testschedulecomponent: allocate new versions (and keycodes) for a resit.

        ``components`` are component keys (or :class:`EnrolmentComponent`\\ s); without
        ``candidate`` every enrolment of the schedule is touched. The body names the
        schedule ``testScehdule``, as the seed spells it. Not retried (POST).
        """
        single = isinstance(components, str | Mapping) or not isinstance(components, Iterable)
        items = [components] if single else list(components)
        component_refs = [ref(c.component if isinstance(c, EnrolmentComponent) else c)
                          for c in items]
        if not component_refs or None in component_refs:
            raise ValueError("reschedule_components() needs at least one component")
        body = compact({
            "testScehdule": {"id": _schedule_id(schedule)},
            "components": component_refs,
            "candidate": ref(candidate),
        })
        envelope = self.request("POST", "testschedulecomponent", body=body, timeout=timeout)
        return ScheduleResult.from_wire(envelope)


def _key(key: Key) -> dict[str, Any]:
    """``{"id": int}`` or ``{"reference": str}`` for a key given any way."""
    wanted = ref(key)
    if not wanted:
        raise ValueError("a resource key is needed")
    if wanted.get("id") is not None:
        if isinstance(wanted["id"], bool) or not isinstance(wanted["id"], int):
            raise TypeError(f"an id must be an int, got {wanted['id']!r}")
        return {"id": wanted["id"]}
    if isinstance(wanted.get("reference"), str) and wanted["reference"]:
        return {"reference": wanted["reference"]}
    raise ValueError(f"a key needs an id or a reference, got {key!r}")


def _schedule_id(schedule: Any) -> int:
    value = schedule if isinstance(schedule, int) else getattr(schedule, "id", None)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"a test schedule is addressed by its integer id, got {schedule!r}")
    return value
