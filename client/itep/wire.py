"""The iTEP wire format as the sandbox fixes it (``docs/providers/itep-wire.md``), both
directions: where the key goes, the request body, the answers' members, error bodies,
and the webhook's leaf values.

Nothing of iTEP's API is public, so every name here is assumed; the ones a real site is
most likely to differ in (the base URL, the route names, where the key goes and how
``assigned_to`` is encoded) are options of :class:`~.client.ItepClient`, with the
sandbox's as defaults. Parsing is tolerant: members match ignoring case, ``_`` and
``-`` (``test_id``, ``TestID``, ``testId``), and a value that cannot be coerced is kept
as it came.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any, Literal

import requests

from exam_sandbox.client.core.errors import ErrorDetail
from exam_sandbox.client.core.wire import compact

__all__ = [
    "ASSIGN_AND_EMAIL_PATH",
    "ASSIGN_PATH",
    "KEY_HEADER",
    "KEY_PARAM",
    "SANDBOX_URL",
    "AssignedToAs",
    "KeyIn",
    "assignment_body",
    "compact",
    "decode",
    "encode_assigned_to",
    "error_parser",
    "errors_of",
    "format_test_date",
    "parse_assigned_to",
    "parse_level",
    "parse_test_date",
    "squash",
]

#: The sandbox's base URL (a real site's is not known).
SANDBOX_URL = "http://127.0.0.1:8080/itep/api/v1"
#: The two calls that hand out a test ID, under the base URL.
ASSIGN_PATH = "test-ids/assign"
ASSIGN_AND_EMAIL_PATH = "test-ids/assign-and-email"
#: Where the API key goes: this header (``key_in="header"``) or query parameter.
KEY_HEADER = "X-API-Key"
KEY_PARAM = "api_key"

KeyIn = Literal["header", "query"]
AssignedToAs = Literal["object", "text"]


def squash(name: object) -> str:
    """A member name as matched: lower case without ``_``, ``-`` or spaces."""
    return re.sub(r"[\s_-]", "", str(name)).lower()


# --------------------------------------------------------------------------- requests


def encode_assigned_to(value: Mapping[str, Any], how: AssignedToAs) -> Any:
    """``assigned_to`` as sent: the object itself, or (``"text"``) its JSON text."""
    if how == "object":
        return dict(value)
    if how == "text":
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    raise ValueError(f"assigned_to_as must be 'object' or 'text', got {how!r}")


def assignment_body(
    assigned_to: Mapping[str, Any],
    how: AssignedToAs,
    oid: str | None,
    tracking_code: str | None,
) -> dict[str, Any]:
    """The body of both assign calls; ``oid`` and ``tracking_code`` only when given."""
    return compact(
        {
            "assigned_to": encode_assigned_to(assigned_to, how),
            "oid": oid,
            "tracking_code": tracking_code,
        }
    )


# --------------------------------------------------------------------------- answers


def decode(response: requests.Response) -> Any:
    """The JSON of ``response`` (``{}`` for an empty body); ``ValueError`` otherwise."""
    body = response.content or b""
    if not body.strip():
        return {}
    return json.loads(body.decode("utf-8-sig"))


def parse_assigned_to(v: Any) -> Any:
    """The Assigned-to an answer echoes: an object, or the JSON text of one (read into
    a dict); anything else is kept as it came."""
    if isinstance(v, Mapping):
        return dict(v)
    if isinstance(v, str) and v.strip().startswith("{"):
        try:
            parsed = json.loads(v)
        except ValueError:
            return v
        if isinstance(parsed, dict):
            return parsed
    return v


def errors_of(body: Any) -> list[ErrorDetail]:
    """The ``(code, message)`` of an error body ``{"error": code, "message": text}``.

    A body without ``message`` gives its code as the message; a body that names no
    ``error`` but has a ``message`` (or a list ``errors``) still gives its text.
    """
    if isinstance(body, str):
        return [ErrorDetail(None, body.strip())] if body.strip() else []
    if not isinstance(body, Mapping):
        return []
    low = {squash(k): v for k, v in body.items()}
    code, message = low.get("error"), low.get("message")
    if isinstance(code, Mapping):  # {"error": {"code": ..., "message": ...}}
        inner = {squash(k): v for k, v in code.items()}
        code, message = inner.get("code"), inner.get("message", message)
    if isinstance(low.get("errors"), list) and code is None:
        out = []
        for item in low["errors"]:
            out += errors_of(item) if isinstance(item, Mapping) else errors_of(str(item))
        return out
    code = None if code in (None, "") else str(code)
    text = "" if message is None else str(message).strip()
    if code is None and not text:
        return []
    return [ErrorDetail(code, text or str(code))]


def error_parser(response: requests.Response) -> list[ErrorDetail]:
    """For the transport: the errors of an error response (``[]`` if none can be read).

    A plain-text body (a proxy's) short enough to be a message is that message.
    """
    try:
        return errors_of(decode(response))
    except (ValueError, UnicodeDecodeError):
        pass
    ctype = response.headers.get("Content-Type", "").lower()
    text = response.text.strip() if "text/plain" in ctype else ""
    return [ErrorDetail(None, text)] if text and len(text) <= 500 else []


# --------------------------------------------------------------------------- webhook values

_US_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*")


def parse_test_date(text: Any) -> dt.date:
    """``TestDate``: ``M/D/YYYY`` (``3/7/2027``; zero padding is read too) -> ``date``.

    ``ValueError`` for anything else, or a day the calendar does not have.
    """
    if isinstance(text, dt.date) and not isinstance(text, dt.datetime):
        return text
    found = _US_DATE.fullmatch(text) if isinstance(text, str) else None
    if found is None:
        raise ValueError(f"TestDate is not M/D/YYYY: {text!r}")
    month, day, year = (int(g) for g in found.groups())
    return dt.date(year, month, day)


def format_test_date(day: dt.date) -> str:
    """``date(2027, 3, 7)`` -> ``"3/7/2027"`` (no zero padding, as iTEP sends it)."""
    return f"{day.month}/{day.day}/{day.year}"


def parse_level(v: Any) -> Any:
    """A level (0.0-6.0, one decimal), as a ``float`` whether it came as ``3.4``,
    ``"3.4"`` or ``3``; text that is not a number is kept as it came."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return v
    try:
        return float(v.strip() if isinstance(v, str) else v)
    except (TypeError, ValueError):
        return v
