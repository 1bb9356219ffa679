"""The OpenAPI document at /janison/openapi.json: every resource with exactly the verbs
the seed gives, the auth schemes, and ``exam-sandbox openapi janison`` printing it."""

from __future__ import annotations

import json

from exam_sandbox.cli import main

VERBS = {
    "/api/user": {"get", "post"},
    "/api/user/{user_id}": {"get", "put"},
    "/api/candidate": {"get", "post"},
    "/api/candidate/{candidate_id}": {"get", "put", "delete"},
    "/api/test": {"get"},
    "/api/test/{item_id}": {"get"},
    "/api/testpackage": {"get"},
    "/api/testpackage/{item_id}": {"get"},
    "/api/component": {"get"},
    "/api/component/{item_id}": {"get"},
    "/api/centre": {"get", "post"},
    "/api/centre/{centre_id}": {"get", "put", "delete"},
    "/api/testschedule": {"post"},
    "/api/testschedule/{schedule_id}": {"delete"},
    "/api/testschedulecomponent": {"post"},
    "/api/result": {"get"},
    "/api/result/{result_id}": {"get"},
    "/oauth2/token": {"post"},
}


def test_document_lists_every_resource_with_the_seeds_verbs(http):
    doc = http.get("/janison/openapi.json").json
    assert doc["servers"] == [{"url": "/janison"}]
    assert {path: set(ops) - {"parameters"} for path, ops in doc["paths"].items()} == VERBS
    schemes = doc["components"]["securitySchemes"]
    assert schemes["subscriptionKey"] == {
        "type": "apiKey", "in": "header", "name": "Ocp-Apim-Subscription-Key"
    }  # fmt: skip
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer"}
    assert doc["paths"]["/oauth2/token"]["post"]["security"] == []
    listed = doc["paths"]["/api/candidate"]["get"]
    assert {p["name"] for p in listed["parameters"]} == {"$top", "$skip", "$filter", "$orderBy"}
    assert set(listed["responses"]) >= {"200", "400", "401"}
    assert "404" in doc["paths"]["/api/candidate/{candidate_id}"]["get"]["responses"]


def test_cli_prints_the_served_document(http, capsys):
    assert main(["openapi", "janison"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == http.get("/janison/openapi.json").json


def test_docs_page_is_served_offline(http):
    page = http.get("/janison/docs/")
    assert page.status_code == 200 and b"swagger-ui" in page.data
