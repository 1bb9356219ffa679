"""The tenant controls of the pytest plugin (``exam_sandbox.pytest_plugin``): its request
journal and its clock, plain JSON over ``/_sandbox``, the tenant's credentials, the
typed result of Janison's ``/complete`` control, and Cirrus's controls
(:class:`CirrusControls`, mixed into the tenant; iTEP's are in ``pytest_itep``). Use them
as ``sandbox_tenant.journal``, ``sandbox_tenant.clock``, ``sandbox_tenant.complete(...)``
and ``sandbox_tenant.cirrus_complete(...)``; the sandbox package itself is never imported
here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    import requests

    from exam_sandbox.client.cirrus import CirrusClient
    from exam_sandbox.pytest_plugin import SandboxTenant

__all__ = [
    "CirrusControls",
    "CirrusSat",
    "Clock",
    "CompletedResult",
    "Completion",
    "Credentials",
    "EnrolledCandidate",
    "JanisonCredentials",
    "Journal",
    "JournalEntry",
]


@dataclass(frozen=True)
class JournalEntry:
    """One vendor request the tenant's credentials made, and the sandbox's answer."""

    seq: int
    at: str
    provider: str
    method: str
    path: str
    query: str
    status: int
    request_headers: dict[str, str]
    request_body: str
    response_body: str
    duration_ms: float

    @classmethod
    def from_admin(cls, row: dict[str, Any]) -> JournalEntry:
        return cls(
            seq=row["seq"], at=row["at"], provider=row["provider"], method=row["method"],
            path=row["path"], query=row["query"], status=row["response"]["status"],
            request_headers=row["request"]["headers"], request_body=row["request"]["body"],
            response_body=row["response"]["body"], duration_ms=row["durationMs"],
        )

    def request_json(self) -> Any:
        """The request body parsed as JSON; None when the request had no body (a GET)."""
        return _json_or_none(self.request_body)

    def response_json(self) -> Any:
        """The response body parsed as JSON; None when it had none (a 204)."""
        return _json_or_none(self.response_body)

    def __str__(self) -> str:
        query = f"?{self.query}" if self.query else ""
        return f"{self.method} {self.path}{query} -> {self.status}"


def _json_or_none(body: str) -> Any:
    import json

    return json.loads(body) if body else None


class Journal:
    """The tenant's request journal, oldest first.

    ``tenant.journal()`` lists every entry; ``tenant.journal(method="POST",
    path="TestSchedule")`` filters (``path`` is a substring, ``provider`` e.g. "surpass").
    """

    def __init__(self, tenant: SandboxTenant) -> None:
        self._tenant = tenant

    def __call__(self, *, provider: str | None = None, method: str | None = None,
                 path: str | None = None) -> list[JournalEntry]:
        query = {"provider": provider, "method": method, "path": path}
        data = self._tenant.admin(
            "GET", "/journal", params={k: v for k, v in query.items() if v}
        ).json()
        return [JournalEntry.from_admin(row) for row in data["entries"]]

    def assert_called(self, method: str, path: str, *, times: int | None = 1,
                      provider: str | None = None) -> list[JournalEntry]:
        """Assert ``method`` was sent to a path containing ``path`` ``times`` times
        (``times=None``: at least once); return those entries."""
        found = self(provider=provider, method=method, path=path)
        if (len(found) == times) if times is not None else found:
            return found
        wanted = "at least once" if times is None else f"{times} time(s)"
        seen = "\n".join(f"  {e}" for e in self(provider=provider)) or "  (nothing)"
        raise AssertionError(
            f"expected {method.upper()} *{path}* {wanted}, found {len(found)}; "
            f"the journal holds:\n{seen}"
        )

    def assert_not_called(self, method: str, path: str, *, provider: str | None = None) -> None:
        self.assert_called(method, path, times=0, provider=provider)

    def last(self, **filters: str | None) -> JournalEntry:
        """The newest entry matching ``filters`` (``AssertionError`` if none)."""
        found = self(**filters)
        if not found:
            raise AssertionError(f"no journal entry matches {filters}")
        return found[-1]

    def clear(self) -> int:
        """Forget every entry; return how many there were."""
        return self._tenant.admin("DELETE", "/journal").json()["removed"]


class Clock:
    """The tenant's clock: every time-dependent rule of the sandbox reads it."""

    def __init__(self, tenant: SandboxTenant) -> None:
        self._tenant = tenant

    def _put(self, change: dict[str, Any]) -> datetime:
        return _instant(self._tenant.admin("PUT", "/clock", json=change).json()["now"])

    def now(self) -> datetime:
        """The tenant's current time (UTC, aware)."""
        return _instant(self._tenant.admin("GET", "/clock").json()["now"])

    get = now

    @property
    def frozen(self) -> bool:
        return self._tenant.admin("GET", "/clock").json()["frozen"]

    def freeze(self, at: datetime | str | None = None) -> datetime:
        """Stop the clock at ``at`` (ISO string or datetime; naive is UTC), or where it is."""
        if at is None:
            return self._put({"frozen": True})
        if isinstance(at, datetime):
            at = at.isoformat() if at.tzinfo else at.isoformat() + "Z"
        return self._put({"now": at})

    def advance(self, delta: timedelta | float = 0, **units: float) -> datetime:
        """Move the clock on: ``advance(timedelta(hours=1))``, ``advance(hours=1)`` or seconds."""
        seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
        seconds += timedelta(**units).total_seconds()
        return self._put({"advance_seconds": seconds})

    def run(self) -> datetime:
        """Let a frozen clock run again from the instant it shows."""
        return self._put({"frozen": False})


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


@dataclass(frozen=True)
class JanisonCredentials:
    """A tenant's Janison credentials: the APIM subscription key and a bearer token that
    never expires, or the client id and secret that get one from the token endpoint."""

    subscription_key: str
    token: str
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class EnrolledCandidate:
    id: int
    reference: str


@dataclass(frozen=True)
class CompletedResult:
    """One enrolment sat by ``sandbox_tenant.complete``: the result written for it."""

    id: int
    reference: str
    candidate: EnrolledCandidate
    test_session_id: int
    final_scale_score: int | float | None
    overall_cefr_grade: str | None

    @classmethod
    def from_admin(cls, row: dict[str, Any]) -> CompletedResult:
        return cls(
            id=row["id"], reference=row["reference"],
            candidate=EnrolledCandidate(row["candidate"]["id"], row["candidate"]["reference"]),
            test_session_id=row["testSessionId"],
            final_scale_score=_number(row["finalScaleScore"]),
            overall_cefr_grade=row["overallCEFRGrade"],
        )


def _number(value: Any) -> int | float | None:
    """A score as a number (Janison writes it as text): as the client reads it too."""
    if value is None or isinstance(value, int | float):
        return value
    number = float(value)
    return int(number) if number.is_integer() else number


@dataclass(frozen=True)
class Completion:
    """What Janison's ``/complete`` control did: the schedule sat and each result written
    (read a result in full with ``janison_client.get_result(result.id)``)."""

    test_schedule: int
    results: tuple[CompletedResult, ...]

    @classmethod
    def from_admin(cls, body: dict[str, Any]) -> Completion:
        return cls(body["testSchedule"],
                   tuple(CompletedResult.from_admin(row) for row in body["results"]))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --------------------------------------------------------------------------- Cirrus


@dataclass(frozen=True)
class CirrusSat:
    """What Cirrus's ``complete`` or ``publish`` control did to a candidate's attempt
    (read it in full with ``cirrus_client.get_results(attempt_ext_id=sat.attempt_ext_id)``
    once ``published``)."""

    attempt_ext_id: str
    published: bool
    score: float
    outcome: str

    @classmethod
    def from_admin(cls, body: dict[str, Any]) -> CirrusSat:
        return cls(body["AttemptExtId"], body["published"], body["score"], body["outcome"])


class CirrusControls:
    """Cirrus on ``sandbox_tenant`` (a mixin of the plugin's ``SandboxTenant``): its EAPI
    token, a client, and the controls under ``/_sandbox/tenants/<id>/cirrus`` that stand
    in for what people do in Cirrus (publish an assessment, sit a test, publish a mark)."""

    credentials: dict[str, dict[str, str]]

    if TYPE_CHECKING:

        def admin(self, method: str, path: str = "", **kwargs: Any) -> requests.Response: ...

        def client(self, name: str, **options: Any) -> Any: ...

    @property
    def cirrus_token(self) -> str:
        """The tenant's EAPI token (sent as ``Authorization: EAPI <token>``)."""
        return self.credentials["cirrus"]["token"]

    def cirrus_client(self, token: str | None = None, **options: Any) -> CirrusClient:
        """A Cirrus client for this tenant: its EAPI token, or ``token``; ``options`` go to
        ``CirrusClient`` (``auth_style="nospace"``, ``retries=0``, ``session=`` ...)."""
        if token is not None:
            options["token"] = token
        return self.client("cirrus", **options)

    def cirrus_publish_assessment(self, external_id: str) -> None:
        """Publish an assessment (one ``POST /assessment`` made is not), so that it can be
        scheduled."""
        self.admin("POST", f"/cirrus/assessments/{_segment(external_id)}/publish")

    def cirrus_complete(self, schedule_ext_id: str, candidate_ext_id: str, *,
                        score: float | None = None, outcome: str | None = None,
                        publish: bool = True) -> CirrusSat:
        """Sit a candidate's test (again: a rescore). ``score`` 0-100 (one from the seed
        if left out), ``outcome`` "SATISFACTORY" or "UNSATISFACTORY" (from the pass mark
        if left out); ``publish=False`` holds the result until :meth:`cirrus_publish`.
        Publishing sends the results webhook when the ``webhookUrl`` setting is set. The
        tenant's clock must be inside the schedule's window."""
        body: dict[str, Any] = {"publish": publish}
        if score is not None:
            body["score"] = score
        if outcome is not None:
            body["outcome"] = outcome
        return CirrusSat.from_admin(self.admin(
            "POST", f"{_sitting(schedule_ext_id, candidate_ext_id)}/complete", json=body
        ).json())

    def cirrus_publish(self, schedule_ext_id: str, candidate_ext_id: str) -> CirrusSat:
        """Publish a held result (sends the results webhook when one is set)."""
        return CirrusSat.from_admin(self.admin(
            "POST", f"{_sitting(schedule_ext_id, candidate_ext_id)}/publish"
        ).json())


def _segment(external_id: str) -> str:
    return quote(external_id, safe="")


def _sitting(schedule_ext_id: str, candidate_ext_id: str) -> str:
    return (f"/cirrus/schedules/{_segment(schedule_ext_id)}"
            f"/candidates/{_segment(candidate_ext_id)}")

