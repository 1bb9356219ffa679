"""Checks on a decoded request body, for any vendor and for ``/_sandbox``.

A body is refused (each caller in its own error format) when one of its strings or member
names holds a lone UTF-16 surrogate, or when it nests deeper than any real body does.

A lone surrogate (JSON lets ``"\\ud800"`` through) is not Unicode text: no database stores
it and no format can render it again, so no contract can call it a valid string. Other
characters XML 1.0 cannot carry (NUL, C0 controls, U+FFFE/U+FFFF) are valid JSON strings
the contracts accept, so they are stored and replaced where an XML answer renders them.
The depth limit keeps a hostile document from exhausting the stack in ``json.loads`` or a
schema. One iterative walk checks both, so the check itself never recurses.
"""

from __future__ import annotations

import json
import re

from .errors import ErrorDetail, ValidationFailed

# No vendor body nests deeper than a few levels; the XML reader has the same limit.
MAX_DEPTH = 32
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class BodyRefused(ValueError):
    """A body the sandbox will not take; ``problem`` is prose for the client."""

    def __init__(self, problem: str, path: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.path = path  # "a.b[2]": the member the problem is in; "" for the whole body


class UnreadableBody(BodyRefused):
    """Not JSON at all (bad syntax, or bytes that are not UTF-8)."""


class TooDeep(BodyRefused):
    """Arrays and objects nested deeper than ``MAX_DEPTH``."""


class UnstorableText(BodyRefused):
    """A string or member name holding a lone surrogate."""


def unstorable_character(text: str) -> str | None:
    """The first character of ``text`` that cannot be stored, as ``U+XXXX``; or None.

    (A surrogate pair decoded by ``json.loads`` is one astral character, never two.)"""
    found = _LONE_SURROGATE.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def _unstorable_problem(code_point: str) -> str:
    return f"contains a character that cannot be stored ({code_point})"


def _member(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def check_value(value, *, max_depth: int = MAX_DEPTH) -> None:
    """Refuse ``value`` (a decoded body) if it nests too deeply or holds unstorable text.

    Raises ``TooDeep`` or ``UnstorableText`` naming the member the problem is in.
    """
    pending = [(value, "", 0)]
    while pending:
        item, path, depth = pending.pop()
        if isinstance(item, str):
            code_point = unstorable_character(item)
            if code_point is not None:
                raise UnstorableText(_unstorable_problem(code_point), path)
            continue
        if isinstance(item, dict):
            children = item.items()
        elif isinstance(item, list | tuple):
            children = enumerate(item)
        else:
            continue
        if depth >= max_depth:
            raise TooDeep(f"values nest deeper than {max_depth} levels", path)
        below = []
        for key, child in children:
            if isinstance(key, str):
                code_point = unstorable_character(key)
                if code_point is not None:
                    # The name itself cannot be echoed back: report where it is.
                    problem = f"has a member name that {_unstorable_problem(code_point)}"
                    raise UnstorableText(problem, path)
            below.append((child, _member(path, key), depth + 1))
        pending.extend(reversed(below))  # popped in document order: the first problem wins


def decode_json(body: bytes):
    """The decoded JSON ``body``, checked by ``check_value``; raises a ``BodyRefused``."""
    try:
        value = json.loads(body)
    except RecursionError as exc:  # the decoder recursed past the stack: nested too deep
        raise TooDeep(f"values nest deeper than {MAX_DEPTH} levels") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnreadableBody("the body is not valid JSON") from exc
    check_value(value)
    return value


def control_json(body: bytes, *, is_json: bool):
    """A control body (``/_sandbox``, plain JSON): ``{}`` when blank, else the decoded
    and checked value; a refusal is a ``ValidationFailed`` whose message says why."""
    if not body.strip():
        return {}
    if not is_json:
        raise ValidationFailed(ErrorDetail(400, "Body must be a JSON object"))
    try:
        value = decode_json(body)
    except UnreadableBody as exc:
        raise ValidationFailed(ErrorDetail(400, "Body must be a JSON object")) from exc
    except TooDeep as exc:
        raise ValidationFailed(ErrorDetail(400, f"Body could not be read: {exc}")) from exc
    except BodyRefused as exc:
        where = exc.path or "request"
        raise ValidationFailed(ErrorDetail(400, f"{where}: {exc}")) from exc
    if value is None:
        raise ValidationFailed(ErrorDetail(400, "Body must be a JSON object"))
    return value
