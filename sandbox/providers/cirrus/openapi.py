"""What the Cirrus OpenAPI document says beyond the schemas and routes (an apispec
plugin): the 403 every operation can answer (A1), and OpenAPI links for a stateful
client (schemathesis) to follow from a schedule made to reading, changing, adding
candidates to and deleting it, and from an assessment made to reading it."""

from __future__ import annotations

from apispec import BasePlugin

from exam_sandbox.core.openapi import link, null_or

from .blueprint import PREFIX
from .description import DESCRIPTION
from .errors import NOT_ALLOWED

_DEMO = DESCRIPTION.demo_credentials
INFO_DESCRIPTION = f"""\
Cirrus Assessment's integration API (`/api/v1/integrations`), as served by exam-sandbox. \
Paths, verbs, fields and the documented messages are Cirrus's (help.cirrusassessment.com \
/api/docs); envelopes of undocumented answers, generated ids and the webhook payload are \
assumed. A client's base URL is the sandbox's `{DESCRIPTION.client_base_path}`.

**Try it out** with the demo tenant: press **Authorize** and enter \
`EAPI {_DEMO["token"]}`. `POST /schedule` books candidates on a published assessment \
(`MATH-101` is one) and answers each candidate's `LaunchUrl`; results are read at \
`GET /results` once a result is sat and published through the sandbox's controls.

Every tenant has its own token, data and clock: make one with `POST /_sandbox/tenants`. \
The fidelity table in exam-sandbox's source (docs/providers/cirrus.md) says which rules \
are confirmed and which assumed.
"""
SECURITY_SCHEMES = {
    "eapi": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "`EAPI <token>` (or `EAPI<token>`)",
    }
}
FORBIDDEN = {
    "description": "No EAPI token, another scheme or an unknown token (A1-A3)",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "Content": {"nullable": True, "enum": [None]},
                    "Success": {"type": "boolean", "enum": [False]},
                    "Errors": {"type": "array", "items": {"type": "string", "enum": [NOT_ALLOWED]}},
                    "Message": {"type": "string", "enum": [NOT_ALLOWED]},
                },
            }
        }
    },
}
_SCHEDULE = f"{PREFIX}/external/schedule/{{external_id}}"


def _link(method: str, path: str, body: dict | None = None, **parameters) -> dict:
    return link(path, method, body, **parameters)


_MADE = "$response.body#/Schedule/ScheduleExtId"
LINKS: dict[tuple[str, str], dict[str, dict]] = {
    (f"{PREFIX}/schedule", "post"): {
        "GetSchedule": _link("get", _SCHEDULE, external_id=_MADE),
        "UpdateSchedule": _link("patch", _SCHEDULE, external_id=_MADE),
        "DeleteSchedule": _link("delete", _SCHEDULE, external_id=_MADE),
        "AddCandidates": _link(
            "post", f"{PREFIX}/schedule/add-candidates", {"Schedule": {"ScheduleExtId": _MADE}}
        ),
        "GetFirstCandidatesResults": _link(
            "get",
            f"{PREFIX}/results",
            CandidateExtId="$response.body#/Candidates/0/CandidateExtId",
            ScheduleExtId=_MADE,
        ),
    },
    (f"{PREFIX}/external/schedule", "post"): {
        "GetCreatedSchedule": _link("get", _SCHEDULE, external_id="$response.body#/Content"),
        "UpdateCreatedSchedule": _link("patch", _SCHEDULE, external_id="$response.body#/Content"),
        "DeleteCreatedSchedule": _link("delete", _SCHEDULE, external_id="$response.body#/Content"),
    },
    (f"{PREFIX}/assessment", "post"): {
        "GetAssessment": _link(
            "get", f"{PREFIX}/assessment/{{external_id}}", external_id="$response.body#/Content"
        ),
    },
}


class CirrusSpecPlugin(BasePlugin):
    def schema_helper(self, name, definition, **kwargs):
        null_or(definition.get("properties", {}))
        return definition

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "403" not in {str(code) for code in responses}:
                responses["403"] = FORBIDDEN
            links = LINKS.get((path, method))
            if links:
                (responses.get(200) or responses["200"])["links"] = links
