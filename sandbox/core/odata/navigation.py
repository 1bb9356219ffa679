"""A to-one navigation path (``centre/reference``) filtered as ``fk IN (SELECT pk ...)``.

Vendors declare such a path the natural way, as the correlated scalar subquery that
reads the related row's column: ``select(Centre.reference).where(Centre.pk ==
TestSession.centre_pk).scalar_subquery()``, possibly through a join (a session's subject
is its test's). That is right for ``$orderBy``, but as a filter the database evaluates
it once per listed row: it cannot use an index on the related table's column, and it
scans every row of the tenant (issue 9, item 6: the count query of TestSession's
``centre/reference eq 'CEN001'`` alone was half a worker's time at 20k sessions).

The same condition, put on the related table's column inside an uncorrelated
``fk IN (SELECT key FROM related WHERE <condition>)``, is evaluated once: the related
row(s) are found through their own index (tenant_id, reference), and the listed rows
through an index leading with the foreign key (tenant_id, centre_pk, ...).

The two forms select the same rows, given how the scalar subquery behaves:
- the foreign key points at the one related row, so that row's column is the value;
- a NULL foreign key has no related row, so the value is NULL: the rewrite adds
  ``fk IS NULL`` where the condition holds for NULL (``eq null``, ``ne 'x'``).

Tenants: the subquery's related rows may belong to any tenant as far as correctness
goes (a listed row's key only ever points at its own tenant's row), but it should be
limited to the tenant so it uses the (tenant_id, ...) index: the ORM's tenant criterion
adds that to every mapped table in a statement, this subquery included; a Core runner
passes ``restrict`` to ``compile_filter`` to add its own criterion.

Anything that is not exactly this shape is left as it is (filtered per row, correctly).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    FromClause,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    and_,
    or_,
    select,
)
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, ColumnClause
from sqlalchemy.sql.selectable import ScalarSelect, Select
from sqlalchemy.sql.util import find_tables

Restrict = Callable[[FromClause], "ColumnElement[bool] | None"]


@dataclass(frozen=True)
class ToOne:
    """``column`` of the row that ``foreign_key`` (on the listed table) points at by
    ``key``; ``source`` is the FROM the related column is read from (a table or join)."""

    foreign_key: ColumnElement
    key: ColumnElement
    column: ColumnElement
    source: FromClause

    def where(
        self,
        condition: ColumnElement[bool],
        *,
        holds_for_null: bool,
        restrict: Restrict | None = None,
    ) -> ColumnElement[bool]:
        """The listed rows whose related row meets ``condition`` (built on ``column``);
        ``holds_for_null``: whether it is true where there is no related row."""
        related = select(self.key).select_from(self.source).where(condition)
        if restrict is not None:
            for table in _tables(self.source):
                criterion = restrict(table)
                if criterion is not None:
                    related = related.where(criterion)
        found = self.foreign_key.in_(related)
        if getattr(self.foreign_key, "nullable", True) is False:
            return found
        # Two-valued: NULL IN (...) is NULL, which `not` would keep NULL and lose the row.
        linked = and_(self.foreign_key.is_not(None), found)
        return or_(self.foreign_key.is_(None), linked) if holds_for_null else linked


    def equals(self, value, *, restrict: Restrict | None = None) -> ColumnElement[bool] | None:
        """``fk = (SELECT key ... WHERE column = value)`` when ``column`` names at most one
        related row of a tenant (a unique key such as a reference) and ``restrict``
        limits the subquery to the tenant, else None.

        Same rows as the ``IN`` form (a missing related row gives NULL, which equals
        nothing), but the database sees an equality on the foreign key: an index
        leading with (tenant_id, fk, ...) then serves the filter and the ``ORDER BY id``
        of a page together, reading the page's rows only (SQLite plans ``IN`` with a
        sort it avoids by walking the tenant in id order instead)."""
        if not isinstance(self.source, Table) or not _unique_in_tenant(self.column):
            return None
        if restrict is None and "tenant_id" in self.source.c:
            # Unique per tenant only: without the caller's criterion in the subquery
            # (the ORM adds its own, but nothing here can tell), it could see two rows.
            return None
        related = select(self.key).where(self.column == value)
        if restrict is not None:
            criterion = restrict(self.source)
            if criterion is not None:
                related = related.where(criterion)
        return self.foreign_key == related.scalar_subquery()


def _unique_in_tenant(column: ColumnElement) -> bool:
    table = getattr(column, "table", None)
    if not isinstance(table, Table):
        return False
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint):
            names = {c.name for c in constraint.columns} - {"tenant_id"}
            if names == {column.name}:
                return True
    return False


def to_one(column: ColumnElement) -> ToOne | None:
    """The navigation ``column`` reads, when it is the scalar subquery of one related
    row's column, selected by ``related.key == listed.foreign_key`` and nothing else."""
    if not isinstance(column, ScalarSelect) or not isinstance(column.element, Select):
        return None
    query: Select = column.element
    selected = list(query.selected_columns)
    if len(selected) != 1 or not isinstance(selected[0], ColumnClause):
        return None
    if query._group_by_clauses or query._order_by_clauses or query._limit_clause is not None:
        return None
    if query._having_criteria or query._distinct or query._offset_clause is not None:
        return None
    link = query.whereclause
    if not isinstance(link, BinaryExpression) or link.operator is not operators.eq:
        return None
    value_table = getattr(selected[0], "table", None)
    sources = [f for f in query.get_final_froms() if value_table is not None
               and f.is_derived_from(value_table)]
    if len(sources) != 1:
        return None
    source = sources[0]
    inside = [_inside(side, source) for side in (link.left, link.right)]
    if inside == [True, False]:
        key, foreign_key = link.left, link.right
    elif inside == [False, True]:
        key, foreign_key = link.right, link.left
    else:
        return None
    return ToOne(foreign_key=foreign_key, key=key, column=selected[0], source=source)


def _inside(side: ColumnElement, source: FromClause) -> bool | None:
    table = getattr(side, "table", None)
    if not isinstance(side, ColumnClause) or table is None:
        return None
    return source.is_derived_from(table)


def _tables(source: FromClause) -> list[FromClause]:
    return find_tables(source, include_aliases=True)
