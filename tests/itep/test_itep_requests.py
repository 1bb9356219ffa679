"""Requests in general, on both calls: a body that is not a JSON object, not JSON or
missing (400 ``invalid_request``), another content type (415), an unknown path (404
``not_found``), a verb a path does not take (405 with ``Allow``), a body over 1 MiB
(413). Every one in iTEP's ``{"error", "message"}`` body, and none uses a test ID."""

from __future__ import annotations

import json

import pytest
from isupport import ASSIGN, CALLS, CANDIDATE, assigned, wire_error, writes_nothing

NOT_AN_OBJECT = "request: the body must be a JSON object"
NO_BODY = "request: a request body is required"
NOT_JSON = "The request body is not valid JSON"


def send(t, method: str, path: str, **kwargs):
    return writes_nothing(t, lambda: t.itep(method, path, **kwargs))


@pytest.mark.parametrize("path", CALLS)
@pytest.mark.parametrize(
    "body", [None, [], [{"assigned_to": CANDIDATE}], "text", 12, True], ids=repr
)
def test_a_body_that_is_not_an_object_is_invalid_request(tenant, path, body):
    response = send(tenant, "POST", path, data=json.dumps(body), content_type="application/json")
    wire_error(response, 400, "invalid_request", NOT_AN_OBJECT)


@pytest.mark.parametrize("path", CALLS)
@pytest.mark.parametrize(
    "data",
    ["{", "assigned_to=1", "{'assigned_to': {}}", '{"assigned_to": {},}', b"\xff\xfe"],
    ids=["truncated", "form", "single-quotes", "trailing-comma", "not-utf8"],
)
def test_a_body_that_is_not_json_is_invalid_request(tenant, path, data):
    response = send(tenant, "POST", path, data=data, content_type="application/json")
    wire_error(response, 400, "invalid_request", NOT_JSON)


@pytest.mark.parametrize("path", CALLS)
@pytest.mark.parametrize("data", [None, "", "  "], ids=["none", "empty", "blank"])
def test_no_body_is_invalid_request(tenant, path, data):
    kwargs = {} if data is None else {"data": data, "content_type": "application/json"}
    wire_error(send(tenant, "POST", path, **kwargs), 400, "invalid_request", NO_BODY)


@pytest.mark.parametrize("path", CALLS)
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "application/x-www-form-urlencoded"]
)
def test_another_content_type_is_415(tenant, path, content_type):
    body = json.dumps({"assigned_to": CANDIDATE})
    wire_error(
        send(tenant, "POST", path, data=body, content_type=content_type),
        415,
        "unsupported_media_type",
        f"The content type '{content_type}' is not supported: send application/json",
    )


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8"])
def test_json_with_a_charset_is_taken(tenant, content_type):
    body = json.dumps({"assigned_to": CANDIDATE})
    response = tenant.itep("POST", ASSIGN, data=body, content_type=content_type)
    assert response.status_code == 200, response.json


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nope",
        "/api/v1/test-ids",
        "/api/v1/test-ids/assign/extra",
        "/api/v1/test-ids/email",
        "/api/v2/test-ids/assign",
        "/nope",
    ],
)
def test_unknown_path_is_404(tenant, path):
    for method, kwargs in (("GET", {}), ("POST", {"json": {"assigned_to": CANDIDATE}})):
        wire_error(
            send(tenant, method, path, **kwargs),
            404,
            "not_found",
            f"No such resource: http://localhost/itep{path}",
        )


@pytest.mark.parametrize("path", CALLS)
@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_another_verb_is_405_with_allow(tenant, path, method):
    response = send(tenant, method, path, json={"assigned_to": CANDIDATE})
    wire_error(response, 405, "method_not_allowed", f"The method {method} is not allowed here")
    assert response.headers["Allow"] == "OPTIONS, POST"


@pytest.mark.parametrize("path", CALLS)
def test_a_body_over_the_limit_is_413(tenant, path):
    big = json.dumps({"assigned_to": {**CANDIDATE, "padding": "a" * 1_100_000}})
    wire_error(
        send(tenant, "POST", path, data=big, content_type="application/json"),
        413,
        "payload_too_large",
        "The request body is too large",
    )


def test_a_body_just_under_the_limit_is_taken(tenant):
    # 1 MiB is the limit; an Assigned-to of most of it is stored and handed back.
    padding = "a" * 1_000_000
    got = assigned(tenant, {"assigned_to": {**CANDIDATE, "padding": padding}})
    assert got["assigned_to"]["padding"] == padding


def test_members_the_body_does_not_define_are_ignored(tenant):
    got = assigned(tenant, {"assigned_to": CANDIDATE, "note": "x", "count": 3})
    assert set(got) == {
        "test_id",
        "status",
        "product_code",
        "assigned_to",
        "oid",
        "tracking_code",
        "source",
    }
