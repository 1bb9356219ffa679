"""User and candidate: GET/POST/PUT (and DELETE for candidates), rules JU-1, JC-1..JC-3,
DUP-1 and RET-1, field by field."""

from __future__ import annotations

import pytest
from jsupport import BASE, SEED, one, ref, write_error

from exam_sandbox.providers.janison.fixtures import dataset

NEW_USER = {"userName": "ada.admin", "reference": "USR-ADA"}
NEW_CANDIDATE = {
    "firstName": "Ada",
    "lastName": "Lovelace",
    "dateOfBirth": "1990-01-31",
    "gender": "Female",
    "centres": [{"reference": "CTR002"}],
    "tests": [{"id": 1}],
    "reference": "CAN-ADA",
}
DROP = object()


def candidate(**changes) -> dict:
    body = {**NEW_CANDIDATE, **changes}
    return {k: v for k, v in body.items() if v is not DROP}


# --- user ------------------------------------------------------------------------------


def test_get_user_renders_every_field_in_the_seed_order(tenant):
    seeded = dataset(SEED).users[0]
    item = one(tenant, "/api/user/1")
    assert list(item) == [
        "userName", "firstName", "middleName", "lastName", "dateOfBirth", "gender", "expiry",
        "addressLine1", "addressLine2", "town", "county", "country", "postCode", "email",
        "phone", "centres", "tests", "href", "id", "reference",
    ]  # fmt: skip
    assert item["userName"] == seeded["user_name"]
    assert item["firstName"] == seeded["first_name"]
    assert item["lastName"] == seeded["last_name"]
    assert item["email"] == seeded["email"] and item["phone"] == seeded["phone"]
    assert item["middleName"] is None and item["dateOfBirth"] is None
    assert item["centres"] == [ref("centre", 1, "CTR001"), ref("centre", 2, "CTR002")]
    assert item["tests"] == []
    assert (item["href"], item["id"], item["reference"]) == (f"{BASE}/user/1", 1, "USR001")


def test_post_user_stores_every_field(tenant):
    body = {
        **NEW_USER,
        "firstName": "Ada",
        "middleName": "King",
        "lastName": "Lovelace",
        "dateOfBirth": "1990-01-31",
        "gender": "female",
        "expiry": "2031-12-31",
        "addressLine1": "1 Analytical Way",
        "addressLine2": "Level 2",
        "town": "Sydney",
        "county": "New South Wales",
        "country": "Australia",
        "postCode": "2000",
        "email": "ada@example.com",
        "phone": "+61 2 0000 0000",
        "centres": [{"reference": "CTR003"}, {"id": 1}],
        "tests": [{"reference": "ENG-ACAD"}],
        "href": "ignored",
        "id": 999,
    }
    r = tenant.janison("POST", "/api/user", json=body)
    assert r.status_code == 200
    assert r.json == {"id": 4, "reference": "USR-ADA", "href": f"{BASE}/user/4", "errors": []}
    item = one(tenant, "/api/user/4")
    assert item == {
        **{k: v for k, v in body.items() if k not in ("href", "id", "centres", "tests")},
        "gender": "Female",
        "centres": [ref("centre", 1, "CTR001"), ref("centre", 3, "CTR003")],
        "tests": [ref("test", 2, "ENG-ACAD")],
        "href": f"{BASE}/user/4",
        "id": 4,
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reference": "X"}, "userName"),
        ({"userName": "x"}, "reference"),
        ({"userName": "   ", "reference": "X"}, "userName"),
        ({"userName": "x", "reference": None}, "reference"),
    ],
)
def test_ju_1_user_name_and_reference_are_required(tenant, body, field):
    r = tenant.janison("POST", "/api/user", json=body)
    write_error(r, 400, (2001, f"{field} is required", field))


def test_ju_1_both_missing_are_reported_together(tenant):
    r = tenant.janison("POST", "/api/user", json={})
    write_error(
        r,
        400,
        (2001, "userName is required", "userName"),
        (2001, "reference is required", "reference"),
    )


@pytest.mark.parametrize(
    ("body", "field", "value"),
    [
        ({"userName": "MARIO.HERNANDEZ1x", "reference": "USR001"}, "reference", "USR001"),
        ({"userName": "mario.hernandez1", "reference": "NEW"}, "userName", "mario.hernandez1"),
    ],
)
def test_ju_1_an_existing_user_is_409(tenant, body, field, value):
    r = tenant.janison("POST", "/api/user", json=body)
    write_error(r, 409, (2002, f"A user with {field} '{value}' already exists", field))
    assert tenant.janison("GET", "/api/user").json["count"] == 3


def test_put_user_changes_only_what_it_sends(tenant):
    before = one(tenant, "/api/user/2")
    r = tenant.janison("PUT", "/api/user/2", json={"town": "Perth", "tests": [{"id": 2}]})
    assert r.status_code == 200
    assert r.json == {"id": 2, "reference": "USR002", "href": f"{BASE}/user/2", "errors": []}
    after = one(tenant, "/api/user/2")
    assert after == {**before, "town": "Perth", "tests": [ref("test", 2, "ENG-ACAD")]}


def test_put_user_to_a_taken_user_name_is_409(tenant):
    r = tenant.janison("PUT", "/api/user/2", json={"userName": "mario.hernandez1"})
    write_error(
        r, 409, (2002, "A user with userName 'mario.hernandez1' already exists", "userName")
    )
    # Its own name is no clash.
    r = tenant.janison("PUT", "/api/user/1", json={"userName": "mario.hernandez1"})
    assert r.status_code == 200


def test_user_has_no_delete(tenant):
    r = tenant.janison("DELETE", "/api/user/1")
    write_error(
        r, 405, (1004, "The requested resource does not support http method 'DELETE'.", None)
    )
    assert r.headers["Allow"] == "GET, HEAD, OPTIONS, PUT"


def test_unknown_user_is_404(tenant):
    r = tenant.janison("PUT", "/api/user/99", json={"town": "x"})
    write_error(r, 404, (1020, "User 99 was not found", None))


# --- candidate -------------------------------------------------------------------------


def test_get_candidate_renders_every_field_in_the_seed_order(tenant):
    data = dataset(SEED)
    seeded = data.candidates[0]
    item = one(tenant, "/api/candidate/1")
    assert list(item) == [
        "firstName", "middleName", "lastName", "dateOfBirth", "uln", "gender", "expiry",
        "addressLine1", "addressLine2", "town", "countyID", "countryID", "postCode", "email",
        "phone", "retired", "centres", "tests", "href", "id", "reference",
    ]  # fmt: skip
    assert item["firstName"] == seeded["first_name"]
    assert item["middleName"] == seeded["middle_name"]
    assert item["lastName"] == seeded["last_name"]
    assert item["dateOfBirth"] == seeded["date_of_birth"].isoformat()
    assert item["uln"] == seeded["uln"] and item["gender"] == seeded["gender"]
    assert item["town"] == seeded["town"] == data.centres[0]["town"]
    assert item["countyID"] == "New South Wales" and item["countryID"] == "Australia"
    assert item["email"] == seeded["email"] and item["phone"] == seeded["phone"]
    assert item["expiry"] is None and item["retired"] is False
    assert item["centres"] == [ref("centre", 1, "CTR001")]
    assert item["tests"] == [ref("test", 1, "ENG-GEN"), ref("test", 2, "ENG-ACAD")]
    assert (item["href"], item["id"], item["reference"]) == (f"{BASE}/candidate/1", 1, "CAN0001")


def test_post_candidate_stores_every_field(tenant):
    body = candidate(
        middleName="King", uln="1234567890", expiry="2030-06-30", addressLine1="1 Way",
        addressLine2=None, town="Melbourne", countyID="Victoria", countryID="Australia",
        postCode="3000", email="ada@example.com", phone="0400 000 000",
    )  # fmt: skip
    r = tenant.janison("POST", "/api/candidate", json=body)
    assert r.status_code == 200
    assert r.json == {
        "id": 41,
        "reference": "CAN-ADA",
        "href": f"{BASE}/candidate/41",
        "errors": [],
    }
    item = one(tenant, "/api/candidate/41")
    assert item == {
        **{k: v for k, v in body.items() if k not in ("centres", "tests")},
        "retired": False,
        "centres": [ref("centre", 2, "CTR002")],
        "tests": [ref("test", 1, "ENG-GEN")],
        "href": f"{BASE}/candidate/41",
        "id": 41,
    }


@pytest.mark.parametrize(
    "field",
    ["firstName", "lastName", "dateOfBirth", "gender", "centres", "tests", "reference"],
)
def test_jc_1_each_required_candidate_field(tenant, field):
    r = tenant.janison("POST", "/api/candidate", json=candidate(**{field: DROP}))
    write_error(r, 400, (2101, f"{field} is required", field))
    r = tenant.janison("POST", "/api/candidate", json=candidate(**{field: None}))
    write_error(r, 400, (2101, f"{field} is required", field))


def test_jc_1_every_missing_field_at_once(tenant):
    r = tenant.janison("POST", "/api/candidate", json={"middleName": "only"})
    assert r.status_code == 400
    assert [e["field"] for e in r.json["errors"]] == [
        "firstName", "lastName", "dateOfBirth", "gender", "centres", "tests", "reference"
    ]  # fmt: skip
    assert {e["code"] for e in r.json["errors"]} == {2101}


def test_jc_1_empty_lists_are_present(tenant):
    r = tenant.janison("POST", "/api/candidate", json=candidate(centres=[], tests=[]))
    assert r.status_code == 200
    item = one(tenant, f"/api/candidate/{r.json['id']}")
    assert item["centres"] == [] and item["tests"] == []


def test_candidate_bad_values_are_field_errors(tenant):
    r = tenant.janison(
        "POST", "/api/candidate", json=candidate(gender="Robot", dateOfBirth="31/01/1990")
    )
    write_error(
        r,
        400,
        (1000, "dateOfBirth: Not a valid date: use YYYY-MM-DD.", "dateOfBirth"),
        (1000, "gender: Must be one of: Male, Female, Unspecified.", "gender"),
    )


def test_jc_2_unresolved_centres_and_tests_are_400(tenant):
    body = candidate(centres=[{"id": 1}, {"reference": "NOPE"}], tests=[{"id": 77}])
    r = tenant.janison("POST", "/api/candidate", json=body)
    write_error(
        r,
        400,
        (2102, "Centre 'NOPE' could not be found", "centres"),
        (2102, "Test '77' could not be found", "tests"),
    )
    assert tenant.janison("GET", "/api/candidate?$top=1").json["count"] == 40


def test_jc_2_applies_to_user_links_too(tenant):
    r = tenant.janison("POST", "/api/user", json={**NEW_USER, "centres": [{"id": 9}]})
    write_error(r, 400, (2102, "Centre '9' could not be found", "centres"))


def test_dup_1_candidate_reference_taken_is_409(tenant):
    r = tenant.janison("POST", "/api/candidate", json=candidate(reference="CAN0007"))
    write_error(r, 409, (3001, "A candidate with reference 'CAN0007' already exists", "reference"))


def test_jc_3_delete_retires_and_get_still_shows_it(tenant):
    before = one(tenant, "/api/candidate/3")
    r = tenant.janison("DELETE", "/api/candidate/3")
    assert r.status_code == 200
    assert r.json == {"id": 3, "reference": "CAN0003", "href": f"{BASE}/candidate/3", "errors": []}
    assert one(tenant, "/api/candidate/3") == {**before, "retired": True}
    listed = tenant.janison("GET", "/api/candidate?$filter=retired eq true").json
    assert [c["id"] for c in listed["response"]] == [3]


def test_ret_1_a_retired_candidate_cannot_be_changed(tenant):
    tenant.janison("DELETE", "/api/candidate/3")
    r = tenant.janison("PUT", "/api/candidate/3", json={"town": "x"})
    write_error(r, 409, (3002, "Candidate 3 is retired", None))
    r = tenant.janison("DELETE", "/api/candidate/3")
    write_error(r, 409, (3002, "Candidate 3 is retired", None))
    assert one(tenant, "/api/candidate/3")["town"] != "x"


def test_ret_1_retiring_twice_can_be_ok_by_setting(tenant):
    tenant.settings("janison", retireTwice="ok")
    assert tenant.janison("DELETE", "/api/candidate/3").status_code == 200
    assert tenant.janison("DELETE", "/api/candidate/3").status_code == 200


def test_put_candidate_partial_and_retired_flag(tenant):
    before = one(tenant, "/api/candidate/5")
    r = tenant.janison("PUT", "/api/candidate/5", json={"phone": "1", "centres": [{"id": 4}]})
    assert r.status_code == 200
    after = one(tenant, "/api/candidate/5")
    assert after == {**before, "phone": "1", "centres": [ref("centre", 4, "CTR004")]}
    assert tenant.janison("PUT", "/api/candidate/5", json={"retired": True}).status_code == 200
    assert one(tenant, "/api/candidate/5")["retired"] is True


def test_put_candidate_reference_to_a_taken_one_is_409(tenant):
    r = tenant.janison("PUT", "/api/candidate/5", json={"reference": "CAN0001"})
    write_error(r, 409, (3001, "A candidate with reference 'CAN0001' already exists", "reference"))


def test_a_refused_put_changes_nothing(tenant):
    before = one(tenant, "/api/candidate/5")
    r = tenant.janison(
        "PUT", "/api/candidate/5", json={"phone": "changed", "tests": [{"reference": "NOPE"}]}
    )
    assert r.status_code == 400
    assert one(tenant, "/api/candidate/5") == before


def test_unknown_candidate_is_404(tenant):
    for method in ("GET", "PUT", "DELETE"):
        r = tenant.janison(method, "/api/candidate/4000", json={} if method == "PUT" else None)
        assert r.status_code == 404
        assert r.json["errors"] == [
            {"code": 1020, "message": "Candidate 4000 was not found", "field": None}
        ]


def test_ids_are_never_reused(tenant):
    first = tenant.janison("POST", "/api/candidate", json=candidate()).json["id"]
    second = tenant.janison("POST", "/api/candidate", json=candidate(reference="B")).json["id"]
    assert (first, second) == (41, 42)
