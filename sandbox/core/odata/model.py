"""The queryable shape of a resource, as the vendor layer declares it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement

TYPES = frozenset({"string", "int", "bool", "date", "datetime", "decimal"})
ORDERING = frozenset({"eq", "ne", "gt", "ge", "lt", "le"})
TEXT = frozenset({"contains", "startswith", "endswith"})
OPERATORS = ORDERING | TEXT

# Operators that make sense for each type; Field.operators can only narrow these.
TYPE_OPERATORS: Mapping[str, frozenset[str]] = {
    "string": OPERATORS,
    "int": ORDERING,
    "decimal": ORDERING,
    "date": ORDERING,
    "datetime": ORDERING,
    "bool": frozenset({"eq", "ne"}),
}


class ODataError(Exception):
    """A query the client got wrong; `message` is safe to show to that client."""

    def __init__(self, message: str, position: int | None = None) -> None:
        if position is not None:
            message = f"{message} at position {position}"
        super().__init__(message)
        self.message = message
        self.position = position


# eq=False: dataclass equality would compare SQLAlchemy columns with `==`, which builds SQL.
@dataclass(frozen=True, eq=False)
class Field:
    column: ColumnElement
    type: str = "string"
    filterable: bool = True
    sortable: bool = True
    operators: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"unknown field type {self.type!r}")
        if self.operators is not None and not self.operators <= OPERATORS:
            raise ValueError(f"unknown operators {sorted(self.operators - OPERATORS)}")


@dataclass(frozen=True, eq=False)
class Collection:
    fields: Mapping[str, Field]
    exists: Callable[[ColumnElement], ColumnElement]


@dataclass(frozen=True, eq=False)
class QueryModel:
    fields: Mapping[str, Field]
    collections: Mapping[str, Collection] = field(default_factory=dict)
    case_insensitive_names: bool = True
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)

    def __post_init__(self) -> None:
        # Fail when the vendor module is imported, not on the first request that hits a clash.
        fold = self.case_insensitive_names
        _check_unique([*self.fields, *self.collections], fold)
        for coll in self.collections.values():
            _check_unique(list(coll.fields), fold)


def _check_unique(names: list[str], fold: bool) -> None:
    seen: dict[str, str] = {}
    for name in names:
        key = name.casefold() if fold else name
        if key in seen:
            raise ValueError(f"property names {seen[key]!r} and {name!r} clash")
        seen[key] = name
