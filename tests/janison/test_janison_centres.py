"""Centre: GET/POST/PUT/DELETE, rule JCE-1 (required members; DELETE retires), JC-2 for
its tests and centreAdminUser, DUP-1 and RET-1."""

from __future__ import annotations

import pytest
from jsupport import BASE, SEED, one, ref, write_error

from exam_sandbox.providers.janison.fixtures import dataset

NEW = {
    "name": "Harbour Test Centre",
    "addressLine1": "1 Quay St",
    "town": "Sydney",
    "county": "New South Wales",
    "country": "Australia",
    "tests": [{"reference": "ENG-GEN"}],
    "centreAdminUser": {"reference": "USR003"},
}
DROP = object()


def centre(**changes) -> dict:
    body = {**NEW, **changes}
    return {k: v for k, v in body.items() if v is not DROP}


def test_get_centre_renders_every_field_in_the_seed_order(tenant):
    seeded = dataset(SEED).centres[1]
    item = one(tenant, "/api/centre/2")
    assert item == {
        "name": seeded["name"],
        "addressLine1": seeded["address_line1"],
        "addressLine2": None,
        "town": seeded["town"],
        "county": "Victoria",
        "country": "Australia",
        "postCode": seeded["post_code"],
        "tests": [ref("test", 1, "ENG-GEN"), ref("test", 2, "ENG-ACAD")],
        "centreAdminUser": ref("user", 1, "USR001"),
        "retired": False,
        "href": f"{BASE}/centre/2",
        "id": 2,
        "reference": "CTR002",
    }


def test_post_centre_stores_every_field(tenant):
    body = centre(addressLine2="Level 3", postCode="2000", reference="CTR-HARBOUR")
    r = tenant.janison("POST", "/api/centre", json=body)
    assert r.status_code == 200
    assert r.json == {"id": 5, "reference": "CTR-HARBOUR", "href": f"{BASE}/centre/5", "errors": []}
    assert one(tenant, "/api/centre/5") == {
        **body,
        "tests": [ref("test", 1, "ENG-GEN")],
        "centreAdminUser": ref("user", 3, "USR003"),
        "retired": False,
        "href": f"{BASE}/centre/5",
        "id": 5,
    }


def test_post_centre_without_reference_gets_a_derived_one(tenant, http):
    first = tenant.janison("POST", "/api/centre", json=centre()).json["reference"]
    assert first.startswith("CTR-") and len(first) == 12
    # Same seed, same calls: the same reference in another tenant.
    other = http.post("/_sandbox/tenants", json={"seed": SEED}).json
    try:
        auth = {
            "Ocp-Apim-Subscription-Key": other["credentials"]["janison"]["subscriptionKey"],
            "Authorization": f"Bearer {other['credentials']['janison']['token']}",
        }
        again = http.post("/janison/api/centre", json=centre(), headers=auth).json
        assert again["reference"] == first
    finally:
        http.delete(f"/_sandbox/tenants/{other['tenant']}")


@pytest.mark.parametrize(
    "field",
    ["name", "addressLine1", "town", "county", "country", "tests", "centreAdminUser"],
)
def test_jce_1_each_required_centre_field(tenant, field):
    for missing in (DROP, None):
        r = tenant.janison("POST", "/api/centre", json=centre(**{field: missing}))
        write_error(r, 400, (2201, f"{field} is required", field))
    assert tenant.janison("GET", "/api/centre").json["count"] == 4


def test_jce_1_delete_retires_the_centre(tenant):
    before = one(tenant, "/api/centre/4")
    r = tenant.janison("DELETE", "/api/centre/4")
    assert r.status_code == 200
    assert r.json == {"id": 4, "reference": "CTR004", "href": f"{BASE}/centre/4", "errors": []}
    assert one(tenant, "/api/centre/4") == {**before, "retired": True}
    write_error(tenant.janison("DELETE", "/api/centre/4"), 409, (3002, "Centre 4 is retired", None))
    write_error(
        tenant.janison("PUT", "/api/centre/4", json={"name": "x"}),
        409,
        (3002, "Centre 4 is retired", None),
    )


def test_jc_2_centre_tests_and_admin_user_must_resolve(tenant):
    body = centre(tests=[{"id": 3}], centreAdminUser={"reference": "NOBODY"})
    r = tenant.janison("POST", "/api/centre", json=body)
    write_error(r, 400, (2102, "Test '3' could not be found", "tests"))
    r = tenant.janison("POST", "/api/centre", json=centre(centreAdminUser={"id": 12}))
    write_error(r, 400, (2102, "User '12' could not be found", "centreAdminUser"))


def test_dup_1_centre_reference_taken_is_409(tenant):
    r = tenant.janison("POST", "/api/centre", json=centre(reference="CTR001"))
    write_error(r, 409, (3001, "A centre with reference 'CTR001' already exists", "reference"))


def test_put_centre_changes_only_what_it_sends(tenant):
    before = one(tenant, "/api/centre/1")
    r = tenant.janison(
        "PUT",
        "/api/centre/1",
        json={"postCode": "9999", "centreAdminUser": {"id": 2}, "tests": [{"id": 2}]},
    )
    assert r.status_code == 200
    assert one(tenant, "/api/centre/1") == {
        **before,
        "postCode": "9999",
        "centreAdminUser": ref("user", 2, "USR002"),
        "tests": [ref("test", 2, "ENG-ACAD")],
    }


def test_unknown_centre_is_404(tenant):
    write_error(
        tenant.janison("DELETE", "/api/centre/5"), 404, (1020, "Centre 5 was not found", None)
    )
