"""Subject: GET/POST/PUT/DELETE by id or reference, rules SU-1..SU-4."""

from __future__ import annotations

import re

from support import errors_of

from exam_sandbox.providers.surpass.fixtures import SUBJECTS

BASE = "http://localhost/surpass/api/v2"
TZ = "GMT Standard Time"
NULL_WRITE = {"id": None, "href": None, "errors": [], "serverTimeZone": TZ}
NEW = {"name": "Geography", "primaryCentre": {"reference": "CEN002"}}


def _one(tenant, path: str) -> dict:
    r = tenant.surpass("GET", path)
    assert r.status_code == 200, r.json
    (item,) = r.json["response"]
    return item


def _post(tenant, body: dict):
    return tenant.surpass("POST", "/api/v2/Subject", json=body)


def test_get_by_id_renders_every_field(tenant):
    item = _one(tenant, "/api/v2/Subject/2")
    assert item == {
        "id": 2, "reference": "ENGLANG", "href": f"{BASE}/Subject/2",
        "name": "English Language", "status": "Active",
        "primaryCentre": {"id": 2, "reference": "CEN002", "href": f"{BASE}/Centre/2"},
        "deliveryType": "OnScreen", "htmlOnly": False, "subjectMasterList": False,
        "enableCheckboxesInItemAuthoring": False,
    }


def test_get_by_reference_and_list(tenant):
    assert _one(tenant, "/api/v2/Subject?reference=LEGACYSCI")["status"] == "Archived"
    r = tenant.surpass("GET", "/api/v2/Subject?$filter=status eq 'Active'&$orderBy=name")
    names = sorted(name for _, name, status, _ in SUBJECTS if status == "Active")
    assert [s["name"] for s in r.json["response"]] == names


def test_NF_1_unknown_subject(tenant):
    for method, path in (("GET", "/api/v2/Subject/99"), ("GET", "/api/v2/Subject?reference=NO"),
                         ("PUT", "/api/v2/Subject?reference=NO"), ("DELETE", "/api/v2/Subject/99")):
        r = tenant.surpass(method, path, json={} if method == "PUT" else None)
        assert r.status_code == 404
        assert errors_of(r) == [(404, "Subject not found")]


def test_post_minimal_applies_defaults(tenant):
    r = _post(tenant, NEW)
    assert r.status_code == 200, r.json
    assert r.json["id"] == 6 and re.fullmatch(r"Auto[0-9a-f]{32}", r.json["reference"])
    item = _one(tenant, "/api/v2/Subject/6")
    assert item["name"] == "Geography" and item["status"] == "Active"
    assert item["primaryCentre"]["id"] == 2
    assert item["deliveryType"] == "OnScreen"
    assert item["htmlOnly"] is False and item["subjectMasterList"] is False
    assert item["enableCheckboxesInItemAuthoring"] is False


def test_post_full_reads_back(tenant):
    body = {"reference": "GEO", "name": "Geography", "primaryCentre": {"id": 4},
            "deliveryType": "OnPaper", "htmlOnly": True, "subjectMasterList": True,
            "enableCheckboxesInItemAuthoring": True, "status": "ActiveRegistrationClosed"}
    r = _post(tenant, body)
    assert r.json == {"id": 6, "reference": "GEO", "href": f"{BASE}/Subject/6", "errors": [],
                      "serverTimeZone": TZ}
    item = _one(tenant, "/api/v2/Subject?reference=GEO")
    assert item["primaryCentre"]["reference"] == "CEN004"
    assert item["deliveryType"] == "OnPaper" and item["status"] == "ActiveRegistrationClosed"
    assert item["htmlOnly"] is item["subjectMasterList"] is True
    assert item["enableCheckboxesInItemAuthoring"] is True


def test_SU_1_name_required(tenant):
    for body in ({"primaryCentre": {"id": 1}}, {**NEW, "name": ""}, {**NEW, "name": None}):
        r = _post(tenant, body)
        assert r.status_code == 400
        assert errors_of(r) == [(3201, "name is required")]


def test_SU_2_primary_centre_required_and_must_exist(tenant):
    for body in ({"name": "G"}, {"name": "G", "primaryCentre": None},
                 {"name": "G", "primaryCentre": {}}):
        r = _post(tenant, body)
        assert r.status_code == 400
        assert errors_of(r) == [(3202, "primaryCentre is required")]
    r = _post(tenant, {"name": "G", "primaryCentre": {"reference": "NOPE"}})
    assert r.status_code == 400
    assert errors_of(r) == [(3202, "primaryCentre 'NOPE' could not be found")]
    r = tenant.surpass("PUT", "/api/v2/Subject/1", json={"primaryCentre": {"id": 42}})
    assert errors_of(r) == [(3202, "primaryCentre '42' could not be found")]


def test_SU_3_delete_refused_unless_archived_without_items(tenant):
    expected = [(3203, "A subject can only be deleted when it is Archived and has no items")]
    r = tenant.surpass("DELETE", "/api/v2/Subject/1")  # Active, 140 items
    assert r.status_code == 400 and errors_of(r) == expected
    archived = tenant.surpass("PUT", "/api/v2/Subject/1", json={"status": "Archived"})
    assert archived.status_code == 200
    r = tenant.surpass("DELETE", "/api/v2/Subject?reference=MATHS")  # Archived, still has items
    assert r.status_code == 400 and errors_of(r) == expected
    created = _post(tenant, NEW).json["id"]
    r = tenant.surpass("DELETE", f"/api/v2/Subject/{created}")  # no items but Active
    assert r.status_code == 400 and errors_of(r) == expected
    assert _one(tenant, "/api/v2/Subject/1")["name"] == "Mathematics"


def test_delete_archived_subject_without_items(tenant):
    r = tenant.surpass("DELETE", "/api/v2/Subject?reference=LEGACYSCI")
    assert r.status_code == 200 and r.json == NULL_WRITE
    assert tenant.surpass("GET", "/api/v2/Subject/5").status_code == 404
    created = _post(tenant, {**NEW, "status": "Archived"}).json["id"]
    assert tenant.surpass("DELETE", f"/api/v2/Subject/{created}").json == NULL_WRITE
    assert tenant.surpass("GET", "/api/v2/Subject").json["count"] == 4


def test_SU_4_duplicate_reference(tenant):
    r = _post(tenant, {**NEW, "reference": "MATHS"})
    assert r.status_code == 400
    assert errors_of(r) == [(3204, "Subject reference already exists")]
    r = tenant.surpass("PUT", "/api/v2/Subject/2", json={"reference": "MATHS"})
    assert errors_of(r) == [(3204, "Subject reference already exists")]


def test_put_by_id_and_reference(tenant):
    r = tenant.surpass("PUT", "/api/v2/Subject/3", json={"name": "Computer Science",
                                                          "deliveryType": "OnPaper"})
    assert r.json == {"id": 3, "reference": "COMPSCI", "href": f"{BASE}/Subject/3",
                      "errors": [], "serverTimeZone": TZ}
    item = _one(tenant, "/api/v2/Subject/3")
    assert (item["name"], item["deliveryType"], item["status"]) == (
        "Computer Science", "OnPaper", "Active")
    r = tenant.surpass("PUT", "/api/v2/Subject?reference=COMPSCI",
                       json={"primaryCentre": {"reference": "CEN001"}, "htmlOnly": True})
    assert r.status_code == 200
    item = _one(tenant, "/api/v2/Subject/3")
    assert item["primaryCentre"]["id"] == 1 and item["htmlOnly"] is True
    assert item["name"] == "Computer Science"


def test_enumerations_are_field_errors(tenant):
    r = _post(tenant, {**NEW, "deliveryType": "Carrier pigeon", "status": "Gone"})
    assert r.status_code == 400
    assert errors_of(r) == [
        (1000, "status: Must be one of: Active, Archived, ActiveRegistrationClosed."),
        (1000, "deliveryType: Must be one of: OnScreen, OnPaper."),
    ]


def test_AUTH_2_subject_permissions(tenant):
    viewer = tenant.surpass_user("viewer", permissions=["ViewSubjects"])
    nobody = tenant.surpass_user("nobody", permissions=["ViewCentres", "EditCentres"])
    r = tenant.surpass("GET", "/api/v2/Subject/1", auth=nobody)
    assert r.status_code == 403
    assert errors_of(r) == [(403, "User does not have permission to view subjects")]
    assert tenant.surpass("GET", "/api/v2/Subject", auth=viewer).status_code == 200
    for method, path in (("POST", "/api/v2/Subject"), ("PUT", "/api/v2/Subject/1"),
                         ("DELETE", "/api/v2/Subject/5")):
        r = tenant.surpass(method, path, json=NEW, auth=viewer)
        assert r.status_code == 403
        assert errors_of(r) == [(403, "User does not have permission to edit subjects")]
    assert tenant.surpass("GET", "/api/v2/Subject").json["count"] == 5
