"""Vendor-neutral leaf values and JSON envelopes, shared by every vendor's ``*_wire``.

Parsing (``parse_*``) is tolerant: a real site may differ from the sandbox, and XML gives
every leaf as a string, so a value that cannot be coerced is returned as it came rather
than failing the whole call. Date formats, enum matching and error shapes differ by
vendor and stay in the vendor modules.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Any

from exam_sandbox.client.core.errors import ErrorDetail

__all__ = [
    "as_list",
    "camel",
    "compact",
    "decode_json",
    "envelope_errors",
    "parse_any",
    "parse_bool",
    "parse_int",
    "parse_iso_date",
    "parse_number",
    "parse_str",
    "parse_str_list",
]


def parse_any(v: Any) -> Any:
    return v


def parse_int(v: Any) -> Any:
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    try:
        return int(str(v).strip())
    except ValueError:
        return v


def parse_number(v: Any) -> Any:
    """A number, whichever way it came: ``"175"`` -> 175, ``"6.5"`` -> 6.5, ``175`` -> 175.

    A whole number is an ``int`` (``"175.0"`` too), any other an ``float``; text that is
    not a finite number is kept as it came.
    """
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    try:
        number = float(v.strip() if isinstance(v, str) else v)
    except (TypeError, ValueError):
        return v
    if not math.isfinite(number):
        return v
    return int(number) if number.is_integer() else number


def parse_str(v: Any) -> Any:
    """Strings stay; numbers become strings (XML leaves, codes that look like numbers)."""
    if v is None or isinstance(v, str):
        return v
    return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v


def parse_bool(v: Any) -> Any:
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("true", "1", "false", "0"):
        return v.strip().lower() in ("true", "1")
    if isinstance(v, int):
        return bool(v)
    return v


def parse_iso_date(v: Any) -> Any:
    """``YYYY-MM-DD`` (a datetime, or its ISO string, is cut to its date) -> ``date``."""
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.datetime.fromisoformat(v.strip()).date()
        except ValueError:
            pass
    return v


def parse_str_list(v: Any) -> list[Any]:
    return [parse_str(x) for x in as_list(v)]


def as_list(v: Any) -> list[Any]:
    if v is None or v == "":
        return []
    if isinstance(v, list):
        return v
    return [v]


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def compact(body: Mapping[str, Any]) -> dict[str, Any]:
    """Drop ``None`` values (optional fields left out are not sent)."""
    return {k: v for k, v in body.items() if v is not None}


def decode_json(body: bytes) -> dict[str, Any]:
    """A JSON object body as a dict (``{}`` for an empty body); ``ValueError`` otherwise."""
    if not body.strip():
        return {}
    data = json.loads(body.decode("utf-8-sig"))
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    return data


def envelope_errors(envelope: Mapping[str, Any], *, code_keys: tuple[str, str],
                    with_field: bool) -> list[ErrorDetail]:
    """Every item of an envelope's ``errors`` list as an :class:`ErrorDetail`.

    ``code_keys`` are the (lowercase) members holding the code, the first one present
    wins; ``with_field`` keeps an item's ``field`` (the member at fault).
    """
    items = next((v for k, v in envelope.items() if str(k).lower() == "errors"), None)
    first, second = code_keys
    out = []
    for item in as_list(items):
        if isinstance(item, Mapping):
            e = {str(k).lower(): v for k, v in item.items()}
            code = parse_int(e.get(first, e.get(second)))
            message = str(e.get("message") or "")
            fld = e.get("field") if with_field else None
            out.append(ErrorDetail(code, message, None if fld in (None, "") else str(fld)))
        elif item not in (None, ""):
            out.append(ErrorDetail(None, str(item)))
    return out
