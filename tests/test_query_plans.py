"""Query plans on the app's real database (revision 0003, "plans that scale").

Each index that revision added serves a statement a POST or a list page runs. An index
the planner does not pick costs a B-tree write per insert and saves nothing, so these
tests ask SQLite (``EXPLAIN QUERY PLAN``) how it runs each statement and check that it
searches through the index instead of walking the tenant's rows. The statements are the
sandbox's own wherever they can be had: the precompiled hot-path statements, the OData
compiler's output for the vendor's query model, and the SQL the ORM emits for its loads.
The database carries no ``sqlite_stat1`` (the sandbox never runs ANALYZE), so the plans
are the planner's fixed heuristics, the same on every machine.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import bindparam, event, func, select
from sqlalchemy.dialects import sqlite

from exam_sandbox.core.odata import Field, QueryModel, compile_filter
from exam_sandbox.core.tenant_criterion import bind_session
from exam_sandbox.providers.janison.tables import JResult, JTestPackage
from exam_sandbox.providers.surpass.models import schedule_sql
from exam_sandbox.providers.surpass.routes.sessions import SESSION_QUERY

# Aliased: pytest would try to collect a module-level class named Test*.
from exam_sandbox.providers.surpass.tables import Candidate
from exam_sandbox.providers.surpass.tables import Test as SurpassTest
from exam_sandbox.providers.surpass.tables import TestSession as SurpassSession

DEMO = "demo"  # the tenant every start ensures, seeded for every vendor

# SQLite's planner: PostgreSQL plans by statistics (tests/stores.py).
pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="module")
def db(app):
    return app.extensions["exam_sandbox"].db


def plan(db, sql: str, params: tuple | dict = ()) -> list[str]:
    """SQLite's plan for ``sql``, one detail line per step (``SEARCH t USING INDEX ...``)."""
    with db.reader.connect() as connection:
        found = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return [row[-1] for row in found]


def compiled(statement) -> tuple[str, dict]:
    """The statement's SQLite text (named parameters, so EXPLAIN binds them by name)."""
    form = statement.compile(dialect=sqlite.dialect(paramstyle="named"))
    return form.string, dict(form.params)


def searches(steps: list[str], table: str, index: str) -> bool:
    pattern = rf"SEARCH {table} USING (COVERING )?INDEX {index} \("
    return any(re.match(pattern, step) for step in steps)


def assert_served(steps: list[str], table: str, index: str) -> None:
    assert searches(steps, table, index), f"{table} not searched with {index}: {steps}"
    # ... and the table is never walked whole.
    assert not any(step.startswith(f"SCAN {table}") for step in steps), steps


def tenant_is(table):
    # The Core runners' tenant criterion (a bound parameter, as core/sql.py writes it).
    return table.c.tenant_id == bindparam("tenant", DEMO) if "tenant_id" in table.c else None


# --- Surpass --------------------------------------------------------------------------


CANDIDATE_NAMES = QueryModel(fields={"lastName": Field(Candidate.last_name)})


def test_candidate_startswith_searches_the_folded_last_name_index(db):
    condition = compile_filter("startswith(lastName,'Ham')", CANDIDATE_NAMES)
    where = (Candidate.tenant_id == DEMO, condition)
    # The list page's count, and the page itself (ordered by id, 40 rows).
    count = select(func.count(Candidate.pk)).where(*where)
    page = select(Candidate.id, Candidate.last_name).where(*where).order_by(Candidate.id)
    for statement in (count, page.limit(40)):
        sql, params = compiled(statement)
        assert "lower(surpass_candidate.last_name) >=" in sql
        assert_served(plan(db, sql, params), "surpass_candidate",
                      "ix_surpass_candidate_last_name_folded")


def test_candidate_startswith_finds_the_same_rows_as_a_scan(db):
    # The index must not change the answer: compare with Python over the tenant's rows.
    condition = compile_filter("startswith(lastName,'Ha')", CANDIDATE_NAMES)
    with db.reader.connect() as connection:
        everyone = connection.execute(
            select(Candidate.id, Candidate.last_name).where(Candidate.tenant_id == DEMO)
        ).all()
        found = connection.scalars(
            select(Candidate.id).where(Candidate.tenant_id == DEMO, condition)
            .order_by(Candidate.id)
        ).all()
    wanted = [i for i, name in everyone if name.lower().startswith("ha")]
    assert found == sorted(wanted) and wanted  # the seed has some, or this proves nothing


def hot_path(statement) -> str:
    """A precompiled hot-path statement's SQLite text, as the runner executes it."""
    return statement.form(sqlite.dialect(), {}).sql


def test_a_test_is_found_by_reference_through_its_index(db):
    # The ORM's lookup by reference (core/lookups.by_reference), with the tenant criterion.
    sql, params = compiled(
        select(SurpassTest.pk).where(
            SurpassTest.tenant_id == DEMO, SurpassTest.reference == "MATHS-FND"
        )
    )
    assert_served(plan(db, sql, params), "surpass_test", "ix_surpass_test_reference")


def test_post_testschedule_finds_tests_by_reference_in_id_order_through_the_index(db):
    # id is the index's last column, so the ORDER BY needs neither a sort nor a walk of
    # the tenant's tests by (tenant_id, id).
    found = plan(db, hot_path(schedule_sql.TESTS_BY_REFERENCE), (DEMO, "MATHS-FND"))
    assert_served(found, "surpass_test", "ix_surpass_test_reference")
    assert not any("TEMP B-TREE" in step for step in found), found


def test_a_tests_forms_are_found_through_the_form_index(db):
    sql = hot_path(schedule_sql.FORMS_OF_TEST)
    assert "surpass_test_form.test_pk = ?" in sql
    steps = plan(db, sql, (DEMO, 1))
    assert_served(steps, "surpass_test_form", "ix_surpass_test_form_test")
    # (test_pk, id): the forms come out in id order, no sort step.
    assert not any("TEMP B-TREE" in step for step in steps), steps


def session_filter(text: str):
    return compile_filter(text, SESSION_QUERY, restrict=tenant_is)


def test_sessions_by_centre_and_state_are_counted_from_the_centre_state_index(db):
    condition = session_filter("centre/reference eq 'CEN001' and state eq 1")
    count = select(func.count(SurpassSession.pk)).where(tenant_is(SurpassSession.__table__),
                                                     condition)
    sql, params = compiled(count)
    # centre/reference is unique in a tenant: an equality with one scalar subquery.
    assert "surpass_test_session.centre_pk = (SELECT surpass_centre.pk" in sql
    steps = plan(db, sql, params)
    # The count reads the index alone; the centre is found by its own (tenant, reference).
    assert searches(steps, "surpass_test_session", "ix_surpass_session_centre_state")
    assert any("COVERING INDEX ix_surpass_session_centre_state" in s for s in steps), steps
    assert searches(steps, "surpass_centre", r"sqlite_autoindex_surpass_centre_\d+")
    assert not any(s.startswith(("SCAN surpass_test_session", "SCAN surpass_centre"))
                   for s in steps), steps


def test_a_page_of_sessions_by_centre_and_state_reads_only_its_rows(db):
    # The page, ORDER BY id LIMIT 40: the equality on centre_pk lets the (tenant_id,
    # centre_pk, state, id) index serve filter and order at once; with `IN (...)` SQLite
    # walked the tenant's sessions in id order instead.
    condition = session_filter("centre/reference eq 'CEN001' and state eq 1")
    page = (select(SurpassSession.pk).where(tenant_is(SurpassSession.__table__), condition)
            .order_by(SurpassSession.id).limit(40))
    steps = plan(db, *compiled(page))
    assert_served(steps, "surpass_test_session", "ix_surpass_session_centre_state")
    assert not any("TEMP B-TREE" in step for step in steps), steps


def test_sessions_of_one_centre_use_the_centre_state_index(db):
    # The PIN-sharing and open-session rules look sessions up by a known centre pk.
    sql, params = compiled(
        select(SurpassSession.id)
        .where(tenant_is(SurpassSession.__table__), SurpassSession.centre_pk == 1,
               SurpassSession.state == 1)
        .order_by(SurpassSession.id)
    )
    assert_served(plan(db, sql, params), "surpass_test_session",
                  "ix_surpass_session_centre_state")


# --- Janison (SQL as the ORM emits it) --------------------------------------------------


def orm_sql(db, load: Callable) -> list[tuple[str, tuple | dict]]:
    """Every statement ``load(session)`` sends, with its parameters, in a session bound
    to the demo tenant (so the tenant criterion is in them, as in a request)."""
    sent: list[tuple[str, tuple | dict]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    event.listen(db.reader, "before_cursor_execute", record)
    try:
        with db.session(write=False) as session:
            bind_session(session, DEMO)
            load(session)
    finally:
        event.remove(db.reader, "before_cursor_execute", record)
    return sent


def reading(sent, table: str) -> tuple[str, tuple | dict]:
    (found,) = [(sql, p) for sql, p in sent if re.search(rf"\bFROM {table}\b", sql)]
    return found


def test_a_package_is_found_by_reference_and_its_components_by_package(db):
    with db.reader.connect() as connection:
        reference = connection.scalar(
            select(JTestPackage.reference).where(JTestPackage.tenant_id == DEMO).limit(1)
        )
    assert reference is not None  # the demo tenant has Janison packages

    def load(session):
        package = session.scalars(
            select(JTestPackage).where(JTestPackage.reference == reference)
        ).one()
        assert package.components  # the selectin load ran

    sent = orm_sql(db, load)
    sql, params = reading(sent, "janison_testpackage")
    assert "janison_testpackage.reference = " in sql and "tenant_id" in sql
    assert_served(plan(db, sql, params), "janison_testpackage",
                  "ix_janison_testpackage_reference")
    sql, params = reading(sent, "janison_component")
    assert "janison_component.package_pk IN " in sql
    steps = plan(db, sql, params)
    assert_served(steps, "janison_component", "ix_janison_component_package")


def test_a_results_components_are_found_by_result(db):
    # One result, as GET .../results/{id} loads it (the selectin load of JResult.components).
    def load(session):
        result = session.scalars(select(JResult).order_by(JResult.id).limit(1)).one()
        assert result.components  # seeded with components, or this proves nothing

    sql, params = reading(orm_sql(db, load), "janison_result_component")
    assert "janison_result_component.result_pk IN " in sql
    assert_served(plan(db, sql, params), "janison_result_component",
                  "ix_janison_result_component_result")


# --- no index on tenant_id alone ---------------------------------------------------------


def indexes(db) -> dict[str, list[tuple[str, bool, str, list[str | None]]]]:
    """Each table's indexes: (name, unique, origin, columns); an expression is None."""
    found = {}
    with db.reader.connect() as connection:
        run = connection.exec_driver_sql
        tables = [r[0] for r in run("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            found[table] = [
                (name, bool(unique), origin,
                 [r[2] for r in run(f"PRAGMA index_info('{name}')").fetchall()])
                for _seq, name, unique, origin, _partial in run(
                    f"PRAGMA index_list('{table}')"
                ).fetchall()
            ]
    return found


def with_tenant_id(db) -> list[str]:
    with db.reader.connect() as connection:
        run = connection.exec_driver_sql
        tables = [r[0] for r in run("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [
            t for t in tables
            if "tenant_id" in [c[1] for c in run(f"PRAGMA table_info('{t}')").fetchall()]
        ]


def test_no_tenant_scoped_table_has_an_index_on_tenant_id_alone(db):
    found = indexes(db)
    scoped = with_tenant_id(db)
    assert {"surpass_candidate", "janison_component", "surpass_test_session"} <= set(scoped)
    for table in ("surpass_candidate", "janison_component", "surpass_test_session"):
        assert f"ix_{table}_tenant_id" not in [name for name, *_ in found[table]]
    # An index on tenant_id alone is spare wherever another index leads with tenant_id
    # (every TenantScoped table's unique (tenant_id, id)): it costs a write per insert
    # and serves nothing the other does not. janison_credential, one row per tenant and
    # no other index, keeps its own.
    spare = [
        (table, name)
        for table in scoped
        for name, unique, _origin, columns in found[table]
        if columns == ["tenant_id"] and not unique
        and any(other[:1] == ["tenant_id"] and len(other) > 1
                for _n, _u, _o, other in found[table])
    ]
    assert spare == []


def test_a_page_of_results_reads_its_components_by_their_results(db):
    # Forty results at once: with `tenant_is` SQLite walked every result component of
    # the tenant by (tenant_id, id); `tenant_check` leaves it the (result_pk, id) index.
    from exam_sandbox.providers.janison.models.result_page import COMPONENTS_OF

    sql = COMPONENTS_OF.form(sqlite.dialect(), {"result_pks": list(range(40))}).sql
    steps = plan(db, sql, ("t",) * sql.count("?"))
    assert_served(steps, "janison_result_component", "ix_janison_result_component_result")
    assert not any("TEMP B-TREE" in step for step in steps), steps


def test_a_page_of_sessions_reads_its_candidates_by_primary_key(db):
    from exam_sandbox.providers.surpass.routes.sessions import SESSIONS

    (candidate,) = [r for r in SESSIONS.related if r.attribute == "candidate"]
    sql = candidate.statement.form(sqlite.dialect(), {"owners": list(range(40))}).sql
    steps = plan(db, sql, ("t",) * sql.count("?"))
    assert steps == ["SEARCH surpass_candidate USING INTEGER PRIMARY KEY (rowid=?)"], steps
