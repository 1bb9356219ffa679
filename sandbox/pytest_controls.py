"""The tenant controls of the pytest plugin (``sandbox.pytest_plugin``): its request
journal and its clock, plain JSON over ``/_sandbox``. Use them as ``sandbox_tenant.journal``
and ``sandbox_tenant.clock``; the sandbox package itself is never imported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exam_sandbox.pytest_plugin import SandboxTenant

__all__ = ["Clock", "Journal", "JournalEntry"]


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
        import json

        return json.loads(self.request_body)

    def response_json(self) -> Any:
        import json

        return json.loads(self.response_body)

    def __str__(self) -> str:
        query = f"?{self.query}" if self.query else ""
        return f"{self.method} {self.path}{query} -> {self.status}"


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


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
