"""Cirrus's wire formats: external ids, RFC 3339 instants, e-mail addresses.

Instants are stored as naive UTC. A value with an offset (``Z`` or ``+02:00``) is an
instant; one without is read in the site's ``defaultTimeZone`` (notes 1.10: the
update-schedule sample omits the ``Z``; assumed). Answers write ``2021-04-21T07:30:00Z``,
the form of the get-schedule-info sample.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import ValidationError, validate

from exam_sandbox.core.clock import in_safe_range

# "Alphanumeric Dashes" (the docs), and the docs' own examples use '_' (Ext_a_2): both.
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9_-]+$")
ASSESSMENT_ID_LIMIT = 64
SCHEDULE_ID_LIMIT = 64
CANDIDATE_ID_LIMIT = 500
_EMAIL = validate.Email()


def is_external_id(value, limit: int) -> bool:
    return (
        isinstance(value, str) and len(value) <= limit and EXTERNAL_ID.fullmatch(value) is not None
    )


def is_email(value) -> bool:
    if not isinstance(value, str) or len(value) > 500:
        return False
    try:
        _EMAIL(value)
    except ValidationError:
        return False
    return True


# White space as the contract's patterns mean it (OpenAPI patterns are ECMA-262 regular
# expressions, whose \s is this set; Python's str.strip() takes more, e.g. \x1c-\x1f).
_WHITE_SPACE = re.compile(
    "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*"
)


def blank(value) -> bool:
    """Missing, null or only white space: what "should not be empty" refuses."""
    return value is None or (isinstance(value, str) and _WHITE_SPACE.fullmatch(value) is not None)


def parse_instant(value, time_zone: str) -> datetime | None:
    """A date and time (RFC 3339, or without an offset in ``time_zone``) as naive UTC;
    None when it is not one."""
    if not isinstance(value, str) or "T" not in value.upper():
        return None
    try:
        # RFC 3339 allows lower-case "t" and "z"; Python's parser takes upper case only.
        parsed = datetime.fromisoformat(value.strip().upper())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        try:
            parsed = parsed.replace(tzinfo=ZoneInfo(time_zone))
        except (ZoneInfoNotFoundError, ValueError):
            parsed = parsed.replace(tzinfo=UTC)
    try:
        instant = parsed.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        return None
    return instant if in_safe_range(instant) else None


def format_instant(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")
