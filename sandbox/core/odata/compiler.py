"""Syntax tree plus QueryModel to SQLAlchemy Core expressions.

Every predicate is built to be two-valued, as in OData and in the C# semantics of the
ASP.NET services being imitated: a NULL column compares false with eq/gt/..., true with
ne, and `not` then flips it. Plain SQL would give NULL for both and lose the row.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, false, not_, or_, true
from sqlalchemy.sql.elements import False_
from sqlalchemy.sql.selectable import Exists
from sqlalchemy.sql.util import find_tables

from .lexer import convert_temporal, parse_temporal
from .model import TEXT, TYPE_OPERATORS, Collection, Field, ODataError, QueryModel
from .navigation import Restrict, to_one
from .parser import Call, Compare, Lambda, Literal, Logic, Node, Not, Path
from .prefix import prefix_range

COMPARE: Mapping[str, Callable[[Any, Any], ColumnElement[bool]]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}
MIRROR = {"eq": "eq", "ne": "ne", "gt": "lt", "ge": "le", "lt": "gt", "le": "ge"}
LITERALS_FOR = {
    "string": {"string"},
    "int": {"int"},
    "decimal": {"int", "decimal"},
    "bool": {"bool"},
    "date": {"date", "datetime", "string"},
    "datetime": {"date", "datetime", "string"},
}


@dataclass(frozen=True)
class _Scope:
    """The element of a collection inside any()/all()."""

    variable: str | None
    fields: Mapping[str, Field]


class Compiler:
    def __init__(self, model: QueryModel, *, restrict: Restrict | None = None) -> None:
        self.model = model
        self.restrict = restrict
        self.scopes: list[_Scope] = []

    def key(self, name: str) -> str:
        return name.casefold() if self.model.case_insensitive_names else name

    def lookup(self, table: Mapping[str, Any], segments: tuple[str, ...]) -> Any:
        wanted = self.key("/".join(segments))
        return next((v for k, v in table.items() if self.key(k) == wanted), None)

    # --- filter -------------------------------------------------------------------------

    def predicate(self, node: Node) -> ColumnElement[bool]:
        if isinstance(node, Logic):
            combine = and_ if node.op == "and" else or_
            return combine(*(self.predicate(operand) for operand in node.operands))
        if isinstance(node, Not):
            return not_(self.predicate(node.operand))
        if isinstance(node, Compare):
            return self.compare(node)
        if isinstance(node, Call):
            return self.text_function(node)
        if isinstance(node, Lambda):
            return self.lambda_(node)
        if isinstance(node, Path):
            field = self.field(node, filtering=True)
            if field.type != "bool":
                raise ODataError(f"Property '{node.text}' is not a condition", node.pos)
            return self.field_compare(field, node.text, "eq", Literal("bool", True, "", node.pos))
        if node.kind == "bool":
            return true() if node.value else false()
        raise ODataError(f"Literal {node.text} is not a condition", node.pos)

    def compare(self, node: Compare) -> ColumnElement[bool]:
        left, op, right = node.left, node.op, node.right
        if isinstance(left, Literal) and not isinstance(right, Literal):
            left, op, right = right, MIRROR[op], left
        if not isinstance(right, Literal):
            raise ODataError("Comparisons need a literal on one side", node.pos)
        if isinstance(left, Literal):
            raise ODataError("Comparisons need a property on one side", node.pos)
        if isinstance(left, Path):
            return self.field_compare(self.field(left, filtering=True), left.text, op, right)
        # A condition such as contains(...) compared with true or false.
        condition = self.predicate(left)
        if right.kind != "bool" or op not in ("eq", "ne"):
            raise ODataError(
                "A condition can only be compared with true or false, using eq or ne", node.pos
            )
        return condition if (op == "eq") == right.value else not_(condition)

    def field_compare(
        self, field: Field, name: str, op: str, literal: Literal
    ) -> ColumnElement[bool]:
        self.check_operator(field, name, op, literal.pos)
        if literal.kind == "null" and op not in ("eq", "ne"):
            raise ODataError(f"Operator '{op}' cannot compare with null", literal.pos)
        value = None if literal.kind == "null" else self.coerce(field, name, literal)
        navigation = to_one(field.column)
        if navigation is None:
            return _compare(field.column, op, value)
        if op == "eq" and value is not None:
            equal = navigation.equals(value, restrict=self.restrict)
            if equal is not None:
                return equal
        # A missing related row reads as NULL: only `eq null` and `ne 'x'` hold for it
        # (`gt 'x'` and the like are false for NULL, as in the per-row form).
        holds_for_null = (op == "eq" and value is None) or (op == "ne" and value is not None)
        return navigation.where(
            _compare(navigation.column, op, value),
            holds_for_null=holds_for_null,
            restrict=self.restrict,
        )

    def coerce(self, field: Field, name: str, literal: Literal) -> object:
        kind, value = literal.kind, literal.value
        if kind not in LITERALS_FOR[field.type]:
            raise ODataError(
                f"Cannot compare {field.type} property '{name}' with {kind} literal {literal.text}",
                literal.pos,
            )
        if field.type == "decimal":
            return Decimal(value)  # type: ignore[arg-type]
        if field.type in ("date", "datetime"):
            parsed: tuple[str, object] | None = (kind, value)
            if kind == "string":
                parsed = parse_temporal(str(value), self.model.date_formats)
                if parsed is None:
                    raise ODataError(f"'{value}' is not a valid {field.type}", literal.pos)
            return convert_temporal(parsed, field.type, literal.pos)[1]  # type: ignore[arg-type]
        return value

    def text_function(self, node: Call) -> ColumnElement[bool]:
        if node.name not in TEXT:
            raise ODataError(f"Unknown function '{node.name}'", node.pos)
        if len(node.args) != 2:
            raise ODataError(f"{node.name}() takes a property and a string", node.pos)
        target, needle = node.args
        if not isinstance(target, Path) or not isinstance(needle, Literal):
            raise ODataError(f"{node.name}() takes a property and a string", node.pos)
        field = self.field(target, filtering=True)
        self.check_operator(field, target.text, node.name, node.pos)
        if needle.kind != "string":
            raise ODataError(f"{node.name}() needs a string, not {needle.text}", needle.pos)
        navigation = to_one(field.column)
        if navigation is None:
            return _text_match(field.column, node.name, needle.value)
        return navigation.where(
            _text_match(navigation.column, node.name, needle.value),
            holds_for_null=False,
            restrict=self.restrict,
        )

    def lambda_(self, node: Lambda) -> ColumnElement[bool]:
        collection = self.lookup(self.model.collections, node.collection.segments)
        if not isinstance(collection, Collection):
            raise ODataError(f"'{node.collection.text}' is not a collection", node.collection.pos)
        condition = true()
        if node.body is not None:
            self.scopes.append(_Scope(node.variable, collection.fields))
            try:
                condition = self.predicate(node.body)
            finally:
                self.scopes.pop()
        if node.op == "any":
            return self.exists(collection, condition)
        return not_(self.exists(collection, not_(condition)))

    def exists(self, collection: Collection, condition: ColumnElement[bool]):
        found = _exists(collection, condition)
        if self.restrict is None or not isinstance(found, Exists):
            return found
        # A Core runner's criterion on every table the subquery reads (the ORM's
        # criterion reaches them by itself).
        for table in find_tables(found, include_aliases=True):
            criterion = self.restrict(table)
            if criterion is not None:
                found = found.where(criterion)
        return found

    # --- names --------------------------------------------------------------------------

    def field(self, path: Path, *, filtering: bool = False, sorting: bool = False) -> Field:
        field = self.resolve(path)
        if filtering and not field.filterable:
            raise ODataError(f"Property '{path.text}' is not filterable", path.pos)
        if sorting and not field.sortable:
            raise ODataError(f"Property '{path.text}' is not sortable", path.pos)
        return field

    def resolve(self, path: Path) -> Field:
        segments = path.segments
        for scope in reversed(self.scopes):
            if scope.variable is not None:
                if segments[0] == scope.variable and len(segments) > 1:
                    return self._in_element(scope, segments[1:], path)
                continue
            # Short form: "c/reference" where "c" names the element and is never declared.
            found = self.lookup(scope.fields, segments)
            if found is None and len(segments) > 1:
                found = self.lookup(scope.fields, segments[1:])
            if found is not None:
                return found
        found = self.lookup(self.model.fields, segments)
        if found is not None:
            return found
        if self.lookup(self.model.collections, segments) is not None:
            raise ODataError(f"'{path.text}' is a collection: use any() or all()", path.pos)
        raise ODataError(f"Unknown property '{path.text}'", path.pos)

    def _in_element(self, scope: _Scope, segments: tuple[str, ...], path: Path) -> Field:
        found = self.lookup(scope.fields, segments)
        if found is None:
            raise ODataError(f"Unknown property '{path.text}'", path.pos)
        return found

    @staticmethod
    def check_operator(field: Field, name: str, op: str, pos: int) -> None:
        if op not in TYPE_OPERATORS[field.type]:
            raise ODataError(
                f"Operator '{op}' cannot be used on {field.type} property '{name}'", pos
            )
        if field.operators is not None and op not in field.operators:
            raise ODataError(f"Operator '{op}' is not allowed on property '{name}'", pos)


def _exists(collection: Collection, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    # and_() folds "x AND false" to plain false, dropping the caller's join conditions
    # and leaving a cartesian product that SQLAlchemy warns about.
    return false() if isinstance(condition, False_) else collection.exists(condition)


def _compare(column: ColumnElement, op: str, value: object) -> ColumnElement[bool]:
    """``column op value``, two-valued; ``value`` None is the literal null."""
    if value is None:
        return column.is_(None) if op == "eq" else column.is_not(None)
    condition = COMPARE[op](column, value)
    if not _nullable(column):
        return condition
    if op == "ne":
        return or_(column.is_(None), condition)
    return and_(column.is_not(None), condition)


def _text_match(column: ColumnElement, function: str, needle: str) -> ColumnElement[bool]:
    """contains/startswith/endswith, two-valued; a prefix as an index range if exact."""
    condition = prefix_range(column, needle) if function == "startswith" else None
    if condition is None:
        # Case-insensitive, as Surpass's SQL Server collation is: lower() on both sides,
        # since PostgreSQL's LIKE is case-sensitive (SQLite's ignores ASCII case either
        # way). autoescape: the needle is user input; '%' or '_' in it match literally.
        condition = getattr(column, f"i{function}")(needle, autoescape=True)
    return and_(column.is_not(None), condition) if _nullable(column) else condition


def _nullable(column: ColumnElement) -> bool:
    # Table columns know; anything else (a scalar subquery for a to-one path) may be NULL.
    return getattr(column, "nullable", True) is not False
