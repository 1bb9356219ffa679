"""What the iTEP OpenAPI document says beyond the schemas and routes: the 401 every
operation can answer (I1, I2)."""

from __future__ import annotations

from apispec import BasePlugin

from exam_sandbox.core.openapi import null_or

from .auth import KEY_HEADER, KEY_PARAMETER
from .description import DESCRIPTION

INFO_DESCRIPTION = f"""\
iTEP's test ID provisioning, as served by exam-sandbox. iTEP publishes none of its API: \
every path, field and code here is exam-sandbox's choice (docs/providers/itep-wire.md in \
its source), built on iTEP's integration pages (available = Ready and an empty \
Assigned-to; Assigned-to is JSON; two calls with one body; an API key per product code). \
A client's base URL is the sandbox's `{DESCRIPTION.client_base_path}`.

**Try it out** with the demo tenant: press **Authorize** and enter \
`{DESCRIPTION.demo_credentials["api_key"]}` (the AP product's key, sent as \
`{KEY_HEADER}`; `?{KEY_PARAMETER}=` works too) of the Local Administrator \
{DESCRIPTION.demo_credentials["local_administrator"]}; the BP product's key is \
`{DESCRIPTION.demo_credentials["api_key_bp"]}`.
"""
SECURITY_SCHEMES = {
    "apiKeyHeader": {"type": "apiKey", "in": "header", "name": KEY_HEADER},
    "apiKeyQuery": {"type": "apiKey", "in": "query", "name": KEY_PARAMETER},
}
UNAUTHORIZED = {
    "description": "No API key (missing_api_key), or one unknown or revoked (invalid_api_key)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ItepError"}}},
}


class ItepSpecPlugin(BasePlugin):
    def schema_helper(self, name, definition, **kwargs):
        null_or(definition.get("properties", {}))
        return definition

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            if isinstance(operation, dict) and "responses" in operation:
                responses = operation["responses"]
                if "401" not in {str(code) for code in responses}:
                    responses["401"] = UNAUTHORIZED
