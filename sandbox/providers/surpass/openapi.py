"""What the Surpass OpenAPI document says beyond what the schemas and routes say alone.

An apispec plugin added to the Surpass app's spec (``VendorFrame.spec_plugins``):

* a schema's ``Meta.openapi`` keywords are merged into its component: a rule over several
  fields, such as "an id or a reference" (``anyOf``), which no single field can state;
* a nullable nested object is null or that object: apispec writes the null branch of
  ``anyOf`` as ``{type: object, nullable: true}``, which every object matches;
* the error statuses an operation can answer, in the error envelope: 401 on every one
  (AUTH-1), 403 where a permission is needed (AUTH-2; Country and County need none),
  404 where the request names one item (NF-1, TD-1);
* OpenAPI links, for a stateful client (schemathesis) to follow: from each create to
  reading, changing and deleting what it created; from a delete to reading it again (a
  404); from a centre to a subject there and on to their association; from a test
  session read back to changing it, deleting it and scheduling it again; and from each
  list to its first item.
"""

from __future__ import annotations

from apispec import BasePlugin

from exam_sandbox.core.openapi import link, null_or

from .description import DESCRIPTION

V2 = "/api/v2"
_DEMO = DESCRIPTION.demo_credentials
# The document's info.description: what this is, how to try it in the interactive docs
# (the demo tenant's credentials under "Authorize"), where the choices are written down.
# Links are absolute paths on the sandbox itself: nothing here points into a repository a
# pip-installed user does not have.
INFO_DESCRIPTION = f"""\
Surpass API v2 scheduling, as served by exam-sandbox: the vendor's own paths, envelopes, \
error bodies, status codes and date formats. A client's base URL is the sandbox's \
`{DESCRIPTION.client_base_path}`.

**Try it out** with the demo tenant: press **Authorize** and, under `basic`, enter \
username `{_DEMO["username"]}` and password `{_DEMO["password"]}`. The scheduling \
operations come first: `POST /api/v2/TestSchedule` books a candidate on a test and answers \
the keycode; `GET /api/v2/TestSession/{{key}}` reads it back.

Every tenant has its own user, data and clock: make one with `POST /_sandbox/tenants` \
and read its credentials at [/_sandbox/tenants](/_sandbox/tenants). The sandbox's front \
page, [/](/), lists every vendor and control. Where Surpass's documents are silent the \
sandbox makes a choice; the fidelity table in exam-sandbox's source \
(docs/providers/surpass.md) says which rules are confirmed and which assumed.
"""
# Resources any authenticated user may read (surpass-wire.md, "Auth").
OPEN_RESOURCES = ("Country", "County")


def _link(method: str, resource: str, body: dict | None = None, **parameters) -> dict:
    return link(f"{V2}/{resource}", method, body, **parameters)


_ID = "$response.body#/id"
_FIRST = "$response.body#/response/0"
CANDIDATE = "Candidate/{candidate_id}"
CENTRE = "Centre/{centre_id}"
SUBJECT = "Subject/{subject_id}"
ASSOCIATION = "CentreSubjectAssociation/{association_id}"
# (source path, method) -> {link name: link}, on the source's 200 response.
LINKS: dict[tuple[str, str], dict[str, dict]] = {
    (f"{V2}/Candidate", "post"): {
        "GetCandidate": _link("get", CANDIDATE, candidate_id=_ID),
        "UpdateCandidate": _link("put", CANDIDATE, candidate_id=_ID),
    },
    (f"{V2}/Centre", "post"): {
        "GetCentre": _link("get", CENTRE, centre_id=_ID),
        "UpdateCentre": _link("put", CENTRE, centre_id=_ID),
        "RetireCentre": _link("delete", CENTRE, centre_id=_ID),
        "CreateSubjectAtCentre": _link("post", "Subject", {"primaryCentre": {"id": _ID}}),
    },
    (f"{V2}/Subject", "post"): {
        "GetSubject": _link("get", SUBJECT, subject_id=_ID),
        "UpdateSubject": _link("put", SUBJECT, subject_id=_ID),
        "DeleteSubject": _link("delete", SUBJECT, subject_id=_ID),
        "AssociateWithPrimaryCentre": _link(
            "post",
            "CentreSubjectAssociation",
            {"centre": {"id": "$request.body#/primaryCentre/id"}, "subject": {"id": _ID}},
        ),
    },
    (f"{V2}/CentreSubjectAssociation", "post"): {
        "GetAssociation": _link("get", ASSOCIATION, association_id=_ID),
        "UpdateAssociation": _link("put", ASSOCIATION, association_id=_ID),
        "DeleteAssociation": _link("delete", ASSOCIATION, association_id=_ID),
    },
    # The write envelope's id is the new TestSession's; its keycode is the keycode.
    (f"{V2}/TestSchedule", "post"): {
        "GetTestSession": _link("get", "TestSession/{key}", key=_ID),
        "UpdateTestSession": _link("put", "TestSession/{key}", key="$response.body#/keycode"),
        "DeleteTestSchedule": _link("delete", "TestSchedule/{key}", key="$response.body#/keycode"),
    },
    # A test session read back can change state, be deleted, or be scheduled again: the
    # same candidate, test, centre and window, with a form chosen afresh.
    (f"{V2}/TestSession/{{key}}", "get"): {
        "UpdateThisTestSession": _link("put", "TestSession/{key}", key=f"{_FIRST}/keycode"),
        "DeleteThisTestSchedule": _link("delete", "TestSchedule/{key}", key=f"{_FIRST}/keycode"),
        "ScheduleAgain": _link(
            "post",
            "TestSchedule",
            {
                **{
                    name: {"id": f"{_FIRST}/{name}/id"}
                    for name in ("test", "centre", "candidate", "subject")
                },
                **{
                    name: f"{_FIRST}/{name}"
                    for name in (
                        "startDate",
                        "endDate",
                        "startTime",
                        "endTime",
                        "requiresInvigilation",
                    )
                },
                "testForm": None,
                "marker": None,
                "moderator": None,
                "allowMultipleOpenSessions": True,
            },
        ),
    },
    # What was deleted is gone: reading it again is a 404. (DELETE Centre only retires a
    # centre, which stays readable: RetireCentre has no such link.)
    (f"{V2}/{SUBJECT}", "delete"): {
        "GetDeletedSubject": _link("get", SUBJECT, subject_id="$request.path.subject_id"),
    },
    (f"{V2}/{ASSOCIATION}", "delete"): {
        "GetDeletedAssociation": _link(
            "get", ASSOCIATION, association_id="$request.path.association_id"
        ),
    },
    (f"{V2}/TestSchedule/{{key}}", "delete"): {
        "GetDeletedTestSession": _link("get", "TestSession/{key}", key="$request.path.key"),
    },
}
# Each list links to its first item, so a client reaches ids that exist.
for _resource, _param in (
    ("Test", "test_id"),
    ("Country", "country_id"),
    ("County", "county_id"),
    ("Candidate", "candidate_id"),
    ("Centre", "centre_id"),
    ("Subject", "subject_id"),
    ("CentreSubjectAssociation", "association_id"),
    ("TestSession", "key"),
):
    LINKS.setdefault((f"{V2}/{_resource}", "get"), {})[f"GetFirst{_resource}"] = _link(
        "get", f"{_resource}/{{{_param}}}", **{_param: f"{_FIRST}/id"}
    )


class SurpassSpecPlugin(BasePlugin):
    def schema_helper(self, name, definition, **kwargs):
        null_or(definition.get("properties", {}))
        schema = kwargs.get("schema")
        cls = schema if isinstance(schema, type) else type(schema)
        extra = getattr(getattr(cls, "Meta", None), "openapi", None)
        return {**definition, **extra} if extra else definition

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            null_or(operation.get("requestBody", {}))
            responses = operation["responses"]
            statuses = {str(code) for code in responses}
            parameters = {p.get("name") for p in operation.get("parameters", ())}
            added = {"401": "UNAUTHORIZED"}
            if not path.startswith(tuple(f"{V2}/{r}" for r in OPEN_RESOURCES)):
                added["403"] = "FORBIDDEN"
            if "{" in path or "reference" in parameters:
                added["404"] = "NOT_FOUND"
            for status, component in added.items():
                if status not in statuses:
                    responses[status] = component
            links = LINKS.get((path, method))
            if links:
                (responses.get(200) or responses["200"])["links"] = links
