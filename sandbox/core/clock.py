"""Per-tenant clocks: running (wall time plus an offset) or frozen at an instant.

Every time-dependent rule reads the tenant's clock through ``TenantClock.now()``; this
module is the only place the wall clock is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .errors import ErrorDetail, ValidationFailed

# The instants a tenant clock may show. Vendors add to "now" (token lifetimes of a day,
# schedule windows and buffers of days, validity periods of years); a clock near the end
# of Python's calendar (9999-12-31) overflowed that arithmetic and answered 500. Ten
# centuries of headroom on either side keep every such sum inside the calendar, with
# room for a running clock to keep running; 1900 is earlier than any exam a test needs.
MIN_INSTANT = datetime(1900, 1, 1)
MAX_INSTANT = datetime(9000, 12, 31, 23, 59, 59, 999000)
# The most one change may move a clock (about 31 years): far inside what ``timedelta``
# can hold (about 2.7 million years), so the arithmetic of a move cannot overflow either.
MAX_ADVANCE_SECONDS = 10**9


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


def safe_range_text() -> str:
    return f"between {format_instant(MIN_INSTANT)} and {format_instant(MAX_INSTANT)}"


def in_safe_range(instant: datetime) -> bool:
    return MIN_INSTANT <= instant <= MAX_INSTANT


def _out_of_range() -> ValidationFailed:
    return ValidationFailed(ErrorDetail(400, f"The clock must stay {safe_range_text()}."))


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

    # Setting and advancing move the clock, so their result must lie in the safe range;
    # freezing and unfreezing keep the instant shown (a running clock may drift past the
    # end of the range by the wall time since: the headroom is there for that).

    def frozen_at_instant(self, instant: datetime) -> TenantClock:
        return TenantClock(frozen_at=_checked(instant), offset_seconds=0.0)

    def advanced(self, seconds: float) -> TenantClock:
        try:
            if self.frozen_at is not None:
                return TenantClock(_checked(self.frozen_at + timedelta(seconds=seconds)), 0.0)
            moved = TenantClock(None, self.offset_seconds + seconds)
            _checked(moved.now())
            return moved
        except OverflowError as exc:  # only from a clock stored before the range existed
            raise _out_of_range() from exc

    def running(self) -> TenantClock:
        """Let a frozen clock run on from the instant it shows."""
        if self.frozen_at is None:
            return self
        _checked(self.frozen_at)  # a clock stored before the range existed stays frozen
        return TenantClock(None, (self.frozen_at - wall_now()).total_seconds())

    def frozen_now(self) -> TenantClock:
        try:
            return TenantClock(self.now(), 0.0)
        except OverflowError as exc:
            raise _out_of_range() from exc


def _checked(instant: datetime) -> datetime:
    """``instant`` if it lies in the safe range; else a 400 for the caller."""
    if not in_safe_range(instant):
        raise _out_of_range()
    return instant
