"""Janison bodies the sandbox cannot keep are refused in Janison's write envelope
(issue 7, defects 1, 2 and 8): a lone surrogate names the member it is in, JSON nested
past the depth limit is unreadable, and a blank body is no way around the Content-Type
check or a body the contract requires."""

from __future__ import annotations

import pytest
from jsupport import write_error

JSON = "application/json"


def unstorable(field: str, code_point: str):
    message = f"{field}: contains a character that cannot be stored ({code_point})"
    return (1000, message, field)


@pytest.mark.parametrize(
    ("path", "body", "field", "code_point"),
    [
        ("/api/candidate", '{"firstName":"\\ud800","lastName":"x"}', "firstName", "U+D800"),
        ("/api/candidate", '{"firstName":"a","lastName":"b\\udc00"}', "lastName", "U+DC00"),
        ("/api/testschedule", '{"candidate":{"reference":"\\udbff"}}', "candidate.reference",
         "U+DBFF"),
        ("/api/user", '{"userName":"u","tags":["ok","\\ud800"]}', "tags[1]", "U+D800"),
    ],
)
def test_unstorable_text_is_400_naming_the_member(tenant, path, body, field, code_point):
    r = tenant.janison("POST", path, data=body, content_type=JSON)
    write_error(r, 400, unstorable(field, code_point))
    # The server goes on serving.
    assert tenant.janison("GET", "/api/candidate?$top=1").status_code == 200


def test_unstorable_text_on_update_is_400(tenant):
    r = tenant.janison("PUT", "/api/candidate/1", data='{"lastName":"\\udfff"}', content_type=JSON)
    write_error(r, 400, unstorable("lastName", "U+DFFF"))


def test_deeply_nested_json_is_400(tenant):
    deep = "[" * 977 + "]" * 977
    r = tenant.janison("POST", "/api/candidate", data=deep, content_type=JSON)
    message = "The request body could not be read as JSON (values nest deeper than 32 levels)"
    write_error(r, 400, (1001, message, None))


def test_blank_body_with_a_type_janison_does_not_take_is_415(tenant):
    r = tenant.janison("PUT", "/api/candidate/1", data="", content_type="text/plain")
    write_error(r, 415, (1003, "The content type 'text/plain' is not supported", None))


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/api/candidate/1"), ("POST", "/api/candidate"), ("PUT", "/api/centre/1")],
)
def test_blank_body_where_the_contract_requires_one_is_400(tenant, method, path):
    r = tenant.janison(method, path, data=" ", content_type=JSON)
    write_error(r, 400, (1000, "request: a request body is required", "request"))
