"""Auth, rules I1-I2: the key of a product code as ``X-API-Key`` or ``?api_key=`` (the
header wins when both are sent; an empty header counts as none). No key: 401
``missing_api_key`` (I1); a key the sandbox does not know, another tenant's deleted one or
a revoked one: 401 ``invalid_api_key`` (I2). A key hands out its own tenant's and its own
product's IDs only. None of these refusals uses a test ID."""

from __future__ import annotations

import pytest
from isupport import (
    ASSIGN,
    CALLS,
    CANDIDATE,
    assigned,
    available,
    outbox,
    read_test,
    refused,
    writes_nothing,
)

BODY = {"assigned_to": CANDIDATE}


def call(t, path: str, *, headers: dict | None = None, **kwargs):
    return t.itep("POST", path, auth=headers or {}, json=BODY, **kwargs)


@pytest.mark.parametrize("path", CALLS)
def test_i1_no_key_is_401(tenant, path):
    refused(writes_nothing(tenant, lambda: call(tenant, path)), "I1")


@pytest.mark.parametrize("path", CALLS)
@pytest.mark.parametrize(
    ("headers", "query"),
    [
        ({"X-API-Key": ""}, None),
        ({"X-API-Key": "   "}, None),
        ({}, {"api_key": ""}),
        ({}, {"api_key": "  "}),
        ({"X-API-Key": ""}, {"api_key": ""}),
        # The key, but not where iTEP reads it.
        ({"X-Api-Key-Other": "{key}"}, None),
        ({"Authorization": "Bearer {key}"}, None),
        ({}, {"apikey": "{key}"}),
    ],
    ids=[
        "empty-header",
        "blank-header",
        "empty-query",
        "blank-query",
        "both-empty",
        "another-header",
        "authorization",
        "another-parameter",
    ],
)
def test_i1_an_empty_key_is_no_key(tenant, path, headers, query):
    key = tenant.credentials["itep"]["api_key"]
    headers = {k: v.format(key=key) for k, v in headers.items()}
    query = query and {k: v.format(key=key) for k, v in query.items()}
    response = writes_nothing(
        tenant, lambda: call(tenant, path, headers=headers, query_string=query)
    )
    refused(response, "I1")


def test_i1_comes_before_everything_else(tenant):
    # No key and a body that breaks every rule, or no body at all: still I1.
    for kwargs in ({"json": [1]}, {"data": "{", "content_type": "application/json"}, {}):
        refused(tenant.itep("POST", ASSIGN, auth={}, **kwargs), "I1")
    refused(tenant.itep("GET", "/api/v1/nope", auth={}), "I1")


def test_the_key_as_header_or_query_parameter(tenant):
    key = tenant.credentials["itep"]["api_key"]
    by_header = assigned(tenant, BODY, auth={"X-API-Key": key})
    by_query = assigned(tenant, BODY, auth={}, query_string={"api_key": key})
    padded = assigned(tenant, BODY, auth={"X-API-Key": f"  {key}  "})
    ids = [a["test_id"] for a in (by_header, by_query, padded)]
    assert len(set(ids)) == 3
    assert all(a["product_code"] == "AP" for a in (by_header, by_query, padded))


def test_the_header_wins_over_the_query_parameter(tenant):
    key = tenant.credentials["itep"]["api_key"]
    # A good header and a bad parameter: the header is the key.
    assigned(tenant, BODY, auth={"X-API-Key": key}, query_string={"api_key": "nope"})
    # A bad header and a good parameter: the header is the key, and it is unknown.
    response = writes_nothing(
        tenant,
        lambda: call(tenant, ASSIGN, headers={"X-API-Key": "nope"}, query_string={"api_key": key}),
    )
    refused(response, "I2")
    # An empty header is no header: the parameter is the key.
    assigned(tenant, BODY, auth={"X-API-Key": ""}, query_string={"api_key": key})


@pytest.mark.parametrize("path", CALLS)
def test_i2_unknown_key_is_401(tenant, path):
    key = tenant.credentials["itep"]["api_key"]
    for value in ("nope", key[:-1], key + "0", key.upper(), "demo-itep-ap-key-not"):
        response = writes_nothing(
            tenant, lambda v=value: call(tenant, path, headers={"X-API-Key": v})
        )
        refused(response, "I2")
        response = writes_nothing(
            tenant, lambda v=value: call(tenant, path, query_string={"api_key": v})
        )
        refused(response, "I2")


def test_i2_another_tenants_key_only_sees_its_own_tenant(http, tenant):
    created = http.post("/_sandbox/tenants", json={"seed": 8})
    assert created.status_code == 201, created.json
    other_id, other_key = created.json["tenant"], created.json["credentials"]["itep"]["api_key"]
    try:
        assert other_key != tenant.credentials["itep"]["api_key"]
        mine = available(tenant, "AP")
        theirs = http.get(f"/_sandbox/tenants/{other_id}/itep/available-tests?product_code=AP")
        theirs = [row["test_id"] for row in theirs.json["test_ids"]]
        assert not set(mine) & set(theirs)

        got = assigned(tenant, BODY, auth={"X-API-Key": other_key})
        # The other tenant's first available ID, taken there; nothing changed here.
        assert got["test_id"] == theirs[0]
        assert available(tenant, "AP") == mine
        assert outbox(tenant) == []
        shown = http.get(f"/_sandbox/tenants/{other_id}/itep/tests/{got['test_id']}")
        assert shown.status_code == 200 and shown.json["assigned_to"] == CANDIDATE
        assert tenant.admin("GET", f"/itep/tests/{got['test_id']}").status_code == 404
    finally:
        http.delete(f"/_sandbox/tenants/{other_id}")


def test_keys_are_unique_per_tenant_and_product_even_for_one_seed(http, tenant):
    created = http.post("/_sandbox/tenants", json={"seed": 7})
    try:
        theirs = created.json["credentials"]["itep"]
        mine = tenant.credentials["itep"]
        keys = {mine["api_key"], mine["api_key_bp"], theirs["api_key"], theirs["api_key_bp"]}
        assert len(keys) == 4
        assert mine["product_code"] == theirs["product_code"] == "AP"
        assert mine["local_administrator"] == f"Language Centre {tenant.id}"
    finally:
        http.delete(f"/_sandbox/tenants/{created.json['tenant']}")


def test_i2_a_deleted_tenants_key_is_refused(http, tenant):
    created = http.post("/_sandbox/tenants", json={"seed": 7})
    key = created.json["credentials"]["itep"]["api_key"]
    # Authenticated once (so cached), then the tenant goes: its key is unknown.
    assigned(tenant, BODY, auth={"X-API-Key": key})
    assert http.delete(f"/_sandbox/tenants/{created.json['tenant']}").status_code in (200, 204)
    refused(call(tenant, ASSIGN, headers={"X-API-Key": key}), "I2")
    refused(call(tenant, ASSIGN, query_string={"api_key": key}), "I2")


def test_i2_a_revoked_key_is_refused_until_restored(tenant):
    key = tenant.credentials["itep"]["api_key"]
    first = assigned(tenant)["test_id"]  # authenticated once: cached
    revoked = tenant.admin("PUT", "/itep/api-keys/AP", json={"revoked": True})
    assert revoked.status_code == 200, revoked.json
    assert revoked.json == {"product_code": "AP", "revoked": True}
    for path in CALLS:
        refused(
            writes_nothing(tenant, lambda p=path: call(tenant, p, headers={"X-API-Key": key})), "I2"
        )
        refused(call(tenant, path, query_string={"api_key": key}), "I2")
    # The BP key is another key: unaffected.
    bp = assigned(tenant, BODY, auth={"X-API-Key": tenant.credentials["itep"]["api_key_bp"]})
    assert bp["product_code"] == "BP"
    # Revoking twice is the same.
    again = tenant.admin("PUT", "/itep/api-keys/AP", json={"revoked": True})
    assert again.status_code == 200 and again.json == {"product_code": "AP", "revoked": True}

    restored = tenant.admin("PUT", "/itep/api-keys/AP", json={"revoked": False})
    assert restored.status_code == 200, restored.json
    assert restored.json == {"product_code": "AP", "revoked": False}
    second = assigned(tenant, BODY, auth={"X-API-Key": key})
    assert second["product_code"] == "AP" and second["test_id"] != first
    assert read_test(tenant, first)["assigned_to"] == CANDIDATE  # the revocation kept it


def test_the_bp_key_hands_out_bp_ids(tenant):
    bp_key = tenant.credentials["itep"]["api_key_bp"]
    ap_before, bp_before = available(tenant, "AP"), available(tenant, "BP")
    got = assigned(tenant, BODY, auth={"X-API-Key": bp_key})
    assert got["product_code"] == "BP" and got["test_id"].endswith("BP")
    assert got["test_id"] == bp_before[0]
    assert available(tenant, "AP") == ap_before
    assert available(tenant, "BP") == bp_before[1:]
