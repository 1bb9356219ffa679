"""List pages on precompiled SQL (issue 9, item 3): the rules of ``listing.py``, the
statements of ``sql.py``.

A list's statements depend on the request only through its ``$filter`` and ``$orderBy``
texts (paging is bound): the count and the page statement are built and compiled once
per list and pair of texts, kept in a bounded LRU, so a client that repeats its queries
(as integrations do) pays the OData compiler and SQLAlchemy's compiler once. Each value
a filter names is bound, never written into the SQL text.

A page is one count, one select of the listed table's columns, and one statement per
to-many relationship the answer shows (``Related``), for every row of the page at once
(``owner_pk IN (...)``): no ORM object, identity map or eager load. Rows are plain
objects whose attributes are the table's column keys and the relationships' names,
which is what the vendors' response schemas read.

Tenant isolation is ``sql.py``'s: every table, the filter's subqueries included, carries
``tenant_is``, and a statement that does not is refused when compiled.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, make_dataclass
from functools import cache
from threading import Lock

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.sql import operators
from sqlalchemy.sql.selectable import ScalarSelect
from sqlalchemy.sql.util import find_tables

from .errors import SandboxError
from .listing import (
    ListingRules,
    Page,
    compile_query_filter,
    compile_query_order,
    filter_option,
    orderby_option,
    page_of,
    paging,
)
from .odata import QueryModel
from .sql import SqlRunner, Statement, tenant_is

OWNERS = "owners"  # the expanding parameter of a Related statement: the page's pks


@cache
def _related_statement(build: Callable, attribute: str) -> Statement:
    """The statement of a ``Related`` or ``RelatedOne``, made once per relationship (its
    compiled forms are kept on it)."""
    return Statement(build, expanding=[OWNERS], name=f"related {attribute}")


@dataclass(frozen=True)
class Related:
    """A to-many relationship a page shows: ``build()`` selects rows whose first column
    is the owner's pk, limited by ``owner IN :owners`` and ``tenant_is`` on its tables;
    the other columns make the ``row`` objects put in the owner's ``attribute`` list."""

    attribute: str
    build: Callable
    row: type

    @property
    def statement(self) -> Statement:
        return _related_statement(self.build, self.attribute)

    def attach(self, sql: SqlRunner, items: list) -> None:
        by_pk = {item.pk: getattr(item, self.attribute) for item in items}
        if not by_pk:
            return
        row = self.row
        for owner, *values in sql.all(self.statement, **{OWNERS: list(by_pk)}):
            by_pk[owner].append(row(*values))


@dataclass(frozen=True)
class RelatedOne:
    """A to-one relationship a page shows: the row its ``foreign_key`` (a column of the
    listed table) points at. ``build()`` selects rows whose first column is that row's
    pk, limited by ``pk IN :owners`` and ``tenant_is``; ``row`` is called with the other
    columns and put in ``attribute`` (None where the key is NULL)."""

    attribute: str
    foreign_key: str
    build: Callable
    row: Callable

    @property
    def statement(self) -> Statement:
        return _related_statement(self.build, self.attribute)

    def attach(self, sql: SqlRunner, items: list) -> None:
        keys = {getattr(item, self.foreign_key) for item in items} - {None}
        if not keys:
            return
        row = self.row
        found = {pk: row(*values) for pk, *values in sql.all(self.statement,
                                                              **{OWNERS: sorted(keys)})}
        for item in items:
            setattr(item, self.attribute, found.get(getattr(item, self.foreign_key)))


@dataclass(frozen=True, eq=False)
class Listing:
    """A vendor's list of ``table`` rows: its OData model, the relationships its items
    show, and its ordering when the query names none (id, so pages never overlap)."""

    table: Table
    query_model: QueryModel
    related: tuple[Related | RelatedOne, ...] = ()
    capacity: int = 256  # distinct filter/order texts kept compiled

    def __post_init__(self) -> None:
        object.__setattr__(self, "_statements", OrderedDict())
        object.__setattr__(self, "_lock", Lock())

    @property
    def row(self) -> type:
        return row_class(
            self.table,
            tuple(r.attribute for r in self.related if isinstance(r, Related)),
            tuple(r.attribute for r in self.related if isinstance(r, RelatedOne)),
        )

    def statements(self, filter_text: str | None, orderby_text: str | None,
                   rules: ListingRules) -> tuple[Statement, Statement]:
        """The count and page statements for these texts, compiled once (LRU)."""
        key = (filter_text, orderby_text)
        found = self._statements.get(key)
        if found is not None:
            with self._lock:
                if key in self._statements:
                    self._statements.move_to_end(key)
            return found
        built = self._build(filter_text, orderby_text, rules)
        with self._lock:
            self._statements[key] = built
            while len(self._statements) > self.capacity:
                self._statements.popitem(last=False)
        return built

    def _build(self, filter_text, orderby_text, rules) -> tuple[Statement, Statement]:
        table = self.table
        where = [tenant_is(table)]
        if filter_text is not None:
            where.append(compile_query_filter(filter_text, self.query_model, rules,
                                              restrict=_restrict))
        order = [
            *(_restricted(term) for term in compile_query_order(orderby_text,
                                                                 self.query_model, rules)),
            table.c.id.asc(),
        ]
        count = Statement(lambda: select(func.count()).select_from(table).where(*where),
                          name=f"count of {table.name}")
        page = Statement(
            lambda: select(*table.c).where(*where).order_by(*order)
            .limit(bindparam("top")).offset(bindparam("skip")),
            row=self.row,
            name=f"page of {table.name}",
        )
        return count, page

    def page(self, sql: SqlRunner, args: dict, *, rules: ListingRules, max_top: int,
             default_top: int | None = None, clamp_top: bool = False) -> Page:
        """One page of the tenant's rows matching the request's query."""
        top, skip = paging(args, rules, max_top=max_top, default_top=default_top,
                            clamp_top=clamp_top)
        filter_text = filter_option(args, rules)
        try:
            orderby_text = orderby_option(args, rules)
        except SandboxError:
            if filter_text is not None:  # a bad filter is reported first (listing.py)
                self.statements(filter_text, None, rules)
            raise
        count, page = self.statements(filter_text, orderby_text, rules)
        total = sql.scalar(count)
        items = sql.all(page, top=top, skip=skip) if total > skip else []
        for related in self.related:
            related.attach(sql, items)
        return page_of(items, total, top, skip)

    def by_key(self, sql: SqlRunner, column: str, value):
        """The row whose ``column`` equals ``value``, with its relationships, or None."""
        found = sql.first(_by_key(self, column), value=value)
        if found is not None:
            for related in self.related:
                related.attach(sql, [found])
        return found


@cache
def _by_key(listing: Listing, column: str) -> Statement:
    table = listing.table
    return Statement(
        lambda: select(*table.c).where(tenant_is(table), table.c[column] == bindparam("value")),
        row=listing.row,
        name=f"{table.name} by {column}",
    )


def _restrict(table):
    """The tenant criterion for a table a filter's subquery reads (none for a table
    without tenant rows)."""
    return tenant_is(table) if "tenant_id" in table.c else None


def _restricted(term):
    """An ``$orderBy`` term with the tenant criterion inside it: a navigation property
    sorts by a correlated scalar subquery, whose tables need ``tenant_is`` like any."""
    inner = getattr(term, "element", None)
    if not isinstance(inner, ScalarSelect):
        return term
    query = inner.element
    for table in find_tables(query, include_aliases=True):
        criterion = _restrict(table)
        if criterion is not None:
            query = query.where(criterion)
    rebuilt = query.scalar_subquery()
    return rebuilt.desc() if term.modifier is operators.desc_op else rebuilt.asc()


@cache
def row_class(table: Table, lists: tuple[str, ...] = (), ones: tuple[str, ...] = ()) -> type:
    """A plain class with one attribute per column of ``table`` (in order, for the
    page statement's rows), an empty list per name in ``lists`` (to-many relationships)
    and None per name in ``ones`` (to-one)."""
    columns = [column.key for column in table.c]
    return make_dataclass(
        f"{table.name.title().replace('_', '')}Row",
        [
            *columns,
            *((name, list, field(default_factory=list)) for name in lists),
            *((name, object, field(default=None)) for name in ones),
        ],
        slots=True,
    )
