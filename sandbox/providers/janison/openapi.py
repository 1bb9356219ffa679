"""What the Janison OpenAPI document says beyond what the schemas and routes say alone
(an apispec plugin, ``VendorFrame.spec_plugins``): the 401 every operation but the token
endpoint can answer, in API Management's body, and the 404 of every operation on one
item (NF-1), in Janison's error envelope."""

from __future__ import annotations

from apispec import BasePlugin

from .errors import APIM_BAD_TOKEN, APIM_INVALID_KEY, APIM_MISSING_KEY

TOKEN_PATH = "/oauth2/token"
UNAUTHORIZED = {
    "description": "API Management refused the subscription key or the bearer token "
    "(assumed; docs/providers/janison-wire.md, Auth)",
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


class JanisonSpecPlugin(BasePlugin):
    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            statuses = {str(code) for code in responses}
            if path != TOKEN_PATH and "401" not in statuses:
                responses["401"] = UNAUTHORIZED
            if "{" in path and "404" not in statuses:
                responses["404"] = NOT_FOUND
