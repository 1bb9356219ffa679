"""Hot-path SQL (``core/sql.py``): compiled once, run on the DB-API connection, and never
across tenants.

Two tenants with the same seed hold rows with the same ids and references, so a
statement without the tenant would find both. A statement that leaves a tenant-scoped
table unlimited is refused when it is compiled, before it can run; the tenant's value is
always the runner's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import aliased

from exam_sandbox.app import default_config, prepare_database
from exam_sandbox.core.db import Database
from exam_sandbox.core.sql import (
    SqlRunner,
    Statement,
    UnscopedStatement,
    insert_row,
    tenant_check,
    tenant_is,
)
from exam_sandbox.core.tenant_service import TenantService
from exam_sandbox.providers import all_providers
from exam_sandbox.providers.surpass import tables as surpass

CANDIDATE = surpass.Candidate.__table__
SESSION = surpass.TestSession.__table__
CENTRE = surpass.Centre.__table__


@dataclass(frozen=True, slots=True)
class CandidateRow:
    id: int
    reference: str
    date_of_birth: date


BY_IDS = Statement(
    lambda: select(CANDIDATE.c.id, CANDIDATE.c.reference, CANDIDATE.c.date_of_birth)
    .where(tenant_is(CANDIDATE), CANDIDATE.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(CANDIDATE.c.id),
    row=CandidateRow,
    expanding=["ids"],
)
COUNT = Statement(lambda: select(func.count()).select_from(CANDIDATE).where(tenant_is(CANDIDATE)))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('sql') / 'sandbox.db'}"
    prepare_database(default_config(database_url=url))
    database = Database(url)
    with database.session(write=True) as session:
        for tenant_id in ("t-a", "t-b"):
            TenantService(all_providers()).create(session, tenant_id=tenant_id, seed=7)
    yield database
    database.dispose()


def runner(session, tenant_id="t-a") -> SqlRunner:
    return SqlRunner(tenant_id, session.connection)


def test_rows_come_back_typed_and_only_the_tenants(db):
    with db.session(write=False) as session:
        rows = runner(session).all(BY_IDS, ids=[1, 2, 3])
        both = session.execute(
            select(func.count()).select_from(CANDIDATE).where(
                CANDIDATE.c.id.in_([1, 2, 3]), CANDIDATE.c.tenant_id.in_(["t-a", "t-b"])
            )
        ).scalar()
    assert both == 6  # the same ids in both tenants
    assert [row.id for row in rows] == [1, 2, 3]
    assert all(isinstance(row, CandidateRow) for row in rows)
    assert all(isinstance(row.date_of_birth, date) for row in rows)  # not SQLite's text


def test_a_list_parameter_of_another_length_gets_its_own_form(db):
    with db.session(write=False) as session:
        assert [row.id for row in runner(session).all(BY_IDS, ids=[4])] == [4]
        assert [row.id for row in runner(session).all(BY_IDS, ids=[5, 6])] == [5, 6]


def test_a_tenant_passed_by_the_caller_is_ignored(db):
    with db.session(write=False) as session:
        mine = runner(session).scalar(COUNT)
        forced = runner(session).scalar(COUNT, tenant_id="t-b")
        total = session.execute(select(func.count()).select_from(CANDIDATE)).scalar()
    assert mine == forced and 0 < mine < total


UNSCOPED = {
    "no criterion": lambda: select(CANDIDATE.c.id).where(CANDIDATE.c.id == 1),
    "a join's other table": lambda: select(CANDIDATE.c.id)
    .join(SESSION, SESSION.c.candidate_pk == CANDIDATE.c.pk)
    .where(tenant_is(CANDIDATE)),
    "a subquery": lambda: select(SESSION.c.id).where(
        tenant_is(SESSION),
        SESSION.c.centre_pk.in_(select(CENTRE.c.pk).where(CENTRE.c.reference == "CEN001")),
    ),
    "an alias": lambda: select(CANDIDATE.c.id).where(
        tenant_is(CANDIDATE),
        CANDIDATE.c.pk.in_(select(aliased(CANDIDATE).c.pk)),
    ),
    "a literal tenant": lambda: select(CANDIDATE.c.id).where(CANDIDATE.c.tenant_id == "t-a"),
    "an update": lambda: update(CANDIDATE).values(retired=True),
    "a delete": lambda: delete(SESSION).where(SESSION.c.id == 1),
}


@pytest.mark.parametrize("build", UNSCOPED.values(), ids=UNSCOPED.keys())
def test_a_statement_without_the_tenant_criterion_never_runs(db, build):
    statement = Statement(build, name="unscoped")
    with db.session(write=True) as session:
        before = session.execute(select(func.count()).select_from(SESSION)).scalar()
        with pytest.raises(UnscopedStatement) as refused:
            runner(session).all(statement)
        after = session.execute(select(func.count()).select_from(SESSION)).scalar()
    assert str(refused.value).startswith("unscoped: tenant-scoped surpass_")
    assert before == after


def test_scoped_updates_and_deletes_change_only_the_tenants_rows(db):
    retire = Statement(
        lambda: update(CANDIDATE)
        .where(tenant_is(CANDIDATE), CANDIDATE.c.id == bindparam("id"))
        .values(retired=True)
    )
    with db.session(write=True) as session:
        changed = runner(session).run(retire, id=1)
        flags = dict(
            session.execute(
                select(CANDIDATE.c.tenant_id, CANDIDATE.c.retired).where(
                    CANDIDATE.c.id == 1, CANDIDATE.c.tenant_id.in_(["t-a", "t-b"])
                )
            ).all()
        )
        session.rollback()
    assert changed == 1
    assert flags == {"t-a": True, "t-b": False}


def test_an_insert_takes_the_runners_tenant_and_the_columns_defaults(db):
    add = Statement(
        lambda: insert_row(
            CANDIDATE, "id", "reference", "first_name", "last_name", "date_of_birth", "gender"
        ).returning(CANDIDATE.c.pk)
    )
    with db.session(write=True) as session:
        (pk,) = runner(session).first(
            add, id=90_001, reference="NEW-1", first_name="Ada", last_name="Lovelace",
            date_of_birth=date(1815, 12, 10), gender="Female", tenant_id="t-b",
        )
        row = session.execute(
            select(CANDIDATE.c.tenant_id, CANDIDATE.c.retired, CANDIDATE.c.date_of_birth)
            .where(CANDIDATE.c.pk == pk)
        ).one()
        session.rollback()
    assert tuple(row) == ("t-a", False, date(1815, 12, 10))


def test_an_insert_without_tenant_id_is_refused(db):
    from sqlalchemy import insert

    bad = Statement(lambda: insert(CANDIDATE).values(id=bindparam("id")), name="bad insert")
    with db.session(write=True) as session, pytest.raises(UnscopedStatement) as refused:
        runner(session).run(bad, id=1)
    assert str(refused.value) == "bad insert: an insert that sets no tenant_id"


def test_a_runner_without_a_tenant_refuses_tenant_scoped_sql(db):
    with db.session(write=False) as session, pytest.raises(UnscopedStatement) as refused:
        SqlRunner(None, session.connection).scalar(COUNT)
    assert "needs a runner bound to a tenant" in str(refused.value)


def test_a_row_class_must_match_the_selected_columns(db):
    wrong = Statement(
        lambda: select(CANDIDATE.c.reference, CANDIDATE.c.id).where(tenant_is(CANDIDATE)),
        row=CandidateRow,
        name="wrong row",
    )
    with db.session(write=False) as session, pytest.raises(TypeError) as refused:
        runner(session).all(wrong)
    assert str(refused.value).startswith("wrong row: CandidateRow fields")


def test_ids_count_on_per_tenant_from_the_seeded_rows_and_the_orm_counter(db):
    from exam_sandbox.core.db import next_id as orm_next_id
    from exam_sandbox.core.ids import next_id, next_ids

    with db.session(write=True) as session:
        seeded = session.execute(
            select(func.max(CANDIDATE.c.id)).where(CANDIDATE.c.tenant_id == "t-a")
        ).scalar()
        first = next_id(runner(session), CANDIDATE)
        more = next_ids(runner(session), CANDIDATE, 3)
        other = next_id(runner(session, "t-b"), CANDIDATE)
        by_orm = orm_next_id(session, surpass.Candidate, "t-a")  # the same counter
        session.rollback()
    assert first == seeded + 1
    assert more == [seeded + 2, seeded + 3, seeded + 4]
    assert other == seeded + 1  # t-b counts on its own
    assert by_orm == seeded + 5


BY_PKS = Statement(
    lambda: select(CANDIDATE.c.pk).where(
        tenant_check(CANDIDATE), CANDIDATE.c.pk.in_(bindparam("pks", expanding=True))
    ),
    expanding=["pks"],
)


def test_tenant_check_keeps_rows_found_by_pk_in_the_tenant_through_the_primary_key(db):
    with db.session(write=False) as session:
        theirs = session.execute(
            select(CANDIDATE.c.pk).where(CANDIDATE.c.tenant_id == "t-b").limit(40)
        ).scalars().all()
        mine = session.execute(
            select(CANDIDATE.c.pk).where(CANDIDATE.c.tenant_id == "t-a").limit(40)
        ).scalars().all()
        found = runner(session).all(BY_PKS, pks=[*mine, *theirs])
    # The other tenant's pks, asked for by a caller, are not found: a criterion, not a hint.
    assert sorted(row[0] for row in found) == sorted(mine)
    form = BY_PKS.form(db.reader.dialect, {"pks": list(range(40))})
    with db.reader.connect() as connection:
        plan = connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {form.sql}", ("t-a", *range(40))
        ).fetchall()
    # Forty pks: by the primary key, not a walk of the tenant by a (tenant_id, ...) index.
    assert [step[-1] for step in plan] == [
        "SEARCH surpass_candidate USING INTEGER PRIMARY KEY (rowid=?)"
    ]
