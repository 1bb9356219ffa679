"""The /_sandbox controls' own contract: ``/_sandbox/openapi.json`` describes every
control (request and response bodies, status codes, errors), ``/_sandbox/docs`` shows it
offline, and a user's tooling can drive the controls from the document alone.

The drives below use schemathesis' response validation (status code, content type and
body schema against the served document), as a user's test suite would.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import schemathesis
from flask import Blueprint, Flask
from schemathesis.core.failures import FailureGroup
from schemathesis.openapi.checks import JsonSchemaError

from exam_sandbox.admin.api import install_admin
from exam_sandbox.app import default_config
from exam_sandbox.core.db import Database
from exam_sandbox.core.provider import SandboxContext
from exam_sandbox.providers import all_providers

OPENAPI = "/_sandbox/openapi.json"
PROVIDERS = all_providers()
# Served by the root app under /_sandbox but not controls: the document itself, its docs
# page, and the 404 for a settings name that is no vendor's.
NOT_CONTROLS = (
    "openapi_json", "sandbox_docs.", "settings.unknown_provider", "overview.unknown_provider"
)


@pytest.fixture(scope="module")
def document(app) -> dict:
    response = app.test_client().get(OPENAPI)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.json


@pytest.fixture(scope="module")
def schema(app, document):
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = app
    return loaded


def operations(document: dict) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }


def openapi_template(rule: str) -> str:
    """``/_sandbox/tenants/<tenant_id>/x/<int:n>`` as OpenAPI writes it."""
    parts = []
    for segment in rule.split("/"):
        if segment.startswith("<") and segment.endswith(">"):
            segment = "{" + segment[1:-1].split(":")[-1] + "}"
        parts.append(segment)
    return "/".join(parts)


# --- the document ----------------------------------------------------------------------


def test_the_document_lists_every_control(document):
    assert document["openapi"] == "3.0.3"
    assert document["info"]["title"] == "exam-sandbox controls"
    tenant = "/_sandbox/tenants/{tenant_id}"
    assert operations(document) == {
        ("GET", "/_sandbox/tenants"),
        ("POST", "/_sandbox/tenants"),
        ("GET", tenant),
        ("DELETE", tenant),
        ("POST", f"{tenant}/reset"),
        ("GET", f"{tenant}/clock"),
        ("PUT", f"{tenant}/clock"),
        ("GET", f"{tenant}/journal"),
        ("DELETE", f"{tenant}/journal"),
        ("GET", f"{tenant}/webhooks"),
        ("POST", f"{tenant}/webhooks/{{delivery_id}}/redeliver"),
        *((m, f"{tenant}/settings/{p.name}") for p in PROVIDERS for m in ("GET", "PATCH")),
        *(("GET", f"{tenant}/overview/{p.name}") for p in PROVIDERS),
        ("POST", f"{tenant}/surpass/users"),
        ("POST", f"{tenant}/surpass/testsession/{{key}}/state"),
        ("POST", f"{tenant}/janison/testschedule/{{schedule_id}}/complete"),
        ("POST", f"{tenant}/cirrus/assessments/{{external_id}}/publish"),
        *(
            ("POST", f"{tenant}/cirrus/schedules/{{schedule_ext_id}}/candidates/"
             f"{{candidate_ext_id}}/{action}")
            for action in ("complete", "publish")
        ),
        ("POST", f"{tenant}/itep/inventory"),
        ("GET", f"{tenant}/itep/available-tests"),
        ("GET", f"{tenant}/itep/outbox"),
        ("GET", f"{tenant}/itep/tests/{{test_id}}"),
        ("POST", f"{tenant}/itep/tests/{{test_id}}/status"),
        ("PUT", f"{tenant}/itep/tracking-codes/{{code}}"),
        ("PUT", f"{tenant}/itep/api-keys/{{product_code}}"),
    }


def test_every_route_under_sandbox_is_in_the_document(app, document):
    """A control added without flask-smorest (so without a contract) fails here."""
    documented = operations(document)
    routed = {
        (method, openapi_template(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/_sandbox")
        and not any(rule.endpoint.endswith(n) or n in rule.endpoint for n in NOT_CONTROLS)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routed == documented


def test_every_operation_says_its_answers_and_errors(document):
    error = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            assert operation["summary"], (method, path)
            success = [s for s in responses if s.startswith("2")]
            assert len(success) == 1, (method, path)
            if success != ["204"]:
                assert "schema" in responses[success[0]]["content"]["application/json"]
            # The guard's refusals, in the same error shape.
            assert responses["403"]["content"]["application/json"]["schema"] == error
            assert responses["401"]["content"]["application/json"]["schema"] == error
            if method in ("post", "put", "patch"):
                assert responses["415"]["content"]["application/json"]["schema"] == error
                assert "requestBody" in operation, (method, path)
            if "{tenant_id}" in path:
                assert responses["404"] == {"$ref": "#/components/responses/NOT_FOUND"}
    envelope = document["components"]["schemas"]["ErrorEnvelope"]
    assert envelope["required"] == ["error"]
    inner = document["components"]["schemas"]["Error"]
    assert set(inner["required"]) == {"status", "message"}
    assert set(inner["properties"]) == {"status", "message", "details"}


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_each_vendors_settings_schema_is_in_the_document(document, provider):
    item = document["paths"][f"/_sandbox/tenants/{{tenant_id}}/settings/{provider.name}"]
    shown = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    name = shown["$ref"].rsplit("/", 1)[1]
    full = document["components"]["schemas"][name]
    fields = provider.settings_schema().fields
    assert list(full["properties"]) == list(fields)
    defaults = provider.settings_schema().load({})
    assert {k: v["default"] for k, v in full["properties"].items()} == defaults
    # The PATCH body: the same fields, none required, and no defaults (a field left out
    # keeps its value, it is not reset).
    body = item["patch"]["requestBody"]["content"]["application/json"]["schema"]
    patch = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert name == f"{provider.name.capitalize()}Settings"
    assert body["$ref"].endswith(f"/{name}Patch")
    assert list(patch["properties"]) == list(fields)
    assert "required" not in patch
    assert all("default" not in v for v in patch["properties"].values())
    assert patch["additionalProperties"] is False


def test_docs_page_is_served_offline(http):
    assert http.get("/_sandbox/docs").status_code == 308
    page = http.get("/_sandbox/docs/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "<title>exam-sandbox controls</title>" in text
    assert '"url": "../openapi.json"' in text  # /_sandbox/openapi.json, from the page
    asset = http.get("/_sandbox/docs/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.data) > 100_000


# --- driving the controls from the document --------------------------------------------


def call(schema, method: str, path: str, **case):
    """Call the operation the document names, and validate the answer against it."""
    operation = schema[path][method]
    made = operation.Case(**case)
    response = made.call()
    made.validate_response(response)
    return response


def test_a_tenant_created_read_and_deleted_as_the_document_says(schema):
    created = call(schema, "POST", "/_sandbox/tenants", body={"seed": 12})
    assert created.status_code == 201
    tenant = created.json()["tenant"]
    assert created.json()["seed"] == 12
    assert set(created.json()["credentials"]) == {p.name for p in PROVIDERS}
    path = {"tenant_id": tenant}
    read = call(schema, "GET", "/_sandbox/tenants/{tenant_id}", path_parameters=path)
    # The clock runs between the two reads.
    assert {**read.json(), "clock": None} == {**created.json(), "clock": None}
    listed = call(schema, "GET", "/_sandbox/tenants")
    assert tenant in listed.json()["tenants"]
    reset = call(schema, "POST", "/_sandbox/tenants/{tenant_id}/reset",
                 path_parameters=path, body={})
    assert reset.status_code == 200 and reset.json()["tenant"] == tenant
    gone = call(schema, "DELETE", "/_sandbox/tenants/{tenant_id}", path_parameters=path)
    assert gone.status_code == 204 and gone.content == b""
    missing = call(schema, "GET", "/_sandbox/tenants/{tenant_id}", path_parameters=path)
    assert missing.status_code == 404
    assert missing.json() == {"error": {"status": 404, "message": f"No tenant '{tenant}'"}}


def test_the_clock_as_the_document_says(schema, tenant):
    path = {"tenant_id": tenant.id}
    clock = "/_sandbox/tenants/{tenant_id}/clock"
    frozen = call(schema, "PUT", clock, path_parameters=path,
                  body={"now": "2031-02-03T04:05:06Z"})
    assert frozen.json() == {"now": "2031-02-03T04:05:06.000Z", "frozen": True}
    moved = call(schema, "PUT", clock, path_parameters=path, body={"advance_seconds": 60})
    assert moved.json() == {"now": "2031-02-03T04:06:06.000Z", "frozen": True}
    assert call(schema, "GET", clock, path_parameters=path).json() == moved.json()
    refused = call(schema, "PUT", clock, path_parameters=path, body={"now": "soon"})
    assert refused.status_code == 400
    assert refused.json() == {"error": {
        "status": 400, "message": "Invalid request body",
        "details": {"now": ["Must be an ISO 8601 date-time string."]},
    }}  # fmt: skip


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_each_vendors_settings_as_the_document_says(schema, document, tenant, provider):
    path = f"/_sandbox/tenants/{{tenant_id}}/settings/{provider.name}"
    ids = {"tenant_id": tenant.id}
    before = call(schema, "GET", path, path_parameters=ids).json()
    # A change made from the document alone: its first field with a choice, set to the
    # choice that is not the current value.
    body_ref = document["paths"][path]["patch"]["requestBody"]["content"]["application/json"]
    patch = document["components"]["schemas"][body_ref["schema"]["$ref"].rsplit("/", 1)[1]]
    name, field = next((k, v) for k, v in patch["properties"].items() if "enum" in v)
    value = next(choice for choice in field["enum"] if choice != before[name])
    changed = call(schema, "PATCH", path, path_parameters=ids, body={name: value})
    assert changed.json() == {**before, name: value}
    refused = call(schema, "PATCH", path, path_parameters=ids, body={name: "never-a-choice"})
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["message"] == "Invalid request body"
    assert list(error["details"]) == [name] and error["details"][name][0].startswith(
        "Must be one of:"
    )
    assert call(schema, "GET", path, path_parameters=ids).json() == changed.json()


def test_the_journal_and_the_vendor_controls_as_the_document_says(schema, tenant):
    ids = {"tenant_id": tenant.id}
    tenant.surpass("GET", "/api/v2/Country")
    journal = call(schema, "GET", "/_sandbox/tenants/{tenant_id}/journal",
                   path_parameters=ids, query={"provider": "surpass"})
    assert journal.json()["count"] == 1
    assert journal.json()["entries"][0]["path"] == "/surpass/api/v2/Country"
    user = call(schema, "POST", "/_sandbox/tenants/{tenant_id}/surpass/users",
                path_parameters=ids,
                body={"username": "doc-user", "password": "pw", "centres": [{"id": 1}]})
    assert user.status_code == 201
    assert user.json() == {"id": user.json()["id"], "username": "doc-user", "permissions": [],
                           "centres": ["CEN001"], "subjects": []}
    done = call(schema, "POST",
                "/_sandbox/tenants/{tenant_id}/janison/testschedule/{schedule_id}/complete",
                path_parameters={**ids, "schedule_id": 1}, body={})
    assert done.status_code == 200 and done.json()["testSchedule"] == 1
    assert done.json()["results"]
    cleared = call(schema, "DELETE", "/_sandbox/tenants/{tenant_id}/journal",
                   path_parameters=ids)
    assert cleared.json() == {"removed": 1}


def test_the_validation_bites(schema, tenant):
    """An answer that is not what the document says fails validation: a clock is not a
    tenant."""
    ids = {"tenant_id": tenant.id}
    clock = schema["/_sandbox/tenants/{tenant_id}/clock"]["GET"].Case(path_parameters=ids)
    answer = clock.call()
    as_tenant = schema["/_sandbox/tenants/{tenant_id}"]["GET"].Case(path_parameters=ids)
    with pytest.raises(FailureGroup) as failed:
        as_tenant.validate_response(answer)
    assert failed.group_contains(JsonSchemaError)


def test_a_vendor_control_without_a_contract_is_refused_at_start(tmp_path):
    """A vendor's extra controls must be declared with schemas (an AdminBlueprint), or
    they would be served without being in the document."""
    surpass = next(p for p in PROVIDERS if p.name == "surpass")

    @dataclass
    class Undeclared:
        name = surpass.name
        description = surpass.description
        settings_schema = surpass.settings_schema

        def admin_blueprint(self, context):
            return Blueprint("plain", __name__)

    config = default_config(database_url=f"sqlite:///{tmp_path / 'x.db'}")
    context = SandboxContext(db=Database(config.database_url), config=config)
    try:
        with pytest.raises(TypeError) as refused:
            install_admin(Flask("x"), context, [Undeclared()])
        assert str(refused.value) == (
            "surpass: admin_blueprint must return an AdminBlueprint "
            "(exam_sandbox.admin.blueprint), declared with schemas"
        )
    finally:
        context.db.dispose()
