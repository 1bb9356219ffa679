"""Issue 9, items 1 and 2: the tenant criterion and the request scope, outside Flask.

Two tenants with the same seed hold rows with the same ids, references and keycodes, so
a statement that forgot the tenant would find both. Every statement here is written
WITHOUT a tenant filter and run in a session bound to tenant A (``RequestScope``): it
must see, change or delete only A's rows. The rule functions are called with a scope
built by hand, with no Flask app or request anywhere.
"""

from __future__ import annotations

from datetime import date

import pytest
from flask import has_request_context
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import aliased

from exam_sandbox.app import default_config, prepare_database
from exam_sandbox.core.db import Database
from exam_sandbox.core.errors import SandboxError
from exam_sandbox.core.lookups import by_id, by_id_or_keycode, by_reference
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenant_criterion import bound_tenant
from exam_sandbox.core.tenant_service import TenantService
from exam_sandbox.core.tenants import Tenant
from exam_sandbox.providers import all_providers
from exam_sandbox.providers.janison import tables as janison
from exam_sandbox.providers.janison.models.people import create_candidate as create_jcandidate
from exam_sandbox.providers.janison.settings import JanisonSettingsSchema
from exam_sandbox.providers.surpass import tables as surpass
from exam_sandbox.providers.surpass.models.candidates import create_candidate
from exam_sandbox.providers.surpass.models.sessions import find_session
from exam_sandbox.providers.surpass.settings import SurpassSettingsSchema

TENANT_TABLES = [
    surpass.Country, surpass.County, surpass.Centre, surpass.Subject,
    surpass.CentreSubjectAssociation, surpass.Candidate, surpass.Test, surpass.TestForm,
    surpass.User, surpass.TestSession,
    janison.JTest, janison.JTestPackage, janison.JComponent, janison.JUser, janison.JCentre,
    janison.JCandidate, janison.JSchedule, janison.JEnrolment, janison.JEnrolmentComponent,
    janison.JResult, janison.JToken,
]
SEEDED = [  # tables the seed fills, so both tenants have rows to confuse
    surpass.Centre, surpass.Subject, surpass.Candidate, surpass.Test, surpass.TestForm,
    surpass.User, surpass.TestSession, surpass.CentreSubjectAssociation,
    janison.JTestPackage, janison.JCentre, janison.JCandidate, janison.JSchedule,
    janison.JEnrolment, janison.JEnrolmentComponent,
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    config = default_config(
        database_url=f"sqlite:///{tmp_path_factory.mktemp('criterion') / 'sandbox.db'}"
    )
    prepare_database(config)
    database = Database(config.database_url)
    with database.session(write=True) as session:
        service = TenantService(all_providers())
        for tenant_id in ("t-a", "t-b"):
            service.create(session, tenant_id=tenant_id, seed=7)
    yield database
    database.dispose()


def _scope(session, tenant_id: str, settings_schema=SurpassSettingsSchema) -> RequestScope:
    tenant = session.get(Tenant, tenant_id)
    return RequestScope.for_tenant(session, tenant, settings_schema().load({}))


def _per_tenant(session, model) -> dict[str, int]:
    """Row counts per tenant, read in an unbound session (no criterion)."""
    assert bound_tenant(session) is None
    rows = session.execute(select(model.tenant_id, func.count()).group_by(model.tenant_id))
    return dict(rows.all())


@pytest.mark.parametrize("model", SEEDED, ids=lambda m: m.__tablename__)
def test_an_unfiltered_select_reads_only_the_bound_tenants_rows(db, model):
    with db.session(write=False) as unbound:
        counts = _per_tenant(unbound, model)
    assert counts["t-a"] == counts["t-b"] > 0  # same seed: B has as many rows to leak
    with db.session(write=False) as session:
        _scope(session, "t-a")
        rows = session.execute(select(model)).unique().scalars().all()
        pks = session.execute(select(model.pk)).scalars().all()
        counted = session.execute(select(func.count(model.pk))).scalar_one()
    assert {r.tenant_id for r in rows} == {"t-a"}
    assert len(rows) == len(pks) == counted == counts["t-a"]


@pytest.mark.parametrize("model", TENANT_TABLES, ids=lambda m: m.__tablename__)
def test_the_criterion_is_in_every_tenant_tables_sql(db, model):
    """Also the tables the seed leaves empty: the filter is there, whatever the data."""
    with db.session(write=False) as session:
        _scope(session, "t-b")
        seen = []

        def _capture(_conn, _cursor, statement, parameters, _context, _many):
            seen.append((statement, parameters))

        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", _capture)
        try:
            rows = session.execute(select(model.pk, model.tenant_id)).all()
        finally:
            event.remove(engine, "before_cursor_execute", _capture)
    assert {tenant for _, tenant in rows} <= {"t-b"}
    statement, parameters = seen[-1]
    assert f"{model.__tablename__}.tenant_id = ?" in statement
    assert parameters.count("t-b") == 1


def test_joins_aliases_and_subqueries_carry_the_criterion(db):
    with db.session(write=False) as session:
        _scope(session, "t-a")
        joined = session.execute(
            select(surpass.TestSession.tenant_id, surpass.Candidate.tenant_id).join(
                surpass.Candidate, surpass.Candidate.pk == surpass.TestSession.candidate_pk
            )
        ).all()
        other = aliased(surpass.Centre)
        aliased_rows = session.execute(select(other.tenant_id)).scalars().all()
        # The subquery alone would name both tenants' candidates; the outer query has no
        # filter of its own.
        inner = select(janison.JCandidate.pk).where(janison.JCandidate.id == 1)
        nested = session.execute(
            select(janison.JCandidate.tenant_id).where(janison.JCandidate.pk.in_(inner))
        ).scalars().all()
    assert joined and set(joined) == {("t-a", "t-a")}
    assert aliased_rows and set(aliased_rows) == {"t-a"}
    assert nested == ["t-a"]


def test_an_unfiltered_update_and_delete_touch_only_the_bound_tenant(db):
    with db.session(write=True) as session:
        _scope(session, "t-a")
        changed = session.execute(
            update(janison.JCentre).values(name="changed by A").execution_options(
                synchronize_session=False
            )
        ).rowcount
        deleted = session.execute(
            delete(surpass.TestSession).where(surpass.TestSession.state == 10)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.rollback()  # proven by the counts; leave the tenants as seeded
    with db.session(write=False) as unbound:
        centres = _per_tenant(unbound, janison.JCentre)
        voided = dict(unbound.execute(
            select(surpass.TestSession.tenant_id, func.count())
            .where(surpass.TestSession.state == 10).group_by(surpass.TestSession.tenant_id)
        ).all())
    assert changed == centres["t-a"]
    assert deleted == voided["t-a"] > 0


def test_a_bulk_delete_keeps_the_sessions_identity_map_in_step(db):
    """The session evaluates the criterion in Python (synchronize_session), so a row it
    deleted is gone from the session too, not left for a later flush to trip over."""
    with db.session(write=True) as session:
        _scope(session, "t-a")
        voided = session.execute(
            select(surpass.TestSession).where(surpass.TestSession.state == 10)
        ).unique().scalars().all()
        deleted = session.execute(
            delete(surpass.TestSession).where(surpass.TestSession.state == 10)
        ).rowcount
        in_session = [row for row in voided if row in session]
        session.rollback()
    assert deleted == len(voided) > 0
    assert in_session == []


def test_lookups_find_the_bound_tenants_row_of_a_shared_id_reference_or_keycode(db):
    with db.session(write=False) as session:
        _scope(session, "t-b")
        candidate = by_id(session, surpass.Candidate, 1)
        same = by_reference(session, surpass.Candidate, candidate.reference)
        first = session.execute(select(surpass.TestSession).limit(1)).scalar_one()
        by_key = by_id_or_keycode(session, surpass.TestSession, first.keycode)
        found = find_session(session, first.keycode.lower())
    assert (candidate.tenant_id, same, by_key, found) == ("t-b", candidate, first, first)
    assert by_key.tenant_id == "t-b"


def test_a_lookup_in_a_session_bound_to_no_tenant_is_refused(db):
    with db.session(write=False) as session, pytest.raises(RuntimeError) as refused:
        by_id(session, surpass.Candidate, 1)
    assert str(refused.value) == "a tenant-scoped lookup needs a session bound to a tenant"


def test_a_rule_function_runs_with_a_hand_built_scope_outside_flask(db):
    """The same function a POST /api/v2/Candidate calls: no app, no request, no flask.g."""
    assert not has_request_context()
    made = {}
    with db.session(write=True) as session:
        for tenant_id in ("t-a", "t-b"):  # the second scope rebinds the session
            scope = _scope(session, tenant_id)
            candidate = create_candidate(
                scope, {"first_name": "Ada", "last_name": "Lovelace",
                        "date_of_birth": date(1990, 1, 31), "reference": None},
            )
            made[tenant_id] = (candidate.tenant_id, candidate.id, candidate.reference)
        session.rollback()
    with db.session(write=False) as unbound:
        seeded = _per_tenant(unbound, surpass.Candidate)
    # Each in its own tenant, the next id there, and the same seed's Auto reference.
    assert made["t-a"][:2] == ("t-a", seeded["t-a"] + 1)
    assert made["t-b"][:2] == ("t-b", seeded["t-b"] + 1)
    assert made["t-a"][2] == made["t-b"][2]
    assert made["t-a"][2].startswith("Auto") and len(made["t-a"][2]) == 4 + 32


def test_a_janison_rule_sees_its_scope_settings_not_a_request(db):
    with db.session(write=True) as session:
        scope = _scope(session, "t-a", JanisonSettingsSchema)
        taken = session.execute(select(janison.JCandidate.reference).limit(1)).scalar_one()
        with pytest.raises(SandboxError) as clash:
            create_jcandidate(scope, {"reference": taken, "first_name": "A"})
        session.rollback()
    assert clash.value.status == 409
    assert [d.message for d in clash.value.details] == [
        f"A candidate with reference '{taken}' already exists"
    ]
