"""Requests in general (the sandbox's REQ rules): an unknown path (404 "Url not found"), a
method a path does not take (405), a body of another content type (415), one that is not
JSON (400) or too big (413). Each in the envelope of the path: the ASP.NET shape on
/schedule and /schedule/add-candidates, the Content envelope elsewhere; none writes."""

from __future__ import annotations

import json

import pytest
from csupport import (
    ADD_CANDIDATES,
    ASSESSMENT,
    EXTERNAL,
    NOW,
    RESULTS,
    SCHEDULE,
    absent,
    bad_request,
    content_error,
    counts,
    message_error,
    schedule_body,
)

BIG = json.dumps({**schedule_body(), "Padding": "a" * 1_100_000})  # over the 1 MiB limit


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


def send(t, method: str, path: str, **kwargs):
    before = counts(t)
    response = t.cirrus(method, path, **kwargs)
    assert counts(t) == before
    return response


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/integrations/nope",
        "/api/v1/integrations/schedule/nope",
        "/api/v1/integrations/external/schedules/SCH-1",
        "/api/v1/integrations/assessment/MATH-101/extra",
        "/api/v2/integrations/schedule",
        "/nope",
    ],
)
def test_req_6_unknown_path_is_404(t, path):
    content_error(send(t, "GET", path), 404, "Url not found")
    content_error(send(t, "POST", path, json={}), 404, "Url not found")


def test_req_6_unknown_path_without_auth_is_403(t):
    # Authentication comes first: an unauthenticated caller learns nothing of the paths.
    content_error(
        send(t, "GET", "/api/v1/integrations/nope", auth={}), 403, "Not allowed to use external API"
    )


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", SCHEDULE, "OPTIONS, POST"),
        ("PUT", SCHEDULE, "OPTIONS, POST"),
        ("DELETE", ADD_CANDIDATES, "OPTIONS, POST"),
    ],
)
def test_req_5_method_not_allowed_on_schedule_paths(t, method, path, allowed):
    answer = send(t, method, path)
    message_error(answer, 405, f"The requested resource does not support http method '{method}'.")
    assert answer.headers["Allow"] == allowed


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", ASSESSMENT, "OPTIONS, POST"),
        ("PATCH", f"{ASSESSMENT}/MATH-101", "GET, HEAD, OPTIONS"),
        ("PUT", f"{EXTERNAL}/SCH-1", "DELETE, GET, HEAD, OPTIONS, PATCH"),
        ("GET", EXTERNAL, "OPTIONS, POST"),
        ("POST", RESULTS, "GET, HEAD, OPTIONS"),
    ],
)
def test_req_5_method_not_allowed_elsewhere(t, method, path, allowed):
    answer = send(t, method, path, json={})
    content_error(answer, 405, f"The requested resource does not support http method '{method}'.")
    assert answer.headers["Allow"] == allowed


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "application/x-www-form-urlencoded"]
)
def test_req_4_other_content_type_is_415(t, content_type):
    body = json.dumps(schedule_body())
    message_error(
        send(t, "POST", SCHEDULE, data=body, content_type=content_type),
        415,
        f"The content type '{content_type}' is not supported",
    )
    message_error(
        send(t, "POST", ADD_CANDIDATES, data=body, content_type=content_type),
        415,
        f"The content type '{content_type}' is not supported",
    )
    content_error(
        send(t, "POST", EXTERNAL, data=body, content_type=content_type),
        415,
        f"The content type '{content_type}' is not supported",
    )
    content_error(
        send(t, "POST", ASSESSMENT, data=body, content_type=content_type),
        415,
        f"The content type '{content_type}' is not supported",
    )
    absent(t, "SCH-1")


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "application/vnd.cirrus+json"]
)
def test_json_content_types_are_taken(t, content_type):
    answer = t.cirrus("POST", SCHEDULE, data=json.dumps(schedule_body()), content_type=content_type)
    assert answer.status_code == 200, answer.json


@pytest.mark.parametrize(
    "data",
    ["{", "Schedule=1", "{'Schedule': {}}", "[1,]", "[" * 5000 + "]" * 5000, b"\xff\xfe"],
    ids=["truncated", "form", "single-quotes", "trailing-comma", "too-deep", "not-utf8"],
)
def test_req_2_body_not_json_is_400(t, data):
    bad_request(
        send(t, "POST", SCHEDULE, data=data, content_type="application/json"),
        "The request body is not valid JSON",
    )
    bad_request(
        send(t, "POST", ADD_CANDIDATES, data=data, content_type="application/json"),
        "The request body is not valid JSON",
    )
    content_error(
        send(t, "POST", EXTERNAL, data=data, content_type="application/json"),
        400,
        "The request body is not valid JSON",
    )
    content_error(
        send(t, "POST", ASSESSMENT, data=data, content_type="application/json"),
        400,
        "The request body is not valid JSON",
    )
    content_error(
        send(t, "PATCH", f"{EXTERNAL}/SCH-1", data=data, content_type="application/json"),
        400,
        "The request body is not valid JSON",
    )


@pytest.mark.parametrize("data", [None, "", "   "], ids=["none", "empty", "blank"])
def test_req_1_body_missing_is_400(t, data):
    kwargs = {} if data is None else {"data": data, "content_type": "application/json"}
    bad_request(
        send(t, "POST", SCHEDULE, **kwargs), "'request' is not valid: a request body is required"
    )
    content_error(
        send(t, "POST", ASSESSMENT, **kwargs),
        400,
        "'request' is not valid: a request body is required",
    )


def test_req_1_text_that_cannot_be_stored_is_400(t):
    bad_request(
        send(t, "POST", SCHEDULE, json=schedule_body({"Title": "a\ud800b"})),
        "'Schedule.Title' is not valid: contains a character that cannot be stored (U+D800)",
    )


def test_req_3_body_too_big_is_413(t):
    message_error(
        send(t, "POST", SCHEDULE, data=BIG, content_type="application/json"),
        413,
        "The request entity is too large",
    )
    message_error(
        send(t, "POST", ADD_CANDIDATES, data=BIG, content_type="application/json"),
        413,
        "The request entity is too large",
    )
    content_error(
        send(t, "POST", EXTERNAL, data=BIG, content_type="application/json"),
        413,
        "The request entity is too large",
    )
    content_error(
        send(t, "POST", ASSESSMENT, data=BIG, content_type="application/json"),
        413,
        "The request entity is too large",
    )
    absent(t, "SCH-1")


def test_req_3_body_just_under_the_limit_is_read(t):
    body = schedule_body()
    body["Padding"] = ""
    room = 1_048_576 - len(json.dumps(body))
    body["Padding"] = "a" * (room - 10)
    answer = t.cirrus("POST", SCHEDULE, data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 200, answer.json


def test_unknown_members_are_ignored(t):
    # Cirrus's own optional members (LockExamOnConnectionLoss ...) and any others.
    answer = t.cirrus(
        "POST",
        SCHEDULE,
        json={
            **schedule_body({"LockExamOnConnectionLoss": True, "Extra": 1}),
            "Other": [1, 2],
        },
    )
    assert answer.status_code == 200, answer.json


def test_openapi_document_is_served_without_auth(t):
    answer = t.cirrus("GET", "/openapi.json", auth={})
    assert answer.status_code == 200
    assert "/api/v1/integrations/schedule" in answer.json["paths"]
