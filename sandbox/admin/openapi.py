"""What ``/_sandbox/openapi.json`` says beyond the controls' own schemas: the refusals of
the request guard (core/guard.py), which answers before any control runs, and the admin
token a locked-down sandbox asks for."""

from __future__ import annotations

from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls

from ..core.guard import BODY_METHODS, CONTROL_TYPE, TOKEN_HEADER, WRITE_METHODS

SECURITY_SCHEMES = {
    "adminToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "Only when the sandbox was started with --admin-token "
        "(or EXAM_SANDBOX_ADMIN_TOKEN)",
    },
    "adminTokenHeader": {"type": "apiKey", "in": "header", "name": TOKEN_HEADER},
}
# No credentials by default (a local sandbox); the token when one is configured.
SECURITY = [{}, {"adminToken": []}, {"adminTokenHeader": []}]


def _refusal(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": "ErrorEnvelope"}},
    }


class GuardResponses(BasePlugin):
    """Every control can be refused by the guard: a foreign Host (403), a missing token
    (401); a write from another origin (403), a body that is not JSON (415)."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            verb = method.upper()
            responses.setdefault(
                "401", _refusal("This sandbox requires its admin token, and none was sent")
            )
            write = " or, for a write, another web page's Origin" if verb in WRITE_METHODS else ""
            responses.setdefault(
                "403", _refusal(f"A Host that is not this sandbox's name{write}")
            )
            if verb in BODY_METHODS:
                responses.setdefault(
                    "415", _refusal(f"The Content-Type is not {CONTROL_TYPE}")
                )


def schema_name(schema) -> str:
    """A schema's name in the document: its class's, less ``Schema``; a partial one (a
    PATCH's body) gets ``Patch``, so it is not taken for the full one."""
    name = resolve_schema_cls(schema).__name__.removesuffix("Schema") or "Schema"
    if not isinstance(schema, type) and getattr(schema, "partial", False):
        name += "Patch"
    return name


def marshmallow_plugin() -> MarshmallowPlugin:
    return MarshmallowPlugin(schema_name_resolver=schema_name)
