"""A committed contract (``contracts/openapi/<vendor>.json``) as JSON Schemas.

OpenAPI 3.0 schemas are not quite JSON Schema: ``nullable`` stands beside ``type``, and
refs point into ``components``. :func:`json_schema` turns one into a self-contained JSON
Schema (refs inlined, ``nullable`` folded into ``type``), which both ``jsonschema``
(validating what the client sends) and ``hypothesis_jsonschema`` (generating what a
vendor may answer) understand. :meth:`Contract.match` finds the operation a request is
for, by method and wire path; :meth:`Operation.security` says what credentials it needs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

CONTRACTS = Path(__file__).parent / "openapi"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# OpenAPI annotations with no meaning for validation or generation.
_DROP = {"readOnly", "writeOnly", "example", "description", "xml", "discriminator"}


def path_of(vendor: str) -> Path:
    return CONTRACTS / f"{vendor}.json"


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    template: str  # "/api/v2/TestSession/{key}"
    spec: dict[str, Any]
    path_parameters: tuple[dict[str, Any], ...]
    contract: Contract

    @property
    def id(self) -> str:
        return f"{self.method} {self.template}"

    @property
    def parameters(self) -> list[dict[str, Any]]:
        return [*self.path_parameters, *self.spec.get("parameters", [])]

    def parameter(self, where: str, name: str) -> dict[str, Any] | None:
        """The parameter ``name`` in ``where`` (header names ignore case)."""
        for p in self.parameters:
            if p["in"] != where:
                continue
            if p["name"] == name or (where == "header" and p["name"].lower() == name.lower()):
                return p
        return None

    @property
    def security(self) -> list[dict[str, Any]]:
        """The alternatives of credentials, each ``{scheme name: scheme}`` (all needed);
        ``[]`` or an empty alternative: none needed."""
        requirement = self.spec.get("security", self.contract.document.get("security", []))
        schemes = self.contract.document.get("components", {}).get("securitySchemes", {})
        return [{name: schemes[name] for name in alternative} for alternative in requirement]

    @property
    def statuses(self) -> list[str]:
        return list(self.spec.get("responses", {}))

    def request_schema(self, media_type: str = "application/json") -> dict[str, Any] | None:
        body = self.spec.get("requestBody")
        if not body:
            return None
        content = body.get("content", {}).get(media_type)
        return None if content is None else self.contract.json_schema(content["schema"])

    def response_schema(self, status: str, media_type: str = "application/json"
                        ) -> dict[str, Any] | None:
        response = self.contract.resolve(self.spec["responses"][status])
        content = response.get("content", {}).get(media_type)
        return None if content is None else self.contract.json_schema(content["schema"])


class Contract:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        servers = document.get("servers") or [{"url": ""}]
        self.base_path = servers[0]["url"].rstrip("/")  # "/surpass"

    @classmethod
    def load(cls, vendor: str) -> Contract:
        """The committed contract of ``vendor``: ``contracts/openapi/<vendor>.json``."""
        return cls(json.loads(path_of(vendor).read_text(encoding="utf-8")))

    @cached_property
    def operations(self) -> list[Operation]:
        found = []
        for template, item in self.document["paths"].items():
            shared = tuple(item.get("parameters", ()))
            for method in _METHODS:
                if method in item:
                    found.append(Operation(method.upper(), template, item[method], shared, self))
        return found

    @cached_property
    def _matchers(self) -> list[tuple[re.Pattern[str], str]]:
        out = []
        for template in self.document["paths"]:
            pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
            out.append((re.compile(f"^{pattern}$"), template))
        # Literal paths before templated ones: /Candidate is not /Candidate/{id}.
        out.sort(key=lambda m: m[1].count("{"))
        return out

    def match(self, method: str, path: str) -> Operation | None:
        """The operation for ``method`` on the wire path ``path`` (under the server URL)."""
        if self.base_path and path.startswith(self.base_path + "/"):
            path = path[len(self.base_path):]
        for pattern, template in self._matchers:
            if pattern.match(path):
                for op in self.operations:
                    if op.template == template and op.method == method.upper():
                        return op
                return None
        return None

    def operation(self, method: str, template: str) -> Operation:
        for op in self.operations:
            if op.method == method.upper() and op.template == template:
                return op
        raise KeyError(f"{method} {template} is not in the contract")

    # -- schemas
    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target: Any = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    def json_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """A self-contained JSON Schema (draft 7) equivalent to the OpenAPI 3.0 ``schema``."""
        return self._convert(schema, ())

    def _convert(self, node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [self._convert(v, seen) for v in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                raise ValueError(f"recursive schema {ref} cannot be inlined")
            return self._convert(self.resolve(node), (*seen, ref))
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROP or key == "nullable":
                continue
            if value is None and key in ("format", "pattern"):
                continue  # apispec writes these as null for a custom strftime format
            if key == "properties":
                out[key] = {name: self._convert(sub, seen) for name, sub in value.items()}
            else:
                out[key] = self._convert(value, seen)
        if node.get("nullable") is True:
            if "type" in out:
                types = out["type"] if isinstance(out["type"], list) else [out["type"]]
                out["type"] = [*types, "null"]
                if "enum" in out and None not in out["enum"]:
                    out["enum"] = [*out["enum"], None]
            elif "anyOf" in out or "oneOf" in out or "allOf" in out or "enum" in out:
                out = {"anyOf": [out, {"type": "null"}]}
        return out
