"""Vendor-neutral OData querying: filters without hand-written OData, and ordering.

Every vendor client builds its list queries here; what differs between vendors is only
how a few literals are written, which a :class:`Dialect` says (Surpass writes dates
``MM/DD/YYYY``, Janison ISO 8601). A client always renders with its own dialect, so a
filter built here works with any client; ``str(filter)`` renders with the dialect of the
:class:`F` that built it (:data:`ISO` for this module's ``F``).

Filters can be given as plain mappings::

    client.iter_candidates(where={"lastName": "Smith", "retired": False},
                           contains={"firstName": "an"}, order_by=["lastName", "-id"])

or built from fields with :class:`F`, combined with ``&`` (and), ``|`` (or), ``~`` (not)::

    (F("lastName") == "O'Neil") & F("centres").any(reference="C1")
    # -> lastName eq 'O''Neil' and centres/any(c: c/reference eq 'C1')
    F("centre") / "id" == 3                       # -> centre/id eq 3
    F("dateOfBirth") >= date(1990, 1, 31)          # -> dateOfBirth ge 1990-01-31 (ISO)

Literals: strings are quoted with ``'`` doubled, ``None`` is ``null``, booleans
``true``/``false``, dates and datetimes as the dialect says. ``Raw("...")`` (or
``filter="..."`` on a list method) passes OData through untouched. Lazy paging over
``nextPageLink`` is :mod:`.paging`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

__all__ = [
    "ISO",
    "Dialect",
    "F",
    "Filter",
    "Raw",
    "build_filter",
    "list_params",
    "literal",
    "render_order_by",
]

_SEGMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OR, _AND, _ATOM = 1, 2, 3


def _iso_datetime(value: dt.datetime) -> str:
    """ISO 8601; a UTC datetime ends in ``Z``, a naive one carries no offset."""
    if value.tzinfo is not None and value.utcoffset() == dt.timedelta(0):
        return value.replace(tzinfo=None).isoformat() + "Z"
    return value.isoformat()


@dataclass(frozen=True)
class Dialect:
    """How one vendor writes the literals OData leaves to the server: dates and datetimes."""

    name: str
    date: Callable[[dt.date], str] = dt.date.isoformat
    datetime: Callable[[dt.datetime], str] = _iso_datetime


#: OData v4 style: ``2026-05-01``, ``2026-05-01T09:00:00Z``.
ISO = Dialect("iso")


def literal(value: Any, dialect: Dialect = ISO) -> str:
    """Render a Python value as an OData literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.IntEnum):
        return str(int(value))
    if isinstance(value, enum.Enum):
        return literal(value.value, dialect)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot filter on {value!r}")
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, dt.datetime):
        return dialect.datetime(value)
    if isinstance(value, dt.date):
        return dialect.date(value)
    raise TypeError(f"cannot use {type(value).__name__} {value!r} in a filter")


class Filter:
    """A boolean OData expression. ``str(expr)`` renders it; clients call ``render(dialect)``."""

    precedence = _ATOM

    @property
    def dialect(self) -> Dialect:
        """The dialect ``str()`` uses: that of the :class:`F` the expression was built from."""
        return ISO

    def render(self, dialect: Dialect | None = None, *, scope: str | None = None,
               depth: int = 0) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"<Filter {self.render()}>"

    def __and__(self, other: Filter | str) -> Filter:
        return _BoolOp("and", _AND, [self, _as_filter(other)])

    def __or__(self, other: Filter | str) -> Filter:
        return _BoolOp("or", _OR, [self, _as_filter(other)])

    def __invert__(self) -> Filter:
        return _Not(self)

    def __bool__(self) -> bool:
        raise TypeError("use & | ~ to combine filters, not 'and' / 'or' / 'not'")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Filter) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class Raw(Filter):
    """OData text used as-is (parenthesised when combined with other filters)."""

    precedence = _OR

    def __init__(self, text: str) -> None:
        self.text = text

    def render(self, dialect: Dialect | None = None, *, scope: str | None = None,
               depth: int = 0) -> str:
        return self.text


def _as_filter(value: Filter | str) -> Filter:
    if isinstance(value, Filter):
        return value
    if isinstance(value, str):
        return Raw(value)
    raise TypeError(f"expected a Filter or an OData string, got {type(value).__name__}")


class _BoolOp(Filter):
    def __init__(self, op: str, precedence: int, parts: list[Filter]) -> None:
        self.op, self.precedence = op, precedence
        self.parts: list[Filter] = []
        for p in parts:  # flatten a & b & c
            self.parts.extend(p.parts if isinstance(p, _BoolOp) and p.op == op else [p])

    @property
    def dialect(self) -> Dialect:
        return next((p.dialect for p in self.parts if not isinstance(p, Raw)), ISO)

    def render(self, dialect: Dialect | None = None, *, scope: str | None = None,
               depth: int = 0) -> str:
        dialect = dialect or self.dialect
        out = []
        for p in self.parts:
            text = p.render(dialect, scope=scope, depth=depth)
            out.append(f"({text})" if p.precedence < self.precedence else text)
        return f" {self.op} ".join(out)


class _Not(Filter):
    def __init__(self, inner: Filter) -> None:
        self.inner = inner

    @property
    def dialect(self) -> Dialect:
        return self.inner.dialect

    def render(self, dialect: Dialect | None = None, *, scope: str | None = None,
               depth: int = 0) -> str:
        inner = self.inner.render(dialect or self.dialect, scope=scope, depth=depth)
        return f"not ({inner})"


class _Compare(Filter):
    def __init__(self, field: F, op: str, value: Any) -> None:
        literal(value, field.dialect)  # refuse what cannot be rendered now, not at send time
        self.field, self.op, self.value = field, op, value

    @property
    def dialect(self) -> Dialect:
        return self.field.dialect

    def render(self, dialect: Dialect | None = None, *, scope: str | None = None,
               depth: int = 0) -> str:
        value = literal(self.value, dialect or self.dialect)
        return f"{self.field.render(scope)} {self.op} {value}"


class _Call(Filter):
    def __init__(self, func: str, field: F, value: Any) -> None:
        literal(value, field.dialect)
        self.func, self.field, self.value = func, field, value

    @property
    def dialect(self) -> Dialect:
        return self.field.dialect

    def render(self, dialect: Dialect | None = None, *, scope: str | None = None,
               depth: int = 0) -> str:
        value = literal(self.value, dialect or self.dialect)
        return f"{self.func}({self.field.render(scope)},{value})"


class _Lambda(Filter):
    def __init__(self, func: str, field: F, body: Filter | None) -> None:
        self.func, self.field, self.body = func, field, body

    @property
    def dialect(self) -> Dialect:
        return self.field.dialect

    def render(self, dialect: Dialect | None = None, *, scope: str | None = None,
               depth: int = 0) -> str:
        path = self.field.render(scope)
        if self.body is None:
            return f"{path}/{self.func}()"
        var = self.field.path[-1][0].lower() + (str(depth) if depth else "")
        body = self.body.render(dialect or self.dialect, scope=var, depth=depth + 1)
        return f"{path}/{self.func}({var}: {body})"


class F:
    """A property path in a filter: ``F("lastName")``, ``F("centre/id")``, ``F("centre") / "id"``.

    Compare with ``== != < <= > >=``; call ``contains``, ``startswith``, ``endswith``,
    ``in_``, ``is_null``; on collections ``any``/``all``. Inside ``any(...)`` fields are
    relative to the collection item. A vendor module may subclass ``F`` only to set
    ``dialect`` (what ``str()`` uses).
    """

    __hash__ = None  # type: ignore[assignment]
    dialect: ClassVar[Dialect] = ISO

    def __init__(self, *path: str) -> None:
        segments = [s for p in path for s in re.split(r"[/.]", p)]
        for s in segments:
            if not _SEGMENT.fullmatch(s):
                raise ValueError(f"invalid property name {s!r} in {'/'.join(path)!r}")
        if not segments:
            raise ValueError("F() needs a property name")
        self.path = segments

    def render(self, scope: str | None = None) -> str:
        name = "/".join(self.path)
        return f"{scope}/{name}" if scope else name

    def __repr__(self) -> str:
        return f"F({self.render()!r})"

    def __truediv__(self, name: str) -> F:
        return type(self)(*self.path, name)

    def __eq__(self, value: object) -> Filter:  # type: ignore[override]
        return _Compare(self, "eq", value)

    def __ne__(self, value: object) -> Filter:  # type: ignore[override]
        return _Compare(self, "ne", value)

    def __lt__(self, value: Any) -> Filter:
        return _Compare(self, "lt", value)

    def __le__(self, value: Any) -> Filter:
        return _Compare(self, "le", value)

    def __gt__(self, value: Any) -> Filter:
        return _Compare(self, "gt", value)

    def __ge__(self, value: Any) -> Filter:
        return _Compare(self, "ge", value)

    def is_null(self) -> Filter:
        return _Compare(self, "eq", None)

    def is_not_null(self) -> Filter:
        return _Compare(self, "ne", None)

    def contains(self, value: str) -> Filter:
        return _Call("contains", self, value)

    def startswith(self, value: str) -> Filter:
        return _Call("startswith", self, value)

    def endswith(self, value: str) -> Filter:
        return _Call("endswith", self, value)

    def in_(self, values: Iterable[Any]) -> Filter:
        """``f eq a or f eq b ...`` (OData ``in`` is not assumed to be supported)."""
        items = list(values)
        if not items:
            raise ValueError(f"in_() on {self.render()!r} needs at least one value")
        if len(items) == 1:
            return self == items[0]
        return _BoolOp("or", _OR, [self == v for v in items])

    def any(self, condition: Filter | None = None, /, **equals: Any) -> Filter:
        """``centres/any(c: c/reference eq 'C1')``; no arguments: the collection is non-empty."""
        return _Lambda("any", self, _lambda_body(type(self), condition, equals))

    def all(self, condition: Filter | None = None, /, **equals: Any) -> Filter:
        body = _lambda_body(type(self), condition, equals)
        if body is None:
            raise ValueError("all() needs a condition")
        return _Lambda("all", self, body)


def _lambda_body(field: type[F], condition: Filter | None,
                 equals: Mapping[str, Any]) -> Filter | None:
    parts = [] if condition is None else [_as_filter(condition)]
    parts += [field(k) == v for k, v in equals.items()]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else _BoolOp("and", _AND, parts)


def build_filter(
    filter: Filter | str | None = None,
    where: Mapping[str, Any] | None = None,
    contains: Mapping[str, str] | None = None,
    *,
    dialect: Dialect = ISO,
) -> str | None:
    """Combine a filter, ``where`` equalities (a list value means any of) and ``contains``.

    A value of the wrong shape raises ``TypeError`` naming the keyword that takes it: a
    :class:`Filter` given as ``where=`` says to pass it as ``filter=``, and the reverse.
    """
    _check_shapes(filter, where, contains)
    parts: list[Filter] = []
    if filter is not None and filter != "":
        parts.append(_as_filter(filter))
    for key, value in (where or {}).items():
        is_many = isinstance(value, list | tuple | set | frozenset)
        parts.append(F(key).in_(value) if is_many else F(key) == value)
    for key, value in (contains or {}).items():
        parts.append(F(key).contains(value))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0].render(dialect)
    return _BoolOp("and", _AND, parts).render(dialect)


def _kind(value: Any) -> str:
    return "a Filter" if isinstance(value, Filter) else type(value).__name__


def _check_shapes(filter: Any, where: Any, contains: Any) -> None:
    """Refuse a list option of the wrong shape, naming the keyword the value belongs to."""
    if where is not None and not isinstance(where, Mapping):
        hint = ("; a Filter or OData text goes in filter=" if isinstance(where, Filter | str)
                else "")
        raise TypeError("where= takes a mapping of field to value, e.g. "
                        f"{{'lastName': 'Smith'}}, not {_kind(where)}{hint}")
    if contains is not None and not isinstance(contains, Mapping):
        raise TypeError("contains= takes a mapping of field to text, e.g. "
                        f"{{'firstName': 'an'}}, not {type(contains).__name__}")
    if filter is not None and not isinstance(filter, Filter | str):
        hint = "; a mapping of field to value goes in where=" if isinstance(filter, Mapping) else ""
        raise TypeError("filter= takes a Filter, e.g. F('lastName') == 'Smith', or OData "
                        f"text, not {type(filter).__name__}{hint}")


def render_order_by(spec: str | Sequence[str] | None) -> str | None:
    """``["lastName", "-id"]`` -> ``lastName,id desc``; ``"name desc"`` passes through."""
    if spec is None:
        return None
    if not isinstance(spec, str | Sequence) or any(not isinstance(i, str) for i in spec):
        raise TypeError("order_by= takes a field name or a list of them ('-id' for "
                        f"descending), not {type(spec).__name__}")
    items = [spec] if isinstance(spec, str) else list(spec)
    out = []
    for item in items:
        item = item.strip()
        direction = ""
        if item[:1] in "+-":
            direction = " desc" if item[0] == "-" else ""
            item = item[1:].strip()
        else:
            m = re.fullmatch(r"(\S+)\s+(asc|desc)", item, flags=re.IGNORECASE)
            if m:
                item, direction = m[1], f" {m[2].lower()}"
        out.append(F(item).render() + direction)
    return ",".join(out) or None


def list_params(
    *,
    filter: Filter | str | None = None,
    where: Mapping[str, Any] | None = None,
    contains: Mapping[str, str] | None = None,
    order_by: str | Sequence[str] | None = None,
    top: int | None = 40,
    skip: int | None = None,
    params: Mapping[str, Any] | None = None,
    dialect: Dialect = ISO,
) -> dict[str, Any]:
    """The query string of a list call: ``$top``, ``$skip``, ``$filter``, ``$orderBy``, extras."""
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ValueError(f"top must be a positive integer, got {top!r}")
    if skip is not None and (isinstance(skip, bool) or not isinstance(skip, int) or skip < 0):
        raise ValueError(f"skip must be a non-negative integer, got {skip!r}")
    out: dict[str, Any] = {"$top": top}
    if skip:
        out["$skip"] = skip
    out["$filter"] = build_filter(filter, where, contains, dialect=dialect)
    out["$orderBy"] = render_order_by(order_by)
    out.update(params or {})
    return {k: v for k, v in out.items() if v is not None}
