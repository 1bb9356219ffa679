"""Per-tenant clocks: running (wall time plus an offset) or frozen at an instant.

Every time-dependent rule reads the tenant's clock through ``TenantClock.now()``; this
module is the only place the wall clock is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


def wall_now() -> datetime:
    """Naive UTC wall time; the one reading of the real clock in the sandbox."""
    return datetime.now(UTC).replace(tzinfo=None)


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant as naive UTC; naive input is taken as UTC already."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def format_instant(value: datetime) -> str:
    return value.replace(microsecond=value.microsecond).isoformat(timespec="milliseconds") + "Z"


@dataclass(frozen=True)
class TenantClock:
    """The stored state of a tenant's clock; immutable, the tenant row holds it."""

    frozen_at: datetime | None = None
    offset_seconds: float = 0.0

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def now(self) -> datetime:
        if self.frozen_at is not None:
            return self.frozen_at
        return wall_now() + timedelta(seconds=self.offset_seconds)

    def frozen_at_instant(self, instant: datetime) -> TenantClock:
        return TenantClock(frozen_at=instant, offset_seconds=0.0)

    def advanced(self, seconds: float) -> TenantClock:
        if self.frozen_at is not None:
            return TenantClock(self.frozen_at + timedelta(seconds=seconds), 0.0)
        return TenantClock(None, self.offset_seconds + seconds)

    def running(self) -> TenantClock:
        """Let a frozen clock run on from the instant it shows."""
        if self.frozen_at is None:
            return self
        return TenantClock(None, (self.frozen_at - wall_now()).total_seconds())

    def frozen_now(self) -> TenantClock:
        return TenantClock(self.now(), 0.0)
