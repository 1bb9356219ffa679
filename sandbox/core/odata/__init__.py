"""A vendor-neutral OData query engine: `$filter` and `$orderby` text to SQLAlchemy Core.

The subset is what ASP.NET Web API OData services accept from real clients:

- comparisons `eq ne gt ge lt le`, logic `and or not` and parentheses, with precedence
  not > and > or; `not a eq b` reads as `not (a eq b)`;
- `contains`, `startswith`, `endswith` (LIKE with the user's `%` and `_` escaped), on their
  own or compared with `true`/`false`; `startswith` with an ASCII prefix as a range on
  `lower(col)`, which an expression index serves (`prefix.py`);
- navigation paths such as `centre/id`, which are simply keys of `QueryModel.fields`; a
  to-one path declared as a correlated scalar subquery is filtered as
  `fk IN (SELECT key ...)`, evaluated once instead of per row (`navigation.py`);
- `coll/any(c: ...)`, `coll/any()`, `coll/all(c: ...)` and the short form
  `coll/any(c/prop eq 1)`, whose first path segment names the element;
- literals: `'text'` (`''` is a quote), integers, decimals, `true false null`, ISO dates
  and datetimes (an offset is converted to naive UTC), the model's `date_formats`,
  and `datetime'...'`; a date or datetime property also takes a quoted date.

Operators and `and or not` are lowercase only, as ASP.NET requires; `EQ` is refused with
a hint. Function names, `any`/`all`, `asc`/`desc` and `true false null` are matched
case-insensitively, and so are property names unless the model says otherwise. Lambda
variables are case-sensitive.

Results are two-valued as in OData: `middleName ne 'x'` matches rows where it is null.
LIKE's case sensitivity is the database's (SQLite: ASCII case-insensitive).

Any problem with the text raises `ODataError`, never another exception; input over 2000
characters or nested deeper than 50 levels is refused. Mistakes in the model itself
(an unknown field type, clashing names) raise `ValueError` when it is built.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from .compiler import Compiler
from .model import Collection, Field, ODataError, QueryModel
from .navigation import Restrict
from .parser import parse_filter, parse_orderby

__all__ = ["Collection", "Field", "ODataError", "QueryModel", "compile_filter", "compile_orderby"]


def compile_filter(
    text: str, model: QueryModel, *, restrict: Restrict | None = None
) -> ColumnElement[bool]:
    """Compile a `$filter` value into a WHERE condition over `model`'s columns.

    ``restrict(table)``: a criterion (or None) for each table the condition reads besides
    the listed one (the related table of a to-one path): a Core runner's tenant
    criterion. The ORM's tenant criterion covers them without it."""
    return Compiler(model, restrict=restrict).predicate(parse_filter(text, model.date_formats))


def compile_orderby(text: str, model: QueryModel) -> list[ColumnElement]:
    """Compile an `$orderby` value into ORDER BY clauses, e.g. "lastName desc, id"."""
    compiler = Compiler(model)
    clauses = []
    seen = set()
    for path, descending in parse_orderby(text):
        field = compiler.field(path, sorting=True)
        if id(field) in seen:
            raise ODataError(f"Property '{path.text}' is ordered by twice", path.pos)
        seen.add(id(field))
        clauses.append(field.column.desc() if descending else field.column.asc())
    return clauses
