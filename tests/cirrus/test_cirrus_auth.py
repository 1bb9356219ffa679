"""Auth, rules A1-A3: ``EAPI <token>`` and ``EAPI<token>`` are accepted (A2); no header,
another scheme or an unknown token is 403 "Not allowed to use external API" (A1, A3), in
the Content envelope, and in the ASP.NET shape on /schedule and /schedule/add-candidates.
A token sees its own tenant's data only."""

from __future__ import annotations

import base64

import pytest
from csupport import (
    ADD_CANDIDATES,
    ASSESSMENT,
    EXTERNAL,
    NOT_ALLOWED,
    NOW,
    PUBLISHED,
    RESULTS,
    SCHEDULE,
    SCHEDULE_NOT_FOUND,
    absent,
    add_body,
    content_error,
    counts,
    made,
    message_error,
    sat,
    schedule_body,
)

# Every operation, with a body where it takes one.
OPERATIONS = [
    ("POST", SCHEDULE, schedule_body()),
    ("POST", f"{SCHEDULE}?type=json", schedule_body()),
    ("POST", ADD_CANDIDATES, add_body()),
    ("POST", EXTERNAL, {"AssessmentExternalId": PUBLISHED}),
    ("GET", f"{EXTERNAL}/SCH-1", None),
    ("PATCH", f"{EXTERNAL}/SCH-1", {"StartDateTime": "2030-01-10T09:00:00Z"}),
    ("DELETE", f"{EXTERNAL}/SCH-1", None),
    ("GET", f"{ASSESSMENT}/{PUBLISHED}", None),
    ("POST", ASSESSMENT, {"Title": "T", "Purpose": 1, "Code": "C"}),
    ("GET", f"{RESULTS}?CandidateExtId=CAN-1", None),
]
MESSAGE_SHAPED = {SCHEDULE, ADD_CANDIDATES}


def refused(response, path: str) -> None:
    if path.split("?")[0] in MESSAGE_SHAPED:
        message_error(response, 403, NOT_ALLOWED)
    else:
        content_error(response, 403, NOT_ALLOWED)


def call(t, method: str, path: str, body, headers: dict):
    kwargs = {"json": body} if body is not None else {}
    return t.cirrus(method, path, auth=headers, **kwargs)


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_a1_no_authorization_header_is_403_on_every_operation(tenant, method, path, body):
    before = counts(tenant)
    refused(call(tenant, method, path, body, {}), path)
    assert counts(tenant) == before


def _other_schemes(token: str) -> list[str]:
    basic = base64.b64encode(f"user:{token}".encode()).decode()
    return [
        f"Bearer {token}",
        f"Basic {basic}",
        token,  # the bare token
        f"Token {token}",
        "EAPI",  # the scheme without a token
        "EAPI ",
        f"APIE {token}",
        f"X{token}",
    ]


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_a1_another_scheme_is_403(tenant, method, path, body):
    token = tenant.credentials["cirrus"]["token"]
    for value in _other_schemes(token):
        refused(call(tenant, method, path, body, {"Authorization": value}), path)
    absent(tenant, "SCH-1")
    assert counts(tenant)["cirrus_schedule"] == 0


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_a3_unknown_token_is_403(tenant, method, path, body):
    token = tenant.credentials["cirrus"]["token"]
    for value in (
        "EAPI " + "A" * 48,
        "EAPI " + token[:-1],  # one character short
        "EAPI " + token[:-1] + ("x" if token[-1] != "x" else "y"),
        "EAPI " + token + "0",
        "EAPI " + token.swapcase(),  # tokens are case-sensitive
    ):
        refused(call(tenant, method, path, body, {"Authorization": value}), path)
    absent(tenant, "SCH-1")


def test_a2_token_with_and_without_the_space_is_accepted(tenant):
    token = tenant.credentials["cirrus"]["token"]
    assert len(token) == 48 and token.isalnum()
    for i, value in enumerate((f"EAPI {token}", f"EAPI{token}")):
        answer = call(
            tenant,
            "POST",
            SCHEDULE,
            schedule_body({"ScheduleExtId": f"SCH-{i}"}),
            {"Authorization": value},
        )
        assert answer.status_code == 200, answer.json
        assert answer.json["Schedule"]["ScheduleExtId"] == f"SCH-{i}"
        got = call(tenant, "GET", f"{EXTERNAL}/SCH-{i}", None, {"Authorization": value})
        assert got.status_code == 200 and got.json["Content"]["ExternalId"] == f"SCH-{i}"


def test_a3_a_deleted_tenants_token_is_refused(http, tenant):
    # Authenticated once (so cached), then the tenant goes: its token is unknown.
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json
    headers = {"Authorization": f"EAPI {other['credentials']['cirrus']['token']}"}
    assert call(tenant, "GET", f"{ASSESSMENT}/{PUBLISHED}", None, headers).status_code == 200
    assert http.delete(f"/_sandbox/tenants/{other['tenant']}").status_code in (200, 204)
    content_error(call(tenant, "GET", f"{ASSESSMENT}/{PUBLISHED}", None, headers), 403, NOT_ALLOWED)
    message_error(call(tenant, "POST", SCHEDULE, schedule_body(), headers), 403, NOT_ALLOWED)


def test_a3_tokens_are_unique_per_tenant_even_for_one_seed(http, tenant):
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json
    try:
        assert other["credentials"]["cirrus"]["token"] != tenant.credentials["cirrus"]["token"]
    finally:
        http.delete(f"/_sandbox/tenants/{other['tenant']}")


@pytest.fixture()
def other(http):
    created = http.post("/_sandbox/tenants", json={"seed": 7})
    assert created.status_code == 201
    body = created.json
    yield body["tenant"], {"Authorization": f"EAPI {body['credentials']['cirrus']['token']}"}
    http.delete(f"/_sandbox/tenants/{body['tenant']}")


def test_tenant_isolation_schedules_assessments_and_results(tenant, other):
    other_id, other_auth = other
    tenant.freeze(NOW)
    made(tenant)
    tenant.freeze("2030-01-10T09:30:00Z")
    attempt = sat(tenant, score=80)["AttemptExtId"]
    created = tenant.cirrus(
        "POST", ASSESSMENT, json={"ExternalId": "OWN-1", "Title": "Own", "Purpose": 1, "Code": "O"}
    )
    assert created.status_code == 200, created.json
    # The owner sees them all.
    assert tenant.cirrus("GET", f"{EXTERNAL}/SCH-1").status_code == 200
    assert tenant.cirrus("GET", f"{ASSESSMENT}/OWN-1").status_code == 200
    mine = tenant.cirrus("GET", RESULTS, query_string={"AttemptExtId": attempt})
    assert mine.status_code == 200 and len(mine.json["Attempts"]) == 1

    # The other tenant sees none of them, and cannot change them.
    def as_other(method, path, **kwargs):
        return tenant.cirrus(method, path, auth=other_auth, **kwargs)

    content_error(as_other("GET", f"{EXTERNAL}/SCH-1"), 400, SCHEDULE_NOT_FOUND)
    content_error(
        as_other("PATCH", f"{EXTERNAL}/SCH-1", json={"StartDateTime": "2030-02-01T09:00:00Z"}),
        400,
        SCHEDULE_NOT_FOUND,
    )
    content_error(as_other("DELETE", f"{EXTERNAL}/SCH-1"), 400, SCHEDULE_NOT_FOUND)
    content_error(
        as_other("GET", f"{ASSESSMENT}/OWN-1"), 400, "Assessment hasn't been found by external id"
    )
    content_error(
        as_other("GET", RESULTS, query_string={"AttemptExtId": attempt}),
        400,
        "Attempt hasn't been found by external id",
    )
    content_error(
        as_other("GET", RESULTS, query_string={"CandidateExtId": "CAN-1"}),
        400,
        "Candidate hasn't been found by external id",
    )
    message_error(
        as_other("POST", ADD_CANDIDATES, json=add_body()),
        400,
        f"Bad request | {SCHEDULE_NOT_FOUND}",
    )
    # Its controls do not reach the first tenant's schedule either.
    sat_there = tenant.http.post(
        f"/_sandbox/tenants/{other_id}/cirrus/schedules/SCH-1/candidates/CAN-1/complete", json={}
    )
    assert sat_there.status_code == 404
    # The same ScheduleExtId is free in the other tenant: one namespace per tenant.
    again = as_other("POST", SCHEDULE, json=schedule_body())
    assert again.status_code == 200, again.json
    assert other_id in again.json["Candidates"][0]["LaunchUrl"]
    # ... and the first tenant's schedule is unchanged: still its one candidate.
    mine = tenant.cirrus("GET", f"{EXTERNAL}/SCH-1").json["Content"]
    assert [c["ExternalId"] for c in mine["Candidates"]] == ["CAN-1"]
    assert counts(tenant)["cirrus_schedule"] == 1
