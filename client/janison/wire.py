"""Leaf values, envelopes and error bodies of the Janison wire format, both directions.

The format is ``docs/providers/janison-wire.md``. Parsing (``parse_*``) is tolerant: a
real site may differ from the sandbox, so a value that cannot be coerced is returned as
it came rather than failing the whole call. Formatting follows the wire doc exactly:
dates ``YYYY-MM-DD``, instants ISO 8601 UTC with ``Z`` (all Janison times are UTC).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from typing import Any, TypeVar

import requests

from exam_sandbox.client.core.envelopes import error_parser_for
from exam_sandbox.client.core.errors import ErrorDetail
from exam_sandbox.client.core.odata import Dialect
from exam_sandbox.client.core.wire import (
    as_list,
    camel,
    compact,
    parse_bool,
    parse_int,
    parse_iso_date,
    parse_number,
    parse_str,
)
from exam_sandbox.client.core.wire import decode_json as _decode_body
from exam_sandbox.client.core.wire import envelope_errors as _envelope_errors

__all__ = [
    "JANISON",
    "as_list",
    "camel",
    "coerce_enum",
    "compact",
    "decode_json",
    "envelope_errors",
    "error_parser",
    "errors_of",
    "format_date",
    "format_instant",
    "parse_bool",
    "parse_date",
    "parse_instant",
    "parse_int",
    "parse_number",
    "parse_str",
]

E = TypeVar("E", bound=enum.Enum)


# --------------------------------------------------------------------------- parsing


def parse_date(v: Any) -> Any:
    """``YYYY-MM-DD`` (a datetime string is cut to its date) -> ``datetime.date``."""
    return parse_iso_date(v)


def parse_instant(v: Any) -> Any:
    """ISO 8601 -> an aware ``datetime`` in UTC. No offset means UTC (JAN-API)."""
    if v is None or v == "":
        return None
    when = v
    if isinstance(v, str):
        try:
            when = dt.datetime.fromisoformat(v.strip())
        except ValueError:
            return v
    if not isinstance(when, dt.datetime):
        return v
    if when.tzinfo is None:
        return when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def coerce_enum(cls: type[E], value: Any) -> E | Any:
    """A value or name, matched ignoring case, spaces and ``_`` -> ``cls`` member.

    Unknown values are returned unchanged (a real site may know more of them).
    """
    if value is None or value == "":
        return None
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        key = _squash(value)
        for member in cls:
            if _squash(str(member.value)) == key or _squash(member.name) == key:
                return member
    return value


def _squash(text: str) -> str:
    return re.sub(r"[\s_-]", "", text).lower()


# --------------------------------------------------------------------------- formatting


def format_date(value: dt.date | str) -> str:
    """``YYYY-MM-DD``. A string must be an ISO date and is normalised; an aware datetime
    is taken in UTC first."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValueError(f"expected an ISO date 'YYYY-MM-DD', got {value!r}") from None
    raise TypeError(f"expected a date or a 'YYYY-MM-DD' string, got {value!r}")


def format_instant(value: dt.datetime) -> str:
    """ISO 8601 in UTC with ``Z``; a naive datetime is taken to be UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


#: Janison filter literals: ``2026-05-01`` and ``2026-05-01T09:00:00Z`` (ISO only).
JANISON = Dialect("janison", date=format_date, datetime=format_instant)


# --------------------------------------------------------------------------- envelopes


def decode_json(response: requests.Response) -> dict[str, Any]:
    """The JSON object of ``response`` (``{}`` for an empty body); ``ValueError`` otherwise."""
    return _decode_body(response.content or b"")


def errors_of(body: Mapping[str, Any]) -> list[ErrorDetail]:
    """Every error a body names, whichever of the three shapes Janison traffic uses.

    * Janison's envelope: ``{"errors": [{"code", "message", "field"}]}``;
    * Azure API Management (auth, rate limits): ``{"statusCode": 401, "message": "..."}``;
    * an OAuth2 token endpoint: ``{"error": "invalid_client", "error_description": "..."}``.
    """
    low = {str(k).lower(): v for k, v in body.items()}
    if isinstance(low.get("errors"), list):
        return envelope_errors(body)
    if isinstance(low.get("error"), str):  # OAuth2
        return [ErrorDetail(low["error"], str(low.get("error_description") or low["error"]))]
    if isinstance(low.get("message"), str):  # APIM, or any {"message"} body
        return [ErrorDetail(parse_int(low.get("statuscode")), low["message"])]
    return []


def envelope_errors(envelope: Mapping[str, Any]) -> list[ErrorDetail]:
    """Every ``{"code", "message", "field"}`` of a Janison envelope's ``errors`` list."""
    return _envelope_errors(envelope, code_keys=("code", "errorcode"), with_field=True)


#: For the transport: the errors of an error response, ``[]`` if none can be read.
error_parser = error_parser_for(decode_json, errors_of)
