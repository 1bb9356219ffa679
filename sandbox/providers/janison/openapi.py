"""What the Janison OpenAPI document says beyond what the schemas and routes say alone
(an apispec plugin, ``VendorFrame.spec_plugins``):

* the 401 every operation but the token endpoint can answer, in API Management's body,
  and the 404 of every operation on one item (NF-1), in Janison's error envelope;
* rules over several fields, which no single field can state (``RULES``): a base
  resource in a request names an ``id`` or a ``reference``; JTS-1 and JTSC-1a's
  "this or that is required";
* a nullable nested object is null or that object: apispec writes the null branch of
  ``anyOf`` as ``{type: object, nullable: true}``, which every object matches; and a
  nullable ``enum`` lists null, as OpenAPI 3.0.3 needs it to;
* OpenAPI links, for a stateful client (schemathesis) to follow: from each create to
  reading, changing and retiring what it created, from each list to its first item, from
  a booking to its resit, retirement and candidates, from a result to booking the same
  candidate again, from a centre or candidate to creating another like it.
"""

from __future__ import annotations

from apispec import BasePlugin

from exam_sandbox.core.openapi import link, null_or

from .auth import KEY_HEADER
from .description import DESCRIPTION
from .errors import APIM_BAD_TOKEN, APIM_INVALID_KEY, APIM_MISSING_KEY

TOKEN_PATH = "/oauth2/token"
API = "/api"
_DEMO = DESCRIPTION.demo_credentials
# The document's info.description: what this is, how to try it in the interactive docs
# (the demo tenant's credentials under "Authorize"), where the choices are written down.
# Links are absolute paths on the sandbox itself: nothing here points into a repository a
# pip-installed user does not have.
INFO_DESCRIPTION = f"""\
Janison Insights event scheduling, as served by exam-sandbox. Paths, verbs and fields \
are Janison's (its event scheduling integration page); auth, envelopes, status codes and \
error bodies are assumed. A client's base URL is the sandbox's \
`{DESCRIPTION.client_base_path}`.

**Try it out** with the demo tenant: press **Authorize** and enter the subscription key \
`{_DEMO["subscriptionKey"]}` (`subscriptionKey`, sent as `{KEY_HEADER}`) and the token \
`{_DEMO["token"]}` (`bearer`). A token can also be had the OAuth2 way, from \
`POST /oauth2/token` with client id `{_DEMO["clientId"]}` and secret \
`{_DEMO["clientSecret"]}`. The scheduling operations come first: \
`POST /api/testschedule` books candidates on a test package, \
`POST /api/testschedulecomponent` books a resit of a component (its body names the \
schedule `testScehdule`, Janison's own spelling; `testSchedule` is accepted too), \
`GET /api/result` reads results.

Every tenant has its own credentials, data and clock: make one with \
`POST /_sandbox/tenants` and read its credentials at \
[/_sandbox/tenants](/_sandbox/tenants). The sandbox's front page, [/](/), lists every \
vendor and control. The fidelity table in exam-sandbox's source \
(docs/providers/janison.md) says which rules are confirmed and which assumed.
"""
UNAUTHORIZED = {
    "description": "API Management refused the subscription key or the bearer token "
    "(assumed: Janison documents no auth; the sandbox puts Azure API Management in front)",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["statusCode", "message"],
                "properties": {
                    "statusCode": {"type": "integer", "enum": [401]},
                    "message": {
                        "type": "string",
                        "enum": [APIM_MISSING_KEY, APIM_INVALID_KEY, APIM_BAD_TOKEN],
                    },
                },
                "additionalProperties": False,
            }
        }
    },
}
NOT_FOUND = {
    "description": "No such item in the tenant (NF-1)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}},
}


def _given(name: str, schema: dict) -> dict:
    """``name`` is sent, and not null (nor, with ``schema``'s keywords, empty)."""
    return {"required": [name], "properties": {name: schema}}


# Keywords merged into a component schema: rules over several of its fields.
RULES: dict[str, dict] = {
    # A base resource names an id or a reference (REQ-1, "Give an id or a reference").
    "RefIn": {
        "anyOf": [
            _given("id", {"type": "integer"}),
            _given("reference", {"type": "string"}),
        ]
    },
    # JTS-1: testPackage or testPackageId, centre, candidates (non-empty) or candidate,
    # and testPackageDate.
    "TestScheduleIn": {
        "allOf": [
            {
                "anyOf": [
                    _given("testPackage", {"type": "object"}),
                    _given("testPackageId", {"type": "integer"}),
                ]
            },
            _given("centre", {"type": "object"}),
            {
                "anyOf": [
                    _given("candidates", {"type": "array", "minItems": 1}),
                    _given("candidate", {"type": "object"}),
                ]
            },
            _given("testPackageDate", {"type": "string"}),
        ]
    },
    # JTSC-1a: testScehdule (or testSchedule) and a non-empty components.
    "TestScheduleComponentIn": {
        "allOf": [
            {
                "anyOf": [
                    _given("testScehdule", {"type": "object"}),
                    _given("testSchedule", {"type": "object"}),
                ]
            },
            _given("components", {"type": "array", "minItems": 1}),
        ]
    },
}


def _link(method: str, resource: str, body: dict | None = None, **parameters) -> dict:
    return link(f"{API}/{resource}", method, body, **parameters)


_ID = "$response.body#/id"
_FIRST = "$response.body#/response/0"
_ENROLLED = "$response.body#/enrolments/0"
USER = "user/{user_id}"
CANDIDATE = "candidate/{candidate_id}"
CENTRE = "centre/{centre_id}"
SCHEDULE = "testschedule/{schedule_id}"
_BOOK_AGAIN = _link(
    "post",
    "testschedule",
    {
        "testPackage": {"id": f"{_FIRST}/testPackage/id"},
        "testPackageId": None,  # the package is named once
        "centre": {"id": f"{_FIRST}/centre/id"},
        "candidates": [{"id": f"{_FIRST}/candidate/id"}],
        "candidate": None,  # and the candidate too
    },
)
# (source path, method) -> {link name: link}, on the source's 200 response.
LINKS: dict[tuple[str, str], dict[str, dict]] = {
    (f"{API}/user", "post"): {
        "GetUser": _link("get", USER, user_id=_ID),
        "UpdateUser": _link("put", USER, user_id=_ID),
        "CreateCentreForUser": _link("post", "centre", {"centreAdminUser": {"id": _ID}}),
    },
    (f"{API}/candidate", "post"): {
        "GetCandidate": _link("get", CANDIDATE, candidate_id=_ID),
        "UpdateCandidate": _link("put", CANDIDATE, candidate_id=_ID),
        "RetireCandidate": _link("delete", CANDIDATE, candidate_id=_ID),
    },
    (f"{API}/centre", "post"): {
        "GetCentre": _link("get", CENTRE, centre_id=_ID),
        "UpdateCentre": _link("put", CENTRE, centre_id=_ID),
        "RetireCentre": _link("delete", CENTRE, centre_id=_ID),
        "CreateCandidateAtCentre": _link("post", "candidate", {"centres": [{"id": _ID}]}),
    },
    # A retired candidate or centre stays readable (JC-3, JCE-1) and cannot change (RET-1).
    (f"{API}/{CANDIDATE}", "delete"): {
        "GetRetiredCandidate": _link("get", CANDIDATE, candidate_id="$request.path.candidate_id"),
        "UpdateRetiredCandidate": _link(
            "put", CANDIDATE, candidate_id="$request.path.candidate_id"
        ),
    },
    (f"{API}/{CENTRE}", "delete"): {
        "GetRetiredCentre": _link("get", CENTRE, centre_id="$request.path.centre_id"),
    },
    # A booking: retire it, resit its first component, read its first candidate.
    (f"{API}/testschedule", "post"): {
        "RetireSchedule": _link("delete", SCHEDULE, schedule_id=_ID),
        "ResitFirstComponent": _link(
            "post",
            "testschedulecomponent",
            {
                "testScehdule": {"id": _ID},
                "components": [{"id": f"{_ENROLLED}/components/0/component/id"}],
                "candidate": {"id": f"{_ENROLLED}/candidate/id"},
            },
        ),
        "GetEnrolledCandidate": _link("get", CANDIDATE, candidate_id=f"{_ENROLLED}/candidate/id"),
    },
    (f"{API}/testschedulecomponent", "post"): {
        "RetireResatSchedule": _link("delete", SCHEDULE, schedule_id=_ID),
    },
    # A result names a candidate, a package and a centre: book them together again.
    (f"{API}/result/{{result_id}}", "get"): {
        "BookAgain": _BOOK_AGAIN,
        "GetResultCandidate": _link("get", CANDIDATE, candidate_id=f"{_FIRST}/candidate/id"),
        "GetResultPackage": _link(
            "get", "testpackage/{item_id}", item_id=f"{_FIRST}/testPackage/id"
        ),
    },
    (f"{API}/result", "get"): {"BookTheFirstAgain": _BOOK_AGAIN},
    # A centre names its tests and admin user: a candidate there, a centre like it.
    (f"{API}/{CENTRE}", "get"): {
        "CreateCandidateHere": _link(
            "post",
            "candidate",
            {"centres": [{"id": f"{_FIRST}/id"}], "tests": [{"id": f"{_FIRST}/tests/0/id"}]},
        ),
        "CreateCentreLikeThis": _link(
            "post",
            "centre",
            {
                "centreAdminUser": {"id": f"{_FIRST}/centreAdminUser/id"},
                "tests": [{"id": f"{_FIRST}/tests/0/id"}],
            },
        ),
    },
    # A candidate names centres and tests: another candidate at the same one, for the same.
    (f"{API}/{CANDIDATE}", "get"): {
        "CreateCandidateLikeThis": _link(
            "post",
            "candidate",
            {
                "centres": [{"id": f"{_FIRST}/centres/0/id"}],
                "tests": [{"id": f"{_FIRST}/tests/0/id"}],
            },
        ),
    },
}
# Each list links to its first item, so a client reaches ids that exist.
for _resource, _param in (
    ("user", "user_id"),
    ("candidate", "candidate_id"),
    ("test", "item_id"),
    ("testpackage", "item_id"),
    ("component", "item_id"),
    ("centre", "centre_id"),
    ("result", "result_id"),
):
    LINKS.setdefault((f"{API}/{_resource}", "get"), {})[f"GetFirst{_resource.title()}"] = _link(
        "get", f"{_resource}/{{{_param}}}", **{_param: f"{_FIRST}/id"}
    )


class JanisonSpecPlugin(BasePlugin):
    def schema_helper(self, name, definition, **kwargs):
        null_or(definition.get("properties", {}))
        extra = RULES.get(name)
        return {**definition, **extra} if extra else definition

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            statuses = {str(code) for code in responses}
            if path != TOKEN_PATH and "401" not in statuses:
                responses["401"] = UNAUTHORIZED
            if "{" in path and "404" not in statuses:
                responses["404"] = NOT_FOUND
            links = LINKS.get((path, method))
            if links:
                (responses.get(200) or responses["200"])["links"] = links
