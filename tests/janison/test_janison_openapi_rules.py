"""The Janison OpenAPI document states the rules about a request's form that the sandbox
enforces (the provider contract suite holds the sandbox to them): a body the document
calls valid is never refused for its form, and one it calls invalid is refused. Also its
links, which a stateful client follows."""

from __future__ import annotations

from urllib.parse import unquote

import jsonschema
import pytest

NOW = "2030-01-01T08:00:00Z"
BOOKING = {
    "testPackage": {"reference": "ENG-GEN-4S"},
    "centre": {"reference": "CTR001"},
    "candidates": [{"reference": "CAN0001"}],
    "testPackageDate": "2030-01-10",
}


@pytest.fixture(scope="module")
def document(app):
    return app.test_client().get("/janison/openapi.json").json


def valid(document, component: str, body: dict) -> bool:
    schema = {"$ref": f"#/components/schemas/{component}", "components": document["components"]}
    return jsonschema.Draft7Validator(schema).is_valid(body)


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        (BOOKING, True),
        ({**BOOKING, "testPackage": None, "testPackageId": 1}, True),
        ({**BOOKING, "candidates": [], "candidate": {"id": 2}}, True),
        ({}, False),  # JTS-1, every member
        ({**BOOKING, "testPackage": {}}, False),  # names nothing (REQ-1)
        ({**BOOKING, "testPackage": None}, False),  # JTS-1
        ({**BOOKING, "candidates": []}, False),  # JTS-1: empty is absent
        ({k: v for k, v in BOOKING.items() if k != "testPackageDate"}, False),
    ],
)
def test_jts_1_stated_by_the_document(tenant, document, body, ok):
    tenant.freeze(NOW)
    assert valid(document, "TestScheduleIn", body) is ok
    response = tenant.janison("POST", "/api/testschedule", json=body)
    assert (response.status_code == 200) is ok, response.json


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        ({"testScehdule": {"id": 4}, "components": [{"id": 1}]}, True),
        ({"testSchedule": {"id": 4}, "components": [{"reference": "ENG-GEN-4S-L"}]}, True),
        ({"testScehdule": {"id": 4}, "components": []}, False),
        ({"components": [{"id": 1}]}, False),
        ({"testScehdule": {"id": 4}, "components": [{}]}, False),
    ],
)
def test_jtsc_1a_stated_by_the_document(tenant, document, body, ok):
    assert valid(document, "TestScheduleComponentIn", body) is ok
    response = tenant.janison("POST", "/api/testschedulecomponent", json=body)
    assert (response.status_code == 200) is ok, response.json


@pytest.mark.parametrize("blank", ["", " ", "\t\n", "\x1c", "\u3000"])
def test_ju_1a_blank_text_is_invalid_in_the_document_too(tenant, document, blank):
    body = {"userName": blank, "reference": "NEW-USER"}
    assert not valid(document, "UserCreate", body)
    response = tenant.janison("POST", "/api/user", json=body)
    assert response.status_code == 400 and response.json["errors"][0]["code"] == 2001
    named = {"userName": "x\x1c", "reference": "NEW-USER"}  # not blank: one character kept
    assert valid(document, "UserCreate", named)
    assert tenant.janison("POST", "/api/user", json=named).status_code == 200


def test_skip_beyond_int32_is_invalid_in_the_document_too(tenant, document):
    """LIST-2: $skip is an Int32 on every list."""
    [skip] = [
        p for p in document["paths"]["/api/candidate"]["get"]["parameters"] if p["name"] == "$skip"
    ]
    assert skip["schema"]["maximum"] == 2**31 - 1
    assert tenant.janison("GET", f"/api/candidate?$skip={2**31}").status_code == 400


def test_links_lead_from_a_booking_to_its_resit_and_retirement(document):
    ok = document["paths"]["/api/testschedule"]["post"]["responses"]["200"]
    assert set(ok["links"]) == {"RetireSchedule", "ResitFirstComponent", "GetEnrolledCandidate"}
    resit = ok["links"]["ResitFirstComponent"]
    assert resit["operationRef"] == "#/paths/~1api~1testschedulecomponent/post"
    assert resit["requestBody"]["testScehdule"] == {"id": "$response.body#/id"}
    for path, item in document["paths"].items():  # every link names an operation
        for operation in (op for op in item.values() if isinstance(op, dict)):
            for link in operation["responses"].get("200", {}).get("links", {}).values():
                _, _, pointer, method = link["operationRef"].split("/")
                target = unquote(pointer).replace("~1", "/").replace("~0", "~")
                assert method in document["paths"][target], (path, link)


def test_every_answer_names_its_errors_as_error_items(document):
    """A write envelope's ``errors`` (the booking's and resit's too) are ``{code, message,
    field}``, so a client can read an error in a 200 the way it reads one in a 400."""
    for name, schema in document["components"]["schemas"].items():
        errors = schema.get("properties", {}).get("errors")
        if errors is not None:
            assert errors["items"] == {"$ref": "#/components/schemas/ErrorItem"}, name


def test_the_token_answer_is_what_rfc_6749_requires(app, document):
    token = document["components"]["schemas"]["Token"]
    assert set(token["required"]) == {"access_token", "token_type", "expires_in"}
    assert document["components"]["schemas"]["OAuthError"]["required"] == ["error"]
    printable = jsonschema.Draft7Validator(token["properties"]["access_token"])
    assert not printable.is_valid("abc\n") and not printable.is_valid("")
    issued = app.test_client().post("/janison/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": "demo-client",
        "client_secret": "demo-client-secret",
    })  # fmt: skip
    assert issued.status_code == 200 and printable.is_valid(issued.json["access_token"])


def test_a_nullable_enum_lists_null(tenant, document):
    """OpenAPI 3.0.3: ``nullable`` does not add null to an ``enum``; a user's gender may
    be null (it is optional), so the document lists it."""
    gender = document["components"]["schemas"]["UserCreate"]["properties"]["gender"]
    assert gender["enum"] == ["Male", "Female", "Unspecified", None]
    body = {"userName": "no.gender", "reference": "NO-GENDER", "gender": None}
    assert tenant.janison("POST", "/api/user", json=body).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/api/testschedule", {**BOOKING, "extendValidityPeriod": 0},
         "extendValidityPeriod"),
        ("POST", "/api/testschedule", {**BOOKING, "extendValidityPeriod": "true"},
         "extendValidityPeriod"),
        ("POST", "/api/testschedule", {**BOOKING, "testPackage": None, "testPackageId": "1"},
         "testPackageId"),
        ("POST", "/api/testschedule", {**BOOKING, "centre": {"id": "1"}}, "centre.id"),
        ("PUT", "/api/candidate/1", {"retired": 1}, "retired"),
        ("PUT", "/api/centre/1", {"retired": "false"}, "retired"),
    ],
)  # fmt: skip
def test_req_1_json_types_only(tenant, method, path, body, field):
    """Booleans are JSON booleans and ids JSON integers (janison-wire.md, Formats), as the
    document says: ``0``, ``"true"`` or ``"1"`` is refused, not coerced."""
    tenant.freeze(NOW)
    response = tenant.janison(method, path, json=body)
    assert response.status_code == 400, response.json
    [error] = response.json["errors"]
    assert (error["code"], error["field"]) == (1000, field)
