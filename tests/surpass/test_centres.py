"""Centre: GET/POST/PUT/DELETE by id or reference, rules CE-1..CE-4, defaults, retiring."""

from __future__ import annotations

import re

from support import errors_of

from exam_sandbox.providers.surpass.fixtures import COUNTIES, dataset

SEED = 7
BASE = "http://localhost/surpass/api/v2"
TZ = "GMT Standard Time"
NULL_WRITE = {"id": None, "href": None, "errors": [], "serverTimeZone": TZ}


def _one(tenant, path: str) -> dict:
    r = tenant.surpass("GET", path)
    assert r.status_code == 200, r.json
    (item,) = r.json["response"]
    return item


def _post(tenant, body: dict):
    return tenant.surpass("POST", "/api/v2/Centre", json=body)


def test_get_by_id_renders_every_field(tenant):
    seeded = dataset(SEED).centres[0]
    item = _one(tenant, "/api/v2/Centre/1")
    assert list(item) == [
        "id", "reference", "href", "name", "status", "randomiseTestForms",
        "hideSubjectsIncludedInSubjectGroups", "excludeItemStatistics", "addressLine1",
        "addressLine2", "town", "postCode", "county", "country",
    ]
    assert (item["id"], item["reference"], item["href"]) == (1, "CEN001", f"{BASE}/Centre/1")
    assert item["name"] == seeded["name"]
    assert item["status"] == "Active"
    assert item["randomiseTestForms"] is True
    assert item["hideSubjectsIncludedInSubjectGroups"] is False
    assert item["excludeItemStatistics"] is False
    assert item["addressLine1"] == seeded["address_line1"] and item["addressLine2"] is None
    assert (item["town"], item["postCode"]) == (seeded["town"], seeded["post_code"])
    county = seeded["county"] + 1
    assert item["county"] == {"id": county, "href": f"{BASE}/County/{county}",
                              "name": COUNTIES[seeded["county"]][0]}
    assert item["country"] == {"id": 1, "href": f"{BASE}/Country/1", "name": "United Kingdom"}


def test_get_by_reference_and_list(tenant):
    assert _one(tenant, "/api/v2/Centre?reference=CEN003")["id"] == 3
    r = tenant.surpass("GET", "/api/v2/Centre")
    assert r.json["count"] == 5 and [c["id"] for c in r.json["response"]] == [1, 2, 3, 4, 5]


def test_NF_1_unknown_centre(tenant):
    for method, path in (("GET", "/api/v2/Centre/9"), ("GET", "/api/v2/Centre?reference=X"),
                         ("PUT", "/api/v2/Centre/9"), ("DELETE", "/api/v2/Centre?reference=X"),
                         ("DELETE", "/api/v2/Centre/9")):
        r = tenant.surpass(method, path, json={} if method == "PUT" else None)
        assert r.status_code == 404, (method, path)
        assert errors_of(r) == [(404, "Centre not found")]


def test_post_minimal_applies_defaults_and_auto_reference(tenant):
    r = _post(tenant, {"name": "Harbour Test Centre"})
    assert r.status_code == 200, r.json
    assert r.json["id"] == 6 and r.json["href"] == f"{BASE}/Centre/6"
    assert re.fullmatch(r"Auto[0-9a-f]{26}", r.json["reference"])  # 30: the reference limit
    item = _one(tenant, "/api/v2/Centre/6")
    assert item["reference"] == r.json["reference"]
    assert item["name"] == "Harbour Test Centre" and item["status"] == "Active"
    assert item["randomiseTestForms"] is True
    assert item["hideSubjectsIncludedInSubjectGroups"] is False
    assert item["excludeItemStatistics"] is False
    assert item["county"] is None and item["country"] is None and item["town"] is None


def test_post_full_reads_back(tenant):
    body = {
        "reference": "HARB", "name": "Harbour", "randomiseTestForms": False,
        "hideSubjectsIncludedInSubjectGroups": True, "excludeItemStatistics": True,
        "addressLine1": "1 Quay", "addressLine2": "Dock", "town": "Port", "postCode": "P1 1AA",
        "county": {"id": 7}, "country": {"id": 2},
    }
    r = _post(tenant, body)
    assert r.status_code == 200, r.json
    assert r.json == {"id": 6, "reference": "HARB", "href": f"{BASE}/Centre/6", "errors": [],
                      "serverTimeZone": TZ}
    item = _one(tenant, "/api/v2/Centre?reference=HARB")
    assert item["randomiseTestForms"] is False
    assert item["hideSubjectsIncludedInSubjectGroups"] is True
    assert item["excludeItemStatistics"] is True
    assert (item["addressLine1"], item["addressLine2"]) == ("1 Quay", "Dock")
    assert (item["town"], item["postCode"]) == ("Port", "P1 1AA")
    assert (item["county"]["id"], item["county"]["name"]) == (7, "County Dublin")
    assert (item["country"]["id"], item["country"]["name"]) == (2, "Ireland")


def test_CE_1_name_required(tenant):
    for body in ({}, {"name": None}, {"name": "  "}, {"reference": "X"}):
        r = _post(tenant, body)
        assert r.status_code == 400
        assert errors_of(r) == [(3101, "name is required")]


def test_CE_2_lengths(tenant):
    r = _post(tenant, {"name": "N" * 81, "reference": "R" * 31, "postCode": "P" * 21})
    assert r.status_code == 400
    assert errors_of(r) == [
        (3102, "reference must not be longer than 30 characters"),
        (3102, "name must not be longer than 80 characters"),
        (3102, "postCode must not be longer than 20 characters"),
    ]
    assert _post(tenant, {"name": "N" * 80, "reference": "R" * 30}).status_code == 200


def test_CE_3_duplicate_reference(tenant):
    r = _post(tenant, {"name": "Copy", "reference": "CEN001"})
    assert r.status_code == 400
    assert errors_of(r) == [(3103, "Centre reference already exists")]
    r = tenant.surpass("PUT", "/api/v2/Centre/2", json={"reference": "CEN001"})
    assert errors_of(r) == [(3103, "Centre reference already exists")]
    assert tenant.surpass("GET", "/api/v2/Centre").json["count"] == 5


def test_CE_4_unknown_county_or_country(tenant):
    r = _post(tenant, {"name": "Far", "county": {"id": 99}, "country": {"id": 98}})
    assert r.status_code == 400
    assert errors_of(r) == [(3104, "County '99' could not be found"),
                            (3104, "Country '98' could not be found")]


def test_put_by_id_changes_only_given_members(tenant):
    before = _one(tenant, "/api/v2/Centre/2")
    r = tenant.surpass("PUT", "/api/v2/Centre/2",
                       json={"name": "Renamed", "excludeItemStatistics": True, "county": None})
    assert r.status_code == 200, r.json
    assert r.json == {"id": 2, "reference": "CEN002", "href": f"{BASE}/Centre/2", "errors": [],
                      "serverTimeZone": TZ}
    after = _one(tenant, "/api/v2/Centre/2")
    assert after["name"] == "Renamed" and after["excludeItemStatistics"] is True
    assert after["county"] is None
    keep = ("reference", "status", "randomiseTestForms", "addressLine1", "town", "country")
    assert {k: after[k] for k in keep} == {k: before[k] for k in keep}


def test_put_by_reference_may_change_the_reference(tenant):
    r = tenant.surpass("PUT", "/api/v2/Centre?reference=CEN004", json={"reference": "CEN004B"})
    assert r.status_code == 200
    assert r.json["reference"] == "CEN004B"
    assert _one(tenant, "/api/v2/Centre/4")["reference"] == "CEN004B"


def test_delete_by_id_retires(tenant):
    r = tenant.surpass("DELETE", "/api/v2/Centre/3")
    assert r.status_code == 200
    assert r.json == NULL_WRITE
    item = _one(tenant, "/api/v2/Centre/3")
    assert item["status"] == "Retired" and item["name"] == dataset(SEED).centres[2]["name"]
    assert tenant.surpass("DELETE", "/api/v2/Centre/3").status_code == 200  # again: no change


def test_delete_by_reference_retires_and_put_reactivates(tenant):
    assert tenant.surpass("DELETE", "/api/v2/Centre?reference=CEN005").json == NULL_WRITE
    assert _one(tenant, "/api/v2/Centre/5")["status"] == "Retired"
    r = tenant.surpass("PUT", "/api/v2/Centre/5", json={"status": "Active"})
    assert r.status_code == 200
    assert _one(tenant, "/api/v2/Centre/5")["status"] == "Active"
    r = tenant.surpass("PUT", "/api/v2/Centre/5", json={"status": "Closed"})
    assert errors_of(r) == [(1000, "status: Must be one of: Active, Retired.")]


def test_reference_query_required_on_collection_writes(tenant):
    r = tenant.surpass("DELETE", "/api/v2/Centre")
    assert r.status_code == 400
    assert errors_of(r) == [(1000, "reference: Missing data for required field.")]


def test_AUTH_2_centre_permissions(tenant):
    viewer = tenant.surpass_user("viewer", permissions=["ViewCentres"])
    nobody = tenant.surpass_user("nobody", permissions=["ViewCandidates", "EditCandidates"])
    r = tenant.surpass("GET", "/api/v2/Centre", auth=nobody)
    assert r.status_code == 403
    assert errors_of(r) == [(403, "User does not have permission to view centres")]
    assert tenant.surpass("GET", "/api/v2/Centre/1", auth=viewer).status_code == 200
    for method, path in (("POST", "/api/v2/Centre"), ("PUT", "/api/v2/Centre/1"),
                         ("DELETE", "/api/v2/Centre/1")):
        r = tenant.surpass(method, path, json={"name": "X"}, auth=viewer)
        assert r.status_code == 403
        assert errors_of(r) == [(403, "User does not have permission to edit centres")]
    assert _one(tenant, "/api/v2/Centre/1")["status"] == "Active"


def test_centre_filters(tenant):
    r = tenant.surpass("GET", "/api/v2/Centre?$filter=contains(name, 'Assessment')"
                       " and id lt 3&$orderBy=id desc")
    assert [c["id"] for c in r.json["response"]] == [2, 1]
    tenant.surpass("PUT", "/api/v2/Centre/4", json={"randomiseTestForms": False})
    r = tenant.surpass("GET", "/api/v2/Centre?$filter=randomiseTestForms eq false")
    assert [c["id"] for c in r.json["response"]] == [4]
    r = tenant.surpass("GET", "/api/v2/Centre?$filter=town eq 'x'")
    assert r.status_code == 400
    assert errors_of(r) == [(1012, "The query specified in the URI is not valid. "
                                   "Unknown property 'town' at position 0")]
