"""Leaf values and envelopes of the Surpass wire format, both directions.

Parsing (``parse_*``) is tolerant: XML gives every leaf as a string and a real site may
differ from the sandbox, so a value that cannot be coerced is returned as it came rather
than failing the whole call. Formatting (``format_*``) follows the wire doc exactly.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from typing import Any

import requests

from exam_sandbox.client.core.envelopes import error_parser_for
from exam_sandbox.client.core.errors import ErrorDetail
from exam_sandbox.client.core.wire import (
    as_list,
    camel,
    compact,
    decode_json,
    envelope_errors,
    parse_any,
    parse_bool,
    parse_int,
    parse_iso_date,
    parse_str,
    parse_str_list,
)
from exam_sandbox.client.surpass import xml as surpass_xml

__all__ = [
    "as_list",
    "camel",
    "coerce_enum",
    "compact",
    "decode_envelope",
    "error_parser",
    "errors_of",
    "format_date",
    "format_time",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_any",
    "parse_int",
    "parse_str",
    "parse_str_list",
    "parse_time",
    "wire_datetime",
]


# --------------------------------------------------------------------------- parsing


def coerce_enum(cls: type[enum.IntEnum], value: Any) -> Any:
    """An int or a name (``"Paused"``, ``"PAUSED"``, ``"in_progress"``) -> ``cls`` member.

    Unknown ints and names are returned unchanged (a real site may know more states).
    """
    if value is None or value == "":
        return None
    if isinstance(value, cls):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return cls(value)
        except ValueError:
            return value
    if isinstance(value, str):
        key = re.sub(r"[^a-z0-9]", "", value.lower())
        for member in cls:
            if member.name.replace("_", "").lower() == key:
                return member
    return value


def parse_datetime(v: Any) -> Any:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v
    if isinstance(v, str):
        try:
            return dt.datetime.fromisoformat(v.strip())
        except ValueError:
            pass
    return v


def parse_date(v: Any) -> Any:
    """ISO date or datetime (``YYYY-MM-DD[T...]``) or ``DD/MM/YYYY``."""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", v.strip()) if isinstance(v, str) else None
    if m is None:
        return parse_iso_date(v)
    try:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return v


def parse_time(v: Any) -> Any:
    """``HHMM`` (also ``HH:MM[:SS]``) -> ``datetime.time``."""
    if v is None or v == "":
        return None
    if isinstance(v, dt.time):
        return v
    s = str(v).strip()
    try:
        if re.fullmatch(r"\d{4}", s):
            return dt.time(int(s[:2]), int(s[2:]))
        return dt.time.fromisoformat(s)
    except ValueError:
        return v


# --------------------------------------------------------------------------- formatting


def format_date(value: dt.date | str) -> str:
    """``DD/MM/YYYY`` for TestSchedule ``startDate``/``endDate`` (strings pass through)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.strftime("%d/%m/%Y")
    raise TypeError(f"expected a date or a 'DD/MM/YYYY' string, got {value!r}")


def format_time(value: dt.time | dt.datetime | str) -> str:
    """``HHMM`` for TestSchedule times (``"09:00"`` -> ``"0900"``; other strings pass through)."""
    if isinstance(value, str):
        return value.replace(":", "") if len(value) == 5 and value[2] == ":" else value
    if isinstance(value, dt.time | dt.datetime):
        return value.strftime("%H%M")
    raise TypeError(f"expected a time or an 'HHMM' string, got {value!r}")


def wire_datetime(value: dt.date | str | None) -> str | None:
    """A date in a Candidate body: ``YYYY-MM-DDT00:00:00`` (strings pass through)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00"
    raise TypeError(f"expected a date, got {value!r}")


# --------------------------------------------------------------------------- envelopes


def decode_envelope(response: requests.Response) -> dict[str, Any]:
    """The JSON or XML envelope of ``response`` as a dict (``{}`` for an empty body).

    Raises ``ValueError`` when the body is neither.
    """
    body = response.content or b""
    if not body.strip():
        return {}
    ctype = response.headers.get("Content-Type", "").lower()
    if "xml" in ctype or ("json" not in ctype and body.lstrip()[:1] == b"<"):
        return surpass_xml.decode(body)
    return decode_json(body)


def errors_of(envelope: Mapping[str, Any]) -> list[ErrorDetail]:
    """Every ``{"ErrorCode", "Message"}`` of the envelope's ``errors`` list."""
    return envelope_errors(envelope, code_keys=("errorcode", "code"), with_field=False)


#: For the transport: the errors of an error response, ``[]`` if it has none we can read.
error_parser = error_parser_for(decode_envelope, errors_of)
