"""To-one navigation filters rewritten as ``fk IN (SELECT key ...)`` (core/odata/navigation.py).

The vendor declares ``centre/reference`` as the correlated scalar subquery that reads it;
the compiler filters on it as an uncorrelated ``IN`` instead. The promise is that the
rows are the same, NULL foreign keys and NULL related values included. Each test runs the
rewritten filter and the same filter on the scalar subquery itself (hidden from the
rewrite behind a ``type_coerce``, so the compiler treats it as any other column) and
checks both against a plain-Python reading of the rows.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from exam_sandbox.core.odata import Field, QueryModel, compile_filter
from exam_sandbox.core.odata.navigation import to_one

# A cartesian product or similar in the generated SQL is a bug, not a warning.
pytestmark = pytest.mark.filterwarnings("error::sqlalchemy.exc.SAWarning")

metadata = sa.MetaData()
region = sa.Table(
    "region",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True),
    sa.Column("name", sa.String, nullable=False),
)
parent = sa.Table(
    "parent",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True),
    sa.Column("tenant_id", sa.String, nullable=False),
    sa.Column("reference", sa.String),  # nullable: `eq null` holds for a linked row too
    sa.Column("region_pk", sa.ForeignKey("region.pk"), nullable=False),
)
child = sa.Table(
    "child",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True),
    sa.Column("tenant_id", sa.String, nullable=False),
    sa.Column("parent_pk", sa.ForeignKey("parent.pk")),  # nullable: no related row
    sa.Column("required_parent_pk", sa.ForeignKey("parent.pk"), nullable=False),
)

REGIONS = {1: "North", 2: "South"}
# pk: (tenant, reference, region)
PARENTS = {
    1: ("a", "CEN001", 1),
    2: ("a", "cen002", 2),
    3: ("a", "Other", 1),
    4: ("a", None, 2),
    5: ("b", "CEN001", 2),  # another tenant's row with the same reference
}
# pk: (tenant, parent_pk, required_parent_pk)
CHILDREN = {
    1: ("a", 1, 1),
    2: ("a", 1, 2),
    3: ("a", 2, 3),
    4: ("a", 3, 4),
    5: ("a", 4, 1),
    6: ("a", None, 2),
    7: ("a", None, 3),
    8: ("b", 5, 5),
    9: ("b", None, 5),
}


def reads(column_name: str, value_column, via=None):
    """The vendor's declaration: the related row's column as a correlated scalar subquery."""
    query = sa.select(value_column)
    if via is not None:
        query = query.select_from(via)
    return query.where(parent.c.pk == child.c[column_name]).scalar_subquery()


def model(hidden: bool) -> QueryModel:
    """``hidden``: the same subqueries, which the rewrite does not recognise."""

    def field(column) -> Field:
        return Field(sa.type_coerce(column, sa.String) if hidden else column)

    return QueryModel(
        fields={
            "pk": Field(child.c.pk, "int"),
            "parent/reference": field(reads("parent_pk", parent.c.reference)),
            "required/reference": field(reads("required_parent_pk", parent.c.reference)),
            "parent/region/name": field(
                reads("parent_pk", region.c.name, parent.join(region))
            ),
        }
    )


REWRITTEN, DIRECT = model(hidden=False), model(hidden=True)


@pytest.fixture(scope="module")
def engine():
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(region.insert(), [{"pk": k, "name": v} for k, v in REGIONS.items()])
        connection.execute(
            parent.insert(),
            [
                {"pk": pk, "tenant_id": t, "reference": ref, "region_pk": r}
                for pk, (t, ref, r) in PARENTS.items()
            ],
        )
        connection.execute(
            child.insert(),
            [
                {"pk": pk, "tenant_id": t, "parent_pk": p, "required_parent_pk": q}
                for pk, (t, p, q) in CHILDREN.items()
            ],
        )
    yield engine
    engine.dispose()


def rows(engine, condition) -> list[int]:
    with engine.connect() as connection:
        query = sa.select(child.c.pk).where(condition).order_by(child.c.pk)
        return list(connection.scalars(query))


def fold(text: str) -> str:
    # SQLite's LIKE ignores ASCII case only.
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def value(pk: int, path: str) -> str | None:
    """What the scalar subquery reads for child ``pk``: None without a related row."""
    _tenant, parent_pk, required_pk = CHILDREN[pk]
    if path == "required/reference":
        return PARENTS[required_pk][1]
    if parent_pk is None:
        return None
    if path == "parent/reference":
        return PARENTS[parent_pk][1]
    return REGIONS[PARENTS[parent_pk][2]]


# (filter on a path, what it means for the value v, in OData's two-valued logic)
CASES = [
    ("{p} eq 'CEN001'", lambda v: v == "CEN001"),
    ("{p} eq 'North'", lambda v: v == "North"),
    ("{p} ne 'CEN001'", lambda v: v != "CEN001"),
    ("{p} ne 'North'", lambda v: v != "North"),
    ("{p} eq null", lambda v: v is None),
    ("{p} ne null", lambda v: v is not None),
    ("contains({p},'EN00')", lambda v: v is not None and "en00" in fold(v)),
    ("contains({p},'ort')", lambda v: v is not None and "ort" in fold(v)),
    ("startswith({p},'cen')", lambda v: v is not None and fold(v).startswith("cen")),
    ("startswith({p},'So')", lambda v: v is not None and fold(v).startswith("so")),
    ("endswith({p},'002')", lambda v: v is not None and fold(v).endswith("002")),
    ("not ({p} eq 'CEN001')", lambda v: v != "CEN001"),
    ("not ({p} ne 'CEN001')", lambda v: v == "CEN001"),
    ("not ({p} eq null)", lambda v: v is not None),
    ("not ({p} ne null)", lambda v: v is None),
    ("not contains({p},'EN')", lambda v: v is None or "en" not in fold(v)),
    ("not startswith({p},'cen')", lambda v: v is None or not fold(v).startswith("cen")),
    ("contains({p},'EN') eq false", lambda v: v is None or "en" not in fold(v)),
    ("{p} eq 'CEN001' or {p} eq null", lambda v: v == "CEN001" or v is None),
    # Ordering comparisons are false where there is no related row.
    ("{p} gt 'M'", lambda v: v is not None and v > "M"),
    ("{p} le 'CEN001'", lambda v: v is not None and v <= "CEN001"),
    ("not ({p} gt 'M')", lambda v: v is None or not v > "M"),
]
PATHS = ["parent/reference", "required/reference", "parent/region/name"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("template", "meaning"), CASES, ids=[c[0] for c in CASES])
def test_the_rewrite_selects_the_rows_the_scalar_subquery_selects(
    engine, path, template, meaning
):
    text = template.format(p=path)
    wanted = [pk for pk in CHILDREN if meaning(value(pk, path))]
    assert rows(engine, compile_filter(text, DIRECT)) == wanted
    assert rows(engine, compile_filter(text, REWRITTEN)) == wanted


def test_every_case_is_discriminating():
    # A case that keeps every row or none would not tell the two forms apart.
    for template, meaning in CASES:
        for path in ("parent/reference", "parent/region/name"):
            kept = [pk for pk in CHILDREN if meaning(value(pk, path))]
            if 0 < len(kept) < len(CHILDREN):
                break
        else:
            pytest.fail(f"{template} keeps all rows or none on every path")


def in_subquery(sql: str) -> str:
    """The text inside the parentheses that follow the first ' IN ('."""
    start = sql.index(" IN (") + len(" IN (")
    depth = 1
    for end in range(start, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[end], 0)
        if depth == 0:
            return sql[start:end]
    raise AssertionError(f"unbalanced: {sql}")


def compiled(condition) -> str:
    statement = sa.select(child.c.pk).where(condition)
    # One line: SQLAlchemy breaks lines before FROM and WHERE.
    return " ".join(str(statement.compile(dialect=sqlite.dialect())).split())


@pytest.mark.parametrize(
    "text",
    [
        "parent/reference eq 'CEN001'",
        "parent/reference ne 'CEN001'",
        "parent/reference eq null",
        "contains(parent/reference,'EN')",
        "startswith(parent/reference,'cen')",
        "not (parent/reference eq 'CEN001')",
        "parent/region/name eq 'North'",
    ],
)
def test_the_rewrite_is_an_uncorrelated_in(text):
    sql = compiled(compile_filter(text, REWRITTEN))
    inner = in_subquery(sql)
    assert inner.startswith("SELECT parent.pk FROM parent")
    # Uncorrelated: the listed table appears nowhere inside, so it runs once.
    assert "child" not in inner
    # ... and the per-row form is gone from the statement.
    assert "parent.pk = child.parent_pk" not in sql
    direct = compiled(compile_filter(text, DIRECT))
    assert " IN (" not in direct and "parent.pk = child.parent_pk" in direct


def test_a_not_null_foreign_key_needs_no_null_test():
    sql = compiled(compile_filter("required/reference ne 'CEN001'", REWRITTEN))
    assert "required_parent_pk IS NULL" not in sql
    assert "required_parent_pk IN (" in sql
    sql = compiled(compile_filter("parent/reference ne 'CEN001'", REWRITTEN))
    assert "child.parent_pk IS NULL OR" in sql


def tenant_a(table):
    # The Core runner's tenant criterion: every tenant-scoped table the filter reads.
    return table.c.tenant_id == "a" if "tenant_id" in table.c else None


def test_restrict_adds_its_criterion_inside_the_subquery(engine):
    condition = compile_filter("parent/reference eq 'CEN001'", REWRITTEN, restrict=tenant_a)
    inner = in_subquery(compiled(condition))
    assert "parent.reference = " in inner and "parent.tenant_id = " in inner
    # Limited to tenant a's parents: b's CEN001 (pk 5) no longer qualifies its child.
    assert rows(engine, condition) == [1, 2]
    assert rows(engine, compile_filter("parent/reference eq 'CEN001'", REWRITTEN)) == [1, 2, 8]


def test_restrict_reaches_every_table_of_a_joined_path():
    condition = compile_filter("parent/region/name eq 'North'", REWRITTEN, restrict=tenant_a)
    inner = in_subquery(compiled(condition))
    assert "JOIN region" in inner and "parent.tenant_id = " in inner
    # region has no tenant_id, so restrict gave it nothing.
    assert "region.tenant_id" not in inner


def test_the_exact_shape_is_recognised():
    found = to_one(reads("parent_pk", parent.c.reference))
    assert found is not None
    assert found.foreign_key is child.c.parent_pk and found.key is parent.c.pk
    assert found.column is parent.c.reference and found.source is parent
    # The link written the other way round is the same link.
    mirrored = sa.select(parent.c.reference).where(child.c.parent_pk == parent.c.pk)
    assert to_one(mirrored.scalar_subquery()).foreign_key is child.c.parent_pk


LINK = parent.c.pk == child.c.parent_pk
NOT_EXACT = {
    "ordered": sa.select(parent.c.reference).where(LINK).order_by(parent.c.reference),
    "limited": sa.select(parent.c.reference).where(LINK).limit(1),
    "offset": sa.select(parent.c.reference).where(LINK).offset(1),
    "two columns": sa.select(parent.c.reference, parent.c.pk).where(LINK),
    "an expression": sa.select(sa.func.lower(parent.c.reference)).where(LINK),
    "an aggregate": sa.select(sa.func.max(parent.c.reference)).where(LINK),
    "grouped": sa.select(parent.c.reference).where(LINK).group_by(parent.c.reference),
    "distinct": sa.select(parent.c.reference).where(LINK).distinct(),
    "another condition": sa.select(parent.c.reference).where(LINK, parent.c.tenant_id == "a"),
    "not equality": sa.select(parent.c.reference).where(parent.c.pk > child.c.parent_pk),
    "no link": sa.select(parent.c.reference).where(parent.c.pk == 1),
    "both sides related": sa.select(parent.c.reference).where(parent.c.pk == parent.c.region_pk),
    "no where": sa.select(parent.c.reference),
}


@pytest.mark.parametrize("shape", NOT_EXACT)
def test_a_shape_that_is_not_exact_is_left_as_it_was(engine, shape):
    column = NOT_EXACT[shape].scalar_subquery()
    assert to_one(column) is None
    # ... so the compiler filters on it per row, as written.
    if shape in ("two columns", "no where", "an aggregate", "grouped"):
        return  # not a single value per child; only recognition matters here
    shaped = QueryModel(fields={"v": Field(column)})
    sql = compiled(compile_filter("v eq 'CEN001'", shaped))
    assert " IN (" not in sql


def test_a_plain_column_is_not_navigation():
    assert to_one(child.c.parent_pk) is None
    assert to_one(sa.type_coerce(reads("parent_pk", parent.c.reference), sa.String)) is None


def test_an_exists_is_not_navigation():
    assert to_one(sa.exists().where(LINK)) is None


@pytest.mark.parametrize("path", ["parent/reference", "parent/region/name"])
def test_the_rewrite_holds_on_every_value_the_rows_hold(engine, path):
    # Every value any row reads, compared every way: no hand-picked literal hides a case.
    values = sorted({value(pk, path) for pk in CHILDREN} - {None})
    for literal in values:
        for op in ("eq", "ne"):
            text = f"{path} {op} '{literal}'"
            assert rows(engine, compile_filter(text, REWRITTEN)) == rows(
                engine, compile_filter(text, DIRECT)
            ), text
            negated = f"not ({text})"
            assert rows(engine, compile_filter(negated, REWRITTEN)) == rows(
                engine, compile_filter(negated, DIRECT)
            ), negated


def test_the_direct_form_is_really_correlated():
    # The reference the tests compare against must be the per-row form, or they prove little.
    sql = compiled(compile_filter("parent/reference eq 'CEN001'", DIRECT))
    assert "(SELECT parent.reference FROM parent WHERE parent.pk = child.parent_pk)" in sql, sql


# --- a unique key: an equality on the foreign key ---------------------------------------

unique_metadata = sa.MetaData()
site = sa.Table(
    "site", unique_metadata,
    sa.Column("pk", sa.Integer, primary_key=True),
    sa.Column("tenant_id", sa.String, nullable=False),
    sa.Column("reference", sa.String, nullable=False),
    sa.UniqueConstraint("tenant_id", "reference"),
)
visit = sa.Table(
    "visit", unique_metadata,
    sa.Column("pk", sa.Integer, primary_key=True),
    sa.Column("tenant_id", sa.String, nullable=False),
    sa.Column("site_pk", sa.ForeignKey("site.pk")),
)
SITE_MODEL = QueryModel(fields={"site/reference": Field(
    sa.select(site.c.reference).where(site.c.pk == visit.c.site_pk).scalar_subquery())})


def _tenant_a(table):
    return table.c.tenant_id == "a" if "tenant_id" in table.c else None


@pytest.fixture()
def sites():
    engine = sa.create_engine("sqlite://")
    unique_metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(site.insert(), [
            {"pk": 1, "tenant_id": "a", "reference": "S1"},
            {"pk": 2, "tenant_id": "a", "reference": "S2"},
            {"pk": 3, "tenant_id": "b", "reference": "S1"},  # the same reference elsewhere
        ])
        connection.execute(visit.insert(), [
            {"pk": 1, "tenant_id": "a", "site_pk": 1}, {"pk": 2, "tenant_id": "a", "site_pk": 2},
            {"pk": 3, "tenant_id": "a", "site_pk": None}, {"pk": 4, "tenant_id": "b", "site_pk": 3},
        ])
    return engine


def test_eq_on_a_key_unique_in_the_tenant_is_an_equality_with_the_tenants_row(sites):
    condition = compile_filter("site/reference eq 'S1'", SITE_MODEL, restrict=_tenant_a)
    sql = str(condition.compile(dialect=sqlite.dialect()))
    assert "visit.site_pk = (SELECT site.pk" in sql and " IN (" not in sql, sql
    with sites.connect() as connection:
        found = connection.execute(
            sa.select(visit.c.pk).where(visit.c.tenant_id == "a", condition)
        ).scalars().all()
    assert found == [1]


def test_eq_on_a_unique_key_without_a_tenant_criterion_stays_an_in(sites):
    condition = compile_filter("site/reference eq 'S1'", SITE_MODEL)
    sql = str(condition.compile(dialect=sqlite.dialect()))
    assert "visit.site_pk IN (SELECT site.pk" in sql, sql
