"""Hot-path SQL: statements written with SQLAlchemy Core, compiled once per dialect, and
run with bound parameters on the DB-API connection.

Building and compiling a Core statement costs ~35-40 µs each time; an ORM query several
times that (issue 9's profiles). A ``Statement`` pays once, at first use per dialect,
and afterwards an execution is the driver's ``execute`` plus the type conversions the
column types need (dates, JSON, booleans), nothing else. Rows come back as tuples, or
as instances of the plain class the statement names.

Tenant isolation by construction, as the ORM's criterion does it for ORM statements
(``tenant_criterion``): every tenant-scoped table (one with a ``tenant_id`` column) a
statement reads, changes or deletes must be limited by ``tenant_is(table)``, which binds
the parameter ``tenant_id``; compiling a statement that leaves one unlimited raises, so
it never runs. The value of ``tenant_id``, in criteria and in inserted rows alike, is
always the runner's tenant (the request scope's), never a caller's argument.

Nothing here is specific to SQLite: the SQL comes from the dialect's compiler, and the
parameters are passed in the dialect's own style (positional or named).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, insert, literal_column, select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, ColumnElement, Grouping
from sqlalchemy.sql.selectable import Join, Select

TENANT = "tenant_id"  # the bound parameter every tenant-scoped statement takes
MAX_ID = 2**63 - 1  # the largest id a lookup can bind (SQLite's integer), for every lookup


class UnscopedStatement(RuntimeError):
    """A statement reads or changes a tenant-scoped table without the tenant criterion."""


def tenant_is(table) -> ColumnElement[bool]:
    """``table.tenant_id = :tenant_id``: the criterion a hot-path statement must carry for
    every tenant-scoped table (or alias) it uses; the runner supplies the value."""
    return table.c.tenant_id == bindparam(TENANT)


def tenant_check(table) -> ColumnElement[bool]:
    """``tenant_is`` for rows found by primary key (``pk IN (...)``): the same criterion,
    written so no index can serve it (``tenant_id || '' = :tenant_id``), which leaves the
    database the primary key as the only way in. Without statistics SQLite takes an
    equality on an index's first column for a handful of rows and, given ten pks or
    more, walks every row of the tenant by its (tenant_id, ...) index instead (7 ms for
    40 candidates at 100k); PostgreSQL plans the same text by its primary key."""
    return table.c.tenant_id.concat(literal_column("''")) == bindparam(TENANT)


def select_by(table, column: str, *selected: str, row: type | None = None,
              name: str | None = None, order: str | None = None,
              limit: int | None = None) -> Statement:
    """The ``selected`` columns of the tenant's ``table`` rows whose ``column`` equals the
    parameter ``value`` (optionally ordered by ``order`` and limited): the shape of most
    hot-path lookups."""

    def build():
        query = select(*(table.c[c] for c in selected)).where(
            tenant_is(table), table.c[column] == bindparam("value")
        )
        if order is not None:
            query = query.order_by(table.c[order])
        return query.limit(limit) if limit is not None else query

    return Statement(build, row=row, name=name or f"{table.name} by {column}")


def first_by_ref(sql: SqlRunner, statements: dict, ref: dict | None):
    """The row named by ``{"id": ...}`` or ``{"reference": ...}`` (the id wins), as
    ``core.lookups.by_ref`` finds it; ``statements`` are ``select_by`` lookups keyed
    "id" and "reference"."""
    if not ref:
        return None
    if ref.get("id") is not None:
        if not 0 < ref["id"] <= MAX_ID:  # SQLite cannot even bind a larger integer
            return None
        return sql.first(statements["id"], value=ref["id"])
    if ref.get("reference"):
        return sql.first(statements["reference"], value=ref["reference"])
    return None


def insert_row(table, *names: str):
    """``INSERT INTO table`` taking ``names`` as parameters (``tenant_id`` always, from the
    runner) and every other column's scalar default as the ORM would have filled it in;
    a column with a computed default must be among ``names``."""
    values = {name: bindparam(name) for name in (TENANT, *names) if name in table.c}
    for column in table.c:
        if column.name in values or column.default is None:
            continue
        if not column.default.is_scalar:
            raise TypeError(f"{table.name}.{column.name} has a computed default: pass it")
        values[column.name] = column.default.arg
    return insert(table).values(values)


class Statement:
    """A Core statement, built by ``build`` and compiled at first use per dialect.

    ``row``: a class built from each result row's values in order (a dataclass whose
    fields are the selected columns, in order; checked when compiled).
    ``expanding``: names of list parameters (``bindparam(name, expanding=True)``); the
    statement is compiled once per dialect and list lengths.
    """

    __slots__ = ("_build", "row", "expanding", "name", "_forms", "_lock")

    def __init__(
        self,
        build: Callable[[], Any],
        *,
        row: type | None = None,
        expanding: Sequence[str] = (),
        name: str | None = None,
    ) -> None:
        self._build = build
        self.row = row
        self.expanding = tuple(expanding)
        self.name = name or getattr(build, "__qualname__", "statement")
        self._forms: dict[tuple, _Form] = {}
        self._lock = threading.Lock()

    def form(self, dialect: Dialect, params: dict) -> _Form:
        key = (dialect.name, *(len(params[name]) for name in self.expanding))
        found = self._forms.get(key)
        if found is None:
            with self._lock:
                found = self._forms.get(key)
                if found is None:
                    found = self._forms[key] = _Form.compile(self, dialect, params)
        return found


class _Form:
    """One compiled form: the SQL text and how to turn parameters and rows around."""

    __slots__ = (
        "sql", "order", "binds", "defaults", "results", "row", "expanding", "needs_tenant"
    )

    @classmethod
    def compile(cls, statement: Statement, dialect: Dialect, params: dict) -> _Form:
        built = statement._build()
        _check_tenant_criteria(built, statement.name)
        # Literal IN lists render now (render_postcompile), which needs a value for every
        # parameter: placeholders for the callers' ones, and for each list parameter one
        # of its length, so a form serves one length (name_1 .. name_n).
        required = {
            element.key
            for element in visitors.iterate(built)
            if isinstance(element, BindParameter) and element.required
        }
        if isinstance(built, Select):
            built = built.params(
                {
                    name: list(range(len(params[name]))) if name in statement.expanding else None
                    for name in required
                }
            )
            compiled = built.compile(
                dialect=dialect, compile_kwargs={"render_postcompile": True}
            )
        else:  # INSERT/UPDATE/DELETE take no .params(); nor, here, a list parameter
            compiled = built.compile(dialect=dialect)
            if "POSTCOMPILE" in compiled.string:
                raise TypeError(f"{statement.name}: an IN list in an INSERT/UPDATE/DELETE")
        self = cls()
        self.needs_tenant = TENANT in compiled.binds
        inserts = built.__visit_name__ == "insert" and _is_tenant_scoped(built.table)
        if inserts and not self.needs_tenant:
            raise UnscopedStatement(f"{statement.name}: an insert that sets no tenant_id")
        self.sql = compiled.string
        self.order = tuple(compiled.positiontup) if compiled.positional else None
        expanded_types = {}
        for name in statement.expanding:
            original = _find_bind(built, name)
            for index in range(len(params[name])):
                expanded_types[f"{name}_{index + 1}"] = original.type
        self.binds = {}
        self.defaults = {}
        for name, bind in compiled.binds.items():
            kind = expanded_types.get(name, bind.type)
            process = kind.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                self.binds[name] = process
            if name not in expanded_types and name not in required and name != TENANT:
                self.defaults[name] = bind.effective_value
        # A list written into the statement (``col.in_((1, 2))``) was rendered as
        # parameters name_1 .. name_n like a caller's list: its values are defaults.
        for bind, name in compiled.bind_names.items():
            if bind.expanding and not bind.required and name not in statement.expanding:
                for index, item in enumerate(bind.effective_value):
                    expanded = f"{name}_{index + 1}"
                    process = bind.type.dialect_impl(dialect).bind_processor(dialect)
                    self.defaults[expanded] = item if process is None else process(item)
        self.expanding = tuple(statement.expanding)
        columns = list(getattr(built, "exported_columns", ()) or ())
        self.results = tuple(
            (index, processor)
            for index, column in enumerate(columns)
            if (processor := _result_processor(column.type, dialect)) is not None
        )
        self.row = statement.row
        if self.row is not None:
            _check_row_class(self.row, columns, statement.name)
        return self

    def parameters(self, params: dict) -> tuple | dict:
        values = {**self.defaults, **params}
        for name in self.expanding:
            items = values.pop(name)
            values.update({f"{name}_{i + 1}": item for i, item in enumerate(items)})
        for name, process in self.binds.items():
            value = values.get(name)
            if value is not None:
                values[name] = process(value)
        if self.order is None:
            return values
        return tuple(values[name] for name in self.order)

    def convert(self, rows: Iterable[tuple]) -> list:
        results, row = self.results, self.row
        if results:
            converted = []
            for values in rows:
                values = list(values)
                for index, process in results:
                    values[index] = process(values[index])
                converted.append(values)
            rows = converted
        if row is not None:
            return [row(*values) for values in rows]
        return [tuple(values) for values in rows] if results else list(rows)


def _result_processor(kind, dialect: Dialect):
    """What turns a driver's value of ``kind`` into the column type's Python value.

    Asked before any row exists, so without the result's column type code: SQLite's
    processors never need it; psycopg's numeric ones do, and there the driver already
    returns the Python value (float for double precision), so none is needed."""
    try:
        return kind.dialect_impl(dialect).result_processor(dialect, None)
    except TypeError:
        return None


class SqlRunner:
    """Runs ``Statement``s for one tenant on a connection it is handed on first use.

    ``connect`` returns the SQLAlchemy ``Connection`` the statements should run on (the
    request's current transaction), so hot-path SQL and any ORM work of the same request
    share one transaction.
    """

    __slots__ = ("tenant_id", "_connect")

    def __init__(self, tenant_id: str | None, connect: Callable[[], Connection]) -> None:
        self.tenant_id = tenant_id
        self._connect = connect

    def _cursor_run(self, statement: Statement, params: dict):
        connection = self._connect()
        form = statement.form(connection.dialect, params)
        if form.needs_tenant:
            if self.tenant_id is None:
                raise UnscopedStatement(f"{statement.name} needs a runner bound to a tenant")
            params[TENANT] = self.tenant_id  # always the scope's, whatever was passed
        cursor = connection.connection.driver_connection.cursor()
        cursor.execute(form.sql, form.parameters(params))
        return form, cursor

    def all(self, statement: Statement, **params) -> list:
        form, cursor = self._cursor_run(statement, params)
        try:
            return form.convert(cursor.fetchall())
        finally:
            cursor.close()

    def first(self, statement: Statement, **params):
        """The first row, or ``None``."""
        form, cursor = self._cursor_run(statement, params)
        try:
            found = cursor.fetchone()
        finally:
            cursor.close()
        return None if found is None else form.convert((found,))[0]

    def scalar(self, statement: Statement, **params):
        """The first column of the first row, or ``None``."""
        form, cursor = self._cursor_run(statement, params)
        try:
            found = cursor.fetchone()
        finally:
            cursor.close()
        if found is None:
            return None
        return form.convert((found,))[0][0] if form.results else found[0]

    def run(self, statement: Statement, **params) -> int:
        """Execute a statement without rows to read; returns the rows it changed."""
        _form, cursor = self._cursor_run(statement, params)
        try:
            return cursor.rowcount
        finally:
            cursor.close()


# --- the tenant criterion check ------------------------------------------------------


def _is_tenant_scoped(from_) -> bool:
    columns = getattr(from_, "c", None)
    return columns is not None and "tenant_id" in columns


def _flatten(from_) -> Iterable:
    if isinstance(from_, Join):
        yield from _flatten(from_.left)
        yield from _flatten(from_.right)
    else:
        yield from_


def _unchecked(column):
    """The tenant_id column inside ``tenant_check``'s ``tenant_id || ''``."""
    column = getattr(column, "element", column) if isinstance(column, Grouping) else column
    if (
        isinstance(column, BinaryExpression)
        and column.operator is operators.concat_op
        and getattr(column.right, "name", None) == "''"
    ):
        return column.left
    return column


def _identity(from_) -> int:
    """The same table whether or not the ORM annotated it (an ORM join's sides are
    annotated copies of the tables a Core criterion names)."""
    deannotate = getattr(from_, "_deannotate", None)
    return id(deannotate() if deannotate is not None else from_)


def _check_tenant_criteria(statement, name: str) -> None:
    """Raise unless every tenant-scoped FROM of every (sub)statement is limited by
    ``tenant_is`` (an INSERT's own table is checked once compiled: it must bind
    ``tenant_id``, which the runner fills)."""
    used: list = []
    limited: set[int] = set()
    for element in visitors.iterate(statement):
        if isinstance(element, Select):
            for from_ in element.get_final_froms():
                used.extend(f for f in _flatten(from_) if _is_tenant_scoped(f))
        elif element.__visit_name__ in ("update", "delete") and _is_tenant_scoped(element.table):
            used.append(element.table)
        elif isinstance(element, BinaryExpression) and element.operator is operators.eq:
            for column, other in ((element.left, element.right), (element.right, element.left)):
                column = _unchecked(column)
                if (
                    isinstance(other, BindParameter)
                    and other.key == TENANT
                    and getattr(column, "name", None) == "tenant_id"
                    and getattr(column, "table", None) is not None
                ):
                    limited.add(_identity(column.table))
    # An alias is named by the table it aliases (an anonymous alias renders as nothing).
    unlimited = sorted(
        {str(getattr(f, "original", f)) for f in used if _identity(f) not in limited}
    )
    if unlimited:
        raise UnscopedStatement(
            f"{name}: tenant-scoped {', '.join(unlimited)} without tenant_is(...)"
        )


def _find_bind(statement, name: str) -> BindParameter:
    for element in visitors.iterate(statement):
        if isinstance(element, BindParameter) and element.key == name:
            return element
    raise KeyError(f"no bound parameter {name!r}")


def _check_row_class(row: type, columns: list, name: str) -> None:
    fields = getattr(row, "__dataclass_fields__", None)
    if fields is None:
        return
    wanted = [c.key if getattr(c, "key", None) else c.name for c in columns]
    if list(fields)[: len(wanted)] != wanted:
        raise TypeError(f"{name}: {row.__name__} fields {list(fields)} != columns {wanted}")
