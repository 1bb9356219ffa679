"""Lists through the shared query engine ($top, $skip, $orderBy, $filter), the frame's
errors (404, 405, 413, 415, bad JSON), garbage input (never a 500) and tenant isolation."""

from __future__ import annotations

import json

import pytest
from jsupport import BASE, SEED, ids, read_error, write_error

from exam_sandbox.providers.janison.fixtures import dataset, templates

INVALID = "The query specified in the URI is not valid."


def get(tenant, resource: str, **query):
    return tenant.janison("GET", f"/api/{resource}", query_string=query)


# --- paging ----------------------------------------------------------------------------


def test_default_page(tenant):
    r = get(tenant, "candidate")
    assert {k: r.json[k] for k in ("count", "top", "skip", "pageCount")} == {
        "count": 40, "top": 40, "skip": 0, "pageCount": 1
    }  # fmt: skip
    assert r.json["nextPageLink"] is None and r.json["prevPageLink"] is None
    assert ids(r) == list(range(1, 41))


def test_pages_link_to_each_other(tenant):
    r = get(tenant, "candidate", **{"$top": 15, "$skip": 15})
    assert ids(r) == list(range(16, 31))
    assert r.json["pageCount"] == 3
    assert r.json["nextPageLink"] == f"{BASE}/candidate?%24top=15&%24skip=30"
    assert r.json["prevPageLink"] == f"{BASE}/candidate?%24top=15&%24skip=0"


@pytest.mark.parametrize("top", ["0", "101", "-1", "x", "9" * 30])
def test_page_1_top_between_1_and_100(tenant, top):
    read_error(
        get(tenant, "candidate", **{"$top": top}),
        400,
        (1010, "$top must be between 1 and 100", "$top"),
    )


def test_page_1_top_over_100_capped_by_setting(tenant):
    tenant.settings("janison", topOverLimit="cap")
    r = get(tenant, "result", **{"$top": 500})
    assert r.status_code == 200 and r.json["top"] == 100


@pytest.mark.parametrize("skip", ["-1", "x"])
def test_page_2_skip_non_negative(tenant, skip):
    read_error(
        get(tenant, "candidate", **{"$skip": skip}),
        400,
        (1011, "$skip must be a non-negative integer", "$skip"),
    )


# --- $filter and $orderBy ----------------------------------------------------------------


def test_filter_candidates(tenant):
    data = dataset(SEED)
    last = data.candidates[10]["last_name"]
    expected = [i + 1 for i, c in enumerate(data.candidates) if c["last_name"] == last]
    assert ids(get(tenant, "candidate", **{"$filter": f"lastName eq '{last}'"})) == expected
    at_ctr2 = sorted({c + 1 for c, e in data.candidate_centres if e == 1})
    query = "centres/any(c: c/reference eq 'CTR002')"
    assert ids(get(tenant, "candidate", **{"$filter": query})) == at_ctr2
    academic = [c + 1 for c, t in data.candidate_tests if t == 1]
    assert ids(get(tenant, "candidate", **{"$filter": "tests/any(t: t/id eq 2)"})) == academic
    born = [
        i + 1
        for i, c in enumerate(data.candidates)
        if c["date_of_birth"].isoformat() > "1990-01-01"
    ]
    assert ids(get(tenant, "candidate", **{"$filter": "dateOfBirth gt 1990-01-01"})) == born
    assert ids(get(tenant, "candidate", **{"$filter": "startswith(reference, 'CAN000')"})) == (
        list(range(1, 10))
    )


def test_filter_and_order_each_resource(tenant):
    assert ids(get(tenant, "user", **{"$filter": "centres/any(c: c/id eq 3)"})) == [2]
    assert ids(get(tenant, "test", **{
        "$filter": "testpackages/any(p: p/reference eq 'ENG-ACAD-4S')"})) == [2]  # fmt: skip
    assert ids(get(tenant, "testpackage", **{"$filter": "test/id eq 1"})) == [1, 2]
    assert ids(get(tenant, "testpackage", **{
        "$filter": "components/any(c: c/type eq 'Writing')"})) == [1, 3]  # fmt: skip
    assert ids(get(tenant, "component", **{"$filter": "type eq 'Speaking'"})) == [4, 11]
    assert ids(get(tenant, "component", **{"$orderBy": "name desc, id"}))[:4] == [3, 10, 4, 11]
    assert ids(get(tenant, "centre", **{"$filter": "centreAdminUser/id eq 2"})) == [3, 4]
    assert ids(get(tenant, "centre", **{"$orderby": "reference desc"})) == [4, 3, 2, 1]
    assert ids(get(tenant, "user", **{"$ORDERBY": "userName"})) == [
        u["id"] for u in sorted(templates(SEED)["user"], key=lambda u: u["user_name"])
    ]


def test_filter_results(tenant):
    rows = templates(SEED)
    c1 = sorted(
        {rc["result_pk"].index + 1 for rc in rows["result_component"] if rc["cefr_grade"] == "C1"}
    )
    query = "components/any(c: c/CEFRGrade eq 'C1')"
    assert ids(get(tenant, "result", **{"$filter": query})) == c1
    assert ids(
        get(tenant, "result", **{"$filter": "testPackageCompletionDate ge 2026-02-09T00:00:00Z"})
    ) == list(range(5, 11))
    assert ids(get(tenant, "result", **{
        "$filter": "centre/reference eq 'CTR003' and completed"})) == [8, 9, 10]  # fmt: skip
    assert ids(get(tenant, "result", **{"$filter": "components/any(c: c/id eq 9)"})) == [8, 9, 10]


@pytest.mark.parametrize(
    ("resource", "query", "detail"),
    [
        ("candidate", "nope eq 1", "Unknown property 'nope' at position 0"),
        (
            "centre",
            "name eq",
            "Expected a property, literal or function, found end of input at position 7",
        ),
        (
            "result",
            "completed eq 'yes'",
            "Cannot compare bool property 'completed' with string literal 'yes' at position 13",
        ),
    ],
)
def test_filter_1_bad_filter(tenant, resource, query, detail):
    read_error(
        get(tenant, resource, **{"$filter": query}), 400, (1012, f"{INVALID} {detail}", "$filter")
    )


def test_order_1_bad_order(tenant):
    read_error(
        get(tenant, "candidate", **{"$orderBy": "shoeSize"}),
        400,
        (1013, f"{INVALID} Unknown property 'shoeSize' at position 0", "$orderBy"),
    )


# --- the frame ---------------------------------------------------------------------------


def test_paths_match_without_regard_to_case(tenant):
    assert tenant.janison("GET", "/API/Candidate/1").status_code == 200
    assert tenant.janison("GET", "/api/TESTSCHEDULE/1").status_code == 405


def test_unknown_path_is_404(tenant):
    read_error(
        tenant.janison("GET", "/api/candidates"),
        404,
        (
            1005,
            "No HTTP resource was found that matches the request URI "
            "'http://localhost/janison/api/candidates'.",
            None,
        ),
    )


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/api/test/1", "GET, HEAD, OPTIONS"),
        ("POST", "/api/result", "GET, HEAD, OPTIONS"),
        ("PUT", "/api/testpackage/1", "GET, HEAD, OPTIONS"),
        ("GET", "/api/testschedulecomponent", "OPTIONS, POST"),
        ("POST", "/api/component", "GET, HEAD, OPTIONS"),
    ],
)
def test_verbs_the_resource_lacks_are_405(tenant, method, path, allowed):
    r = tenant.janison(method, path, json={})
    assert r.status_code == 405 and r.headers["Allow"] == allowed
    assert r.json["errors"] == [{
        "code": 1004,
        "message": f"The requested resource does not support http method '{method}'.",
        "field": None,
    }]  # fmt: skip


def test_body_not_json_is_415_and_unreadable_json_400(tenant):
    r = tenant.janison("POST", "/api/user", data="userName=x", content_type="text/plain")
    write_error(r, 415, (1003, "The content type 'text/plain' is not supported", None))
    r = tenant.janison("POST", "/api/user", data="{nope", content_type="application/json")
    write_error(r, 400, (1001, "The request body could not be read as JSON", None))


def test_body_over_a_mebibyte_is_413(tenant):
    big = json.dumps({"userName": "x" * (1 << 20), "reference": "R"})
    r = tenant.janison("POST", "/api/user", data=big, content_type="application/json")
    write_error(r, 413, (1002, "The request entity is too large", None))


def test_huge_ids_are_not_found(tenant):
    r = tenant.janison("GET", "/api/candidate/" + "9" * 30)
    assert r.status_code == 404


GARBAGE = [
    None,
    [],
    "text",
    7,
    True,
    [{"id": 1}],
    {"centres": "CTR001"},
    {"tests": [1, 2]},
    {"centres": [{"id": "one"}]},
    {"candidates": [{"id": 2**70}]},
    {"centre": {"id": -1}},
    {"centre": []},
    {"testPackageId": "1"},
    {"testPackage": {"reference": ""}},
    {"components": {"id": 1}},
    {"testScehdule": [], "components": [None]},
    {"dateOfBirth": "2024-02-30"},
    {"gender": 1},
    {"firstName": {"a": 1}},
    {"reference": "x" * 5000},
    {"candidates": [{"id": 1}] * 600},
    {"extendValidityPeriod": "maybe"},
    {"a": [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]},
]
WRITES = [
    ("POST", "/api/user"),
    ("PUT", "/api/user/1"),
    ("POST", "/api/candidate"),
    ("PUT", "/api/candidate/1"),
    ("POST", "/api/centre"),
    ("PUT", "/api/centre/1"),
    ("POST", "/api/testschedule"),
    ("POST", "/api/testschedulecomponent"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_garbage_never_answers_500(tenant, method, path):
    for payload in GARBAGE:
        r = tenant.janison(method, path, json=payload)
        assert r.status_code < 500, (payload, r.json)
        if r.status_code >= 400:
            assert r.json["errors"] and all(
                set(e) == {"code", "message", "field"} for e in r.json["errors"]
            )


@pytest.mark.parametrize("query", [
    {"$filter": "'"}, {"$filter": "(" * 300}, {"$orderBy": ","}, {"$top": "1e3"},
    {"$filter": "centres/any(c: c/nope eq 1)"}, {"$filter": "id eq 99999999999999999999999"},
])  # fmt: skip
def test_garbage_queries_never_answer_500(tenant, query):
    for resource in ("candidate", "result", "user", "centre", "component"):
        assert get(tenant, resource, **query).status_code == 400


# --- isolation -----------------------------------------------------------------------------


def test_tenants_see_only_their_own_rows(tenant, http):
    other = http.post("/_sandbox/tenants", json={"seed": SEED}).json
    c = other["credentials"]["janison"]
    theirs = {
        "Ocp-Apim-Subscription-Key": c["subscriptionKey"],
        "Authorization": f"Bearer {c['token']}",
    }
    try:
        body = {
            "firstName": "Only",
            "lastName": "Mine",
            "dateOfBirth": "1990-01-01",
            "gender": "Male",
            "centres": [],
            "tests": [],
            "reference": "MINE-1",
        }
        created = tenant.janison("POST", "/api/candidate", json=body).json
        assert created["id"] == 41
        assert http.get("/janison/api/candidate/41", headers=theirs).status_code == 404
        assert http.get("/janison/api/candidate", headers=theirs).json["count"] == 40
        # They cannot book my candidate, even by reference.
        r = http.post("/janison/api/testschedule", headers=theirs, json={
            "testPackageId": 1, "centre": {"id": 1}, "candidates": [{"reference": "MINE-1"}],
            "testPackageDate": "2099-01-01",
        })  # fmt: skip
        assert r.status_code == 400 and r.json["errors"][0]["code"] == 2102
        # Their retiring touches nothing of mine.
        assert http.delete("/janison/api/candidate/1", headers=theirs).status_code == 200
        assert tenant.janison("GET", "/api/candidate/1").json["response"][0]["retired"] is False
    finally:
        http.delete(f"/_sandbox/tenants/{other['tenant']}")


def test_deleting_a_tenant_removes_its_janison_rows(http):
    created = http.post("/_sandbox/tenants", json={"seed": 3}).json
    c = created["credentials"]["janison"]
    auth = {
        "Ocp-Apim-Subscription-Key": c["subscriptionKey"],
        "Authorization": f"Bearer {c['token']}",
    }
    assert http.get("/janison/api/result", headers=auth).status_code == 200
    http.delete(f"/_sandbox/tenants/{created['tenant']}")
    assert http.get("/janison/api/result", headers=auth).status_code == 401


def test_req_7_an_unexpected_error_is_janisons_500(tenant, monkeypatch):
    import exam_sandbox.providers.janison.routes.results as results

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(results, "page", crash)
    read_error(get(tenant, "result"), 500, (1006, "An unexpected error occurred", None))
