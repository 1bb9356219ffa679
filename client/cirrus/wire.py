"""Leaf values, envelopes and error bodies of the Cirrus wire format, both directions.

Cirrus speaks two envelopes, chosen by endpoint and by a site setting:

* ``{"Content": <value>, "Success": true, "Errors": null}`` (``/assessment``,
  ``/external/*``, and ``/schedule`` on some sites); a failure is ``Success: false``
  with ``Errors: ["<message>", ...]``;
* bare objects (``/schedule``: ``{"Result", "Schedule", "Candidates"}``), whose
  failures are the ASP.NET ``{"Message": "Bad request | <message>"}``.

:func:`content_of` and :func:`failure_of` read either, so a caller never depends on
the site's setting. Instants go out as RFC 3339 UTC with ``Z`` (to the millisecond,
as the docs' example ``2021-04-21T07:30:00.000Z``); a naive datetime is refused,
because Cirrus would read it in the site's default time zone, which the client cannot
know. Parsing is tolerant: a value that cannot be coerced is kept as it came.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from collections.abc import Mapping
from typing import Any

import requests

from exam_sandbox.client.cirrus.errors import is_duplicate
from exam_sandbox.client.core.errors import ErrorDetail
from exam_sandbox.client.core.wire import (
    as_list,
    compact,
    parse_bool,
    parse_int,
    parse_number,
    parse_str,
)

__all__ = [
    "coerce_enum",
    "compact",
    "content_of",
    "decode",
    "error_parser",
    "errors_of",
    "failure_of",
    "find_attempts",
    "format_instant",
    "member",
    "optional_instant",
    "parse_bool",
    "parse_instant",
    "parse_int",
    "parse_number",
    "parse_str",
]

#: The prefix Cirrus puts before the reason in ``{"Message": "Bad request | ..."}``.
_BAD_REQUEST = re.compile(r"^\s*bad request\s*\|\s*", re.IGNORECASE)
#: "1103: Review session ..." -> code 1103.
_CODED = re.compile(r"^\s*(\d{3,5})\s*:\s*")


# --------------------------------------------------------------------------- instants


def format_instant(value: dt.datetime | str) -> str:
    """RFC 3339 in UTC with ``Z``, to the millisecond: ``2021-04-21T07:30:00.000Z``.

    An aware datetime (any zone) is converted to UTC; a string must carry its offset or
    ``Z``. A naive datetime or string raises ``ValueError``: say the zone
    (``datetime(..., tzinfo=timezone.utc)``).
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expected an RFC 3339 date-time, got {value!r}") from None
        value = parsed
    if not isinstance(value, dt.datetime):
        raise TypeError(f"expected an aware datetime or an RFC 3339 string, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{value.isoformat()} has no time zone: Cirrus would read it in the site's "
            "default time zone; pass an aware datetime (e.g. tzinfo=datetime.timezone.utc)"
        )
    utc = value.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def optional_instant(value: dt.datetime | str | None) -> str | None:
    """:func:`format_instant`, or ``None`` for ``None`` (an optional field left out)."""
    return None if value is None else format_instant(value)


def parse_instant(v: Any) -> Any:
    """RFC 3339 -> an aware ``datetime`` in UTC. No offset is read as UTC (the sandbox's
    default time zone; a real site's default may differ, ``raw`` keeps the text)."""
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


# --------------------------------------------------------------------------- enums


def coerce_enum(cls: type[enum.Enum], value: Any) -> Any:
    """An int, a value or a name (ignoring case, ``_``, ``-`` and spaces) -> a member.

    Unknown values are returned unchanged (a real site may know more of them).
    """
    if value is None or value == "":
        return None
    if isinstance(value, cls):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        value = int(value)
    for m in cls:
        if m.value == value and not isinstance(value, bool):
            return m
    if isinstance(value, str):
        key = _squash(value)
        for m in cls:
            if _squash(m.name) == key or _squash(str(m.value)) == key:
                return m
    return value


def member(cls: type[enum.Enum]) -> Any:
    """A model converter reading ``cls`` with :func:`coerce_enum`."""
    return lambda v: coerce_enum(cls, v)


def _squash(text: str) -> str:
    return re.sub(r"[\s_-]", "", text).lower()


# --------------------------------------------------------------------------- envelopes


def decode(response: requests.Response) -> Any:
    """The JSON of ``response`` (``{}`` for an empty body); ``ValueError`` otherwise."""
    body = response.content or b""
    if not body.strip():
        return {}
    return json.loads(body.decode("utf-8-sig"))


def _member(body: Mapping[str, Any], name: str) -> tuple[bool, Any]:
    """``(present, value)`` of the member ``name``, matched ignoring case."""
    for key, value in body.items():
        if str(key).lower() == name:
            return True, value
    return False, None


def content_of(body: Any) -> Any:
    """What a success carries: ``Content`` of an envelope, else the bare body itself."""
    if not isinstance(body, Mapping):
        return body
    has_content, content = _member(body, "content")
    if has_content and (_member(body, "success")[0] or _member(body, "errors")[0]):
        return content
    return body


def failure_of(body: Any) -> list[ErrorDetail] | None:
    """The errors of a 2xx that is a failure all the same, or ``None`` for a success.

    ``Success: false``, or a non-empty ``Errors``, fails; so does a ``Message`` saying
    "already exists" (real integrations saw duplicates answered 200).
    """
    if not isinstance(body, Mapping):
        return None
    details = errors_of(body)
    has_success, success = _member(body, "success")
    if has_success and parse_bool(success) is False:
        return details or [ErrorDetail(None, "Success: false, with no error message")]
    _, errors = _member(body, "errors")
    if as_list(errors):
        return details
    if any(is_duplicate(d.message) for d in details):
        return details
    return None


def errors_of(body: Any) -> list[ErrorDetail]:
    """Every error a Cirrus body names, as ``(code, message)`` with ``.field`` if said.

    * ``{"Errors": ["msg", ...]}`` (items may also be ``{"Code", "Message", "Field"}``);
    * ``{"Message": "Bad request | msg"}``: the message without the ``Bad request |``
      prefix, so both envelopes give the same messages (the full text stays in
      ``response``); ASP.NET's ``ModelState`` adds one error per field message;
    * a bare JSON string.

    A message starting ``NNNN: `` (e.g. ``1103: Review session ...``) gets that code.
    """
    if isinstance(body, str):
        return [_detail(body)] if body.strip() else []
    if not isinstance(body, Mapping):
        return []
    out: list[ErrorDetail] = []
    for item in as_list(_member(body, "errors")[1]):
        if isinstance(item, Mapping):
            e = {str(k).lower(): v for k, v in item.items()}
            text = e.get("message", e.get("errormessage", e.get("description")))
            code = parse_int(e.get("code", e.get("errorcode")))
            fld = e.get("field", e.get("propertyname"))
            detail = _detail(str(text or ""), None if fld in (None, "") else str(fld))
            out.append(detail if code is None else ErrorDetail(code, detail.message, detail.field))
        elif item not in (None, ""):
            out.append(_detail(str(item)))
    if out:
        return out
    _, message = _member(body, "message")
    _, state = _member(body, "modelstate")
    if isinstance(state, Mapping) and state:
        for fld, texts in state.items():
            out += [_detail(str(t), str(fld) or None) for t in as_list(texts) if t]
        return out or ([_detail(message)] if isinstance(message, str) else [])
    if isinstance(message, str) and message.strip():
        return [_detail(message)]
    return []


def _detail(text: str, field: str | None = None) -> ErrorDetail:
    stripped = _BAD_REQUEST.sub("", text, count=1).strip() or text.strip()
    coded = _CODED.match(stripped)
    code = int(coded.group(1)) if coded else None
    return ErrorDetail(code, stripped, field)


def error_parser(response: requests.Response) -> list[ErrorDetail]:
    """For the transport: the errors of an error response (``[]`` if none can be read).

    A plain-text body (a proxy's or IIS's) short enough to be a message is that message.
    """
    try:
        return errors_of(decode(response))
    except (ValueError, UnicodeDecodeError):
        pass
    ctype = response.headers.get("Content-Type", "").lower()
    text = response.text.strip() if "text/plain" in ctype else ""
    return [ErrorDetail(None, text)] if text and len(text) <= 500 else []


# --------------------------------------------------------------------------- results

#: Ids an attempt nested in an object takes from it when it lacks them (wire -> field).
_INHERITED = {
    "assessmentextid": "assessment_ext_id",
    "scheduleextid": "schedule_ext_id",
    "candidateextid": "candidate_ext_id",
}
Found = list[tuple[Mapping[str, Any], dict[str, str]]]


def find_attempts(body: Mapping[str, Any]) -> Found:
    """Every attempt in a ``/results`` answer, wherever it is nested, with the ids of
    the objects around it (``{"assessment_ext_id": ..., ...}``).

    An attempt is an object with an ``AttemptExtId``, not looked into further; an
    answer that is itself one attempt is one. ``CandidateInfo`` is skipped.
    """
    found: Found = []
    context = _ids(body, {})
    for key, value in body.items():
        if str(key).lower() != "candidateinfo":
            _collect(value, context, found)
    if not found and _has(body, "attemptextid"):
        found = [(body, {})]
    return found


def _has(obj: Mapping[str, Any], name: str) -> bool:
    return any(str(k).lower() == name for k in obj)


def _ids(obj: Mapping[str, Any], outer: dict[str, str]) -> dict[str, str]:
    inner = dict(outer)
    for key, value in obj.items():
        name = _INHERITED.get(str(key).lower())
        if name and isinstance(value, str | int) and not isinstance(value, bool):
            inner[name] = str(value)
    return inner


def _collect(node: Any, context: dict[str, str], found: Found) -> None:
    if isinstance(node, Mapping):
        if _has(node, "attemptextid"):
            found.append((node, context))
            return
        inner = _ids(node, context)
        for value in node.values():
            _collect(value, inner, found)
    elif isinstance(node, list):
        for value in node:
            _collect(value, context, found)
