"""Surpass tenants copied from a per-seed template inside the database
(core/tenant_template.py, providers/surpass/fixtures.py).

A tenant's seeded rows are an ``INSERT ... SELECT`` copy of a hidden template tenant's,
with every ``pk`` and foreign key moved by an offset. What must hold: a copy reads exactly
as faker's data would through the API, each copy's rows are its own (its keys point at
its own rows, never the template's or another tenant's), the template is invisible and
survives every control, and a template built by older code is replaced, not copied.

Each test runs on a database of its own, so the templates in it are the ones it made.
"""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select, text
from stores import database_url
from support import basic, db_rows, every_item, tenant_counts, tenant_pks

from exam_sandbox.app import create_app, default_config
from exam_sandbox.core import seed_data
from exam_sandbox.core.db import Database
from exam_sandbox.core.tenant_template import TEMPLATE_PREFIX, is_template_id, template_id
from exam_sandbox.migrations import schema
from exam_sandbox.providers.surpass.fixtures import (
    PRECOMPUTED,
    PRECOMPUTED_SEED,
    TEMPLATE_TABLES,
    build_dataset,
    dataset,
    template_version,
    write_data,
)
from exam_sandbox.providers.surpass.tables import Candidate, User

PAGED = ("Candidate", "Centre", "TestSession", "Subject")


# --- the shipped seed data -------------------------------------------------------------


def test_the_shipped_seed_1_json_is_what_faker_builds():
    built = build_dataset(PRECOMPUTED_SEED)
    regenerate = (
        f"{PRECOMPUTED.name} is stale (faker, or the fixtures, changed): regenerate it with "
        "PRECOMPUTED.write_text(seed_data.dump(build_dataset(1)), encoding='utf-8') "
        "(exam_sandbox.core.seed_data, exam_sandbox.providers.surpass.fixtures)"
    )
    assert PRECOMPUTED.read_text(encoding="utf-8") == seed_data.dump(built), regenerate
    # And loading it gives the very dataclass faker builds (dates, tuples and all).
    loaded = seed_data.load(type(built), PRECOMPUTED)
    assert loaded == built
    assert dataclasses.asdict(dataset(PRECOMPUTED_SEED)) == dataclasses.asdict(built)


# --- helpers ---------------------------------------------------------------------------


@pytest.fixture()
def sandbox(tmp_path):
    """A fresh app on a database file of this test's own (the demo tenant, seed 1, in it)."""
    url = database_url(tmp_path / "data")
    app = create_app(default_config(database_url=url))
    yield app.test_client(), url
    app.extensions["exam_sandbox"].db.dispose()


def new_tenant(http, seed: int) -> dict:
    response = http.post("/_sandbox/tenants", json={"seed": seed})
    assert response.status_code == 201, response.json
    return response.json


def auth(tenant: dict) -> dict:
    # Basic, as the tenant's own user (tests/surpass/tenant_auth.py does the same).
    credentials = tenant["credentials"]["surpass"]
    return basic(credentials["username"], credentials["password"])


def listing(http, tenant: dict, resource: str) -> list[dict]:
    """Every item of ``resource`` the tenant sees."""
    # $top=40: the largest page Surpass serves.
    return every_item(http, f"/surpass/api/v2/{resource}?$top=40", auth(tenant))


def api_view(http, tenant: dict) -> dict[str, list[dict]]:
    return {resource: listing(http, tenant, resource) for resource in PAGED}


def counts(url: str, tenant_id: str) -> dict[str, int]:
    return tenant_counts(url, TEMPLATE_TABLES, tenant_id)


def foreign_keys():
    """(table, column, referred table) for every foreign key among the template's tables."""
    for table in TEMPLATE_TABLES:
        for column in table.c:
            for key in column.foreign_keys:
                yield table.name, column.name, key.column.table.name


def current_template(seed: int) -> str:
    return template_id("surpass", seed, template_version())


def template_ids(url: str) -> set[str]:
    found = set()
    for table in TEMPLATE_TABLES:
        found |= {
            r[0] for r in db_rows(url, f"SELECT DISTINCT tenant_id FROM {table.name} "
                                    "WHERE tenant_id LIKE '~%'")
        }
    return found


def assert_own_rows(url: str, tenant_id: str) -> None:
    """Every foreign key of the tenant's rows points at one of the tenant's own rows."""
    checked = 0
    for table, column, referred in foreign_keys():
        own = tenant_pks(url, referred, tenant_id)
        pointed = {
            r[0] for r in db_rows(
                url, f"SELECT {column} FROM {table} WHERE tenant_id = ? AND {column} IS NOT NULL",
                tenant_id,
            )
        }
        assert pointed <= own, f"{tenant_id}: {table}.{column} points outside its {referred}"
        checked += len(pointed)
    assert checked > 0


# --- copies ----------------------------------------------------------------------------


def test_two_tenants_of_one_seed_read_alike_but_own_distinct_rows(sandbox):
    http, url = sandbox
    a, b = new_tenant(http, 1), new_tenant(http, 1)

    seen_a, seen_b = api_view(http, a), api_view(http, b)
    assert seen_a == seen_b
    assert len(seen_a["Candidate"]) == len(dataset(1).candidates) == 120
    assert len(seen_a["TestSession"]) == len(dataset(1).sessions)
    # What the API shows is seed 1's data as faker built it, not something else alike.
    first = dataset(1).candidates[0]
    assert (seen_a["Candidate"][0]["lastName"], seen_a["Candidate"][0]["reference"]) == (
        first["last_name"], first["reference"]
    )

    ta, tb = a["tenant"], b["tenant"]
    assert counts(url, ta) == counts(url, tb) == counts(url, current_template(1))
    for table in TEMPLATE_TABLES:
        if "pk" in table.c:
            assert not tenant_pks(url, table.name, ta) & tenant_pks(url, table.name, tb), table.name
    # The brief's example, spelled out: B's sessions are at B's centres.
    centres_b = tenant_pks(url, "surpass_centre", tb)
    session_centres = db_rows(url, "SELECT centre_pk FROM surpass_test_session WHERE tenant_id = ?",
                           tb)
    assert session_centres and {r[0] for r in session_centres} <= centres_b
    for tenant_id in (ta, tb, "demo"):
        assert_own_rows(url, tenant_id)


def test_each_tenant_gets_its_own_user_not_the_templates(sandbox):
    http, url = sandbox
    a, b = new_tenant(http, 1), new_tenant(http, 1)
    # The template holds no user, so no credential can reach it.
    assert db_rows(url, "SELECT count(*) FROM surpass_user WHERE tenant_id LIKE '~%'") == [(0,)]
    assert User.__table__ not in TEMPLATE_TABLES
    for tenant in (a, b):
        users = db_rows(url, "SELECT username FROM surpass_user WHERE tenant_id = ?",
                     tenant["tenant"])
        assert users == [(tenant["credentials"]["surpass"]["username"],)]
    # Each tenant's credentials open its own data only.
    assert http.get("/surpass/api/v2/Centre", headers=auth(a)).status_code == 200
    wrong = {**a["credentials"]["surpass"], "password": b["credentials"]["surpass"]["password"]}
    assert http.get("/surpass/api/v2/Centre",
                    headers=auth({"credentials": {"surpass": wrong}})).status_code == 401


def test_the_template_is_hidden_and_outlives_deletes_and_resets(sandbox):
    http, url = sandbox
    template = current_template(1)
    # The start built it for the demo tenant: rows under a `~template:` id, one per seed.
    assert template_ids(url) == {template}
    assert template.startswith(TEMPLATE_PREFIX) and is_template_id(template)
    before = counts(url, template)
    assert before["surpass_candidate"] == 120

    a, b = new_tenant(http, 1), new_tenant(http, 1)
    listed = http.get("/_sandbox/tenants").json["tenants"]
    assert a["tenant"] in listed and b["tenant"] in listed
    assert not [t for t in listed if t.startswith("~")]
    # Nor can a control reach it by id.
    assert http.get(f"/_sandbox/tenants/{template}").status_code in (400, 404)
    assert http.post("/_sandbox/tenants", json={"tenant": template}).status_code == 400

    assert http.delete(f"/_sandbox/tenants/{a['tenant']}").status_code == 204
    assert counts(url, a["tenant"]) == dict.fromkeys(before, 0)
    assert http.post(f"/_sandbox/tenants/{b['tenant']}/reset", json={}).status_code == 200
    assert counts(url, template) == before
    assert template_ids(url) == {template}

    # The reset tenant and a third one still get the data, from the same template.
    c = new_tenant(http, 1)
    assert counts(url, c["tenant"]) == counts(url, b["tenant"]) == before
    assert api_view(http, c) == api_view(http, b)
    assert_own_rows(url, c["tenant"])


def test_a_stale_template_is_dropped_when_the_current_one_is_built(tmp_path):
    url = database_url(tmp_path / "data")
    db = Database(url)
    stale = template_id("surpass", 1, "oldversion")
    # Other seeds' templates are not this build's to drop, stale or not; seed 11 checks
    # that the prefix ends at the seed ("~template:surpass:1:" is no prefix of it).
    others = [template_id("surpass", 11, "oldversion"), template_id("surpass", 7, "oldversion")]
    try:
        schema.bring_to_head(db)  # the schema alone: no demo tenant, no template yet
        with db.session(write=True) as session:
            for old in (stale, *others):
                write_data(session, old, 1)
    finally:
        db.dispose()
    assert template_ids(url) == {stale, *others}
    # Made by older code, it differs: copying it would hand out the old data.
    edited = Database(url)
    try:
        with edited.session(write=True) as session:
            session.execute(
                text("UPDATE surpass_centre SET name = 'Old name' WHERE tenant_id = :stale"),
                {"stale": stale},
            )
    finally:
        edited.dispose()

    app = create_app(default_config(database_url=url))  # the start seeds the demo tenant
    try:
        assert template_ids(url) == {current_template(1), *others}
        assert counts(url, stale) == dict.fromkeys(counts(url, stale), 0)
        http = app.test_client()
        tenant = new_tenant(http, 1)
        names = {c["name"] for c in listing(http, tenant, "Centre")}
        assert "Old name" not in names
        assert names == {c["name"] for c in dataset(1).centres}
    finally:
        app.extensions["exam_sandbox"].db.dispose()


# --- other seeds -------------------------------------------------------------------------


def test_another_seed_gets_its_own_faker_data_alike_across_tenants(sandbox):
    http, url = sandbox
    a, b = new_tenant(http, 7), new_tenant(http, 7)
    one = new_tenant(http, 1)

    seen_a, seen_b, seen_one = api_view(http, a), api_view(http, b), api_view(http, one)
    assert seen_a == seen_b
    assert seen_a["Candidate"] != seen_one["Candidate"]
    assert seen_a["Centre"] != seen_one["Centre"]
    # Seed 7's data is faker's for seed 7 (built, not shipped).
    built = build_dataset(7)
    assert [c["lastName"] for c in seen_a["Candidate"]] == [
        c["last_name"] for c in built.candidates
    ]
    assert [c["name"] for c in seen_a["Centre"]] == [c["name"] for c in built.centres]
    # One template per seed, each copied only from its own.
    assert template_ids(url) == {current_template(1), current_template(7)}
    assert counts(url, a["tenant"]) == counts(url, current_template(7))
    for tenant in (a, b):
        assert_own_rows(url, tenant["tenant"])


def test_a_template_is_read_by_no_listed_tenant(sandbox):
    # The criterion that keeps a tenant's reads to its own rows keeps the template out too:
    # a tenant's list shows its copy once, never the template's rows beside it.
    http, url = sandbox
    tenant = new_tenant(http, 1)
    assert len(listing(http, tenant, "Candidate")) == 120
    assert counts(url, current_template(1))["surpass_candidate"] == 120
    db = Database(url)
    try:
        with db.reader.connect() as connection:
            total = connection.scalar(select(func.count()).select_from(Candidate.__table__))
    finally:
        db.dispose()
    assert total == 120 * 3  # demo, the template and this tenant
