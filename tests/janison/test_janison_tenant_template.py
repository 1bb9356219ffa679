"""Janison tenants copied from a per-seed template inside the database, as Surpass's are
(core/tenant_template.py, providers/janison/fixtures.py).

A copy must read through the API exactly as the rows ``write_data`` writes, each copy's
keys must point at its own rows (schedules at its centres, results at its enrolments and
components), and what derives from the tenant's secret (the credential row) is the
tenant's own, never the template's. Each test runs on a database of its own.
"""

from __future__ import annotations

import pytest
from stores import database_url
from support import db_rows, every_item, tenant_counts, tenant_pks

from exam_sandbox.app import create_app, default_config
from exam_sandbox.core.tenant_template import template_id
from exam_sandbox.providers.janison.fixtures import (
    TEMPLATE_TABLES,
    dataset,
    template_version,
    templates,
)

# Every list Janison serves (test schedules are written, never listed; the results show
# theirs: candidate, package, centre, components and scores).
RESOURCES = ("test", "testpackage", "component", "user", "centre", "candidate", "result")


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
    # As tests/janison/tenant_auth.py: the subscription key and the static bearer token.
    credentials = tenant["credentials"]["janison"]
    return {
        "Ocp-Apim-Subscription-Key": credentials["subscriptionKey"],
        "Authorization": f"Bearer {credentials['token']}",
    }


def listing(http, tenant: dict, resource: str) -> list[dict]:
    """Every item of ``resource`` the tenant sees."""
    # $top=100: the largest page Janison serves.
    return every_item(http, f"/janison/api/{resource}?$top=100", auth(tenant))


def api_view(http, tenant: dict) -> dict[str, list[dict]]:
    return {resource: listing(http, tenant, resource) for resource in RESOURCES}


def counts(url: str, tenant_id: str) -> dict[str, int]:
    return tenant_counts(url, TEMPLATE_TABLES, tenant_id)


def assert_own_rows(url: str, tenant_id: str) -> None:
    """Every foreign key of the tenant's rows points at one of the tenant's own rows."""
    checked = 0
    for table in TEMPLATE_TABLES:
        for column in table.c:
            for key in column.foreign_keys:
                referred = key.column.table.name
                pointed = {
                    r[0] for r in db_rows(
                        url, f"SELECT {column.name} FROM {table.name} WHERE tenant_id = ?",
                        tenant_id,
                    )
                }
                assert pointed <= tenant_pks(url, referred, tenant_id), (
                    f"{tenant_id}: {table.name}.{column.name} points outside its {referred}"
                )
                checked += len(pointed)
    assert checked > 0


def current_template(seed: int) -> str:
    return template_id("janison", seed, template_version())


def test_two_tenants_of_one_seed_read_alike_but_own_distinct_rows(sandbox):
    http, url = sandbox
    a, b = new_tenant(http, 1), new_tenant(http, 1)

    seen_a, seen_b = api_view(http, a), api_view(http, b)
    assert seen_a == seen_b
    # What the API shows is the seed's rows, every one of them.
    seeded = templates(1)
    for resource in ("candidate", "result", "component", "centre"):
        assert len(seen_a[resource]) == len(seeded[resource]) > 0, resource
    assert [c["lastName"] for c in seen_a["candidate"]] == [
        c["last_name"] for c in dataset(1).candidates
    ]

    ta, tb = a["tenant"], b["tenant"]
    template = current_template(1)
    assert counts(url, ta) == counts(url, tb) == counts(url, template)
    for table in TEMPLATE_TABLES:
        if "pk" in table.c:
            assert not tenant_pks(url, table.name, ta) & tenant_pks(url, table.name, tb), table.name
    # B's schedules are at B's centres, and its results' components are B's components.
    schedule_centres = db_rows(
        url, "SELECT centre_pk FROM janison_testschedule WHERE tenant_id = ?", tb
    )
    assert schedule_centres
    assert {r[0] for r in schedule_centres} <= tenant_pks(url, "janison_centre", tb)
    for tenant_id in (ta, tb, "demo"):
        assert_own_rows(url, tenant_id)


def test_credentials_are_each_tenants_own_and_the_template_has_none(sandbox):
    http, url = sandbox
    a, b = new_tenant(http, 1), new_tenant(http, 1)
    template = current_template(1)
    credential = "SELECT count(*) FROM janison_credential WHERE tenant_id = ?"
    assert db_rows(url, credential, template) == [(0,)]
    assert db_rows(url, credential, a["tenant"]) == db_rows(url, credential, b["tenant"]) == [(1,)]
    assert a["credentials"]["janison"] != b["credentials"]["janison"]
    # A's key with B's token opens nothing; each pair opens its own tenant.
    mixed = {**auth(a), "Authorization": auth(b)["Authorization"]}
    assert http.get("/janison/api/centre", headers=mixed).status_code == 401
    assert http.get("/janison/api/centre", headers=auth(b)).status_code == 200


def test_the_template_is_hidden_and_outlives_deletes_and_resets(sandbox):
    http, url = sandbox
    template = current_template(1)
    before = counts(url, template)
    assert before["janison_candidate"] == len(dataset(1).candidates)
    stored = {
        r[0] for table in TEMPLATE_TABLES
        for r in db_rows(url, f"SELECT DISTINCT tenant_id FROM {table.name} "
                           "WHERE tenant_id LIKE '~%'")
    }
    assert stored == {template}

    a, b = new_tenant(http, 1), new_tenant(http, 1)
    listed = http.get("/_sandbox/tenants").json["tenants"]
    assert not [t for t in listed if t.startswith("~")]
    assert http.delete(f"/_sandbox/tenants/{a['tenant']}").status_code == 204
    assert http.post(f"/_sandbox/tenants/{b['tenant']}/reset", json={}).status_code == 200
    assert counts(url, template) == before
    c = new_tenant(http, 1)
    assert counts(url, c["tenant"]) == counts(url, b["tenant"]) == before
    assert api_view(http, c) == api_view(http, b)
    assert_own_rows(url, c["tenant"])


def test_another_seed_is_its_own_template_alike_across_tenants(sandbox):
    http, url = sandbox
    a, b, one = new_tenant(http, 7), new_tenant(http, 7), new_tenant(http, 1)
    seen_a = api_view(http, a)
    assert seen_a == api_view(http, b)
    assert seen_a["candidate"] != api_view(http, one)["candidate"]
    assert [c["lastName"] for c in seen_a["candidate"]] == [
        c["last_name"] for c in dataset(7).candidates
    ]
    assert counts(url, a["tenant"]) == counts(url, current_template(7))
    assert_own_rows(url, b["tenant"])
