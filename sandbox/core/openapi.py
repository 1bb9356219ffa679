"""OpenAPI helpers any vendor's spec plugin uses: operation links, and nullable shapes
that apispec writes in a form OpenAPI 3.0.3 does not mean."""

from __future__ import annotations

from urllib.parse import quote

# How apispec writes the "null" branch of a nullable nested schema.
ANY_OBJECT_OR_NULL = {"type": "object", "nullable": True}


def operation_ref(path: str, method: str) -> str:
    """A URI fragment naming an operation of this document: a JSON pointer (RFC 6901
    escapes ``~`` and ``/``), percent-encoded as a fragment must be (``{`` is ``%7B``)."""
    return "#/paths/" + quote(path.replace("~", "~0").replace("/", "~1"), safe="~") + "/" + method


def link(path: str, method: str, body: dict | None = None, **parameters) -> dict:
    """An OpenAPI link to ``method`` on ``path``; a request body given is merged into the
    one the client would send."""
    found: dict = {"operationRef": operation_ref(path, method)}
    if parameters:
        found["parameters"] = parameters
    if body is not None:
        found["requestBody"] = body
    return found


def null_or(node) -> None:
    """Rewrite, in place, apispec's ``anyOf: [{type: object, nullable: true}, X]`` as
    null or X; a nullable ``enum`` lists null too (in 3.0.3 ``nullable`` does not add it)."""
    if isinstance(node, dict):
        if ANY_OBJECT_OR_NULL in node.get("anyOf", ()):
            node["anyOf"] = [
                {"nullable": True, "enum": [None]} if branch == ANY_OBJECT_OR_NULL else branch
                for branch in node["anyOf"]
            ]
        if node.get("nullable") is True and None not in node.get("enum", (None,)):
            node["enum"] = [*node["enum"], None]
        for value in node.values():
            null_or(value)
    elif isinstance(node, list):
        for value in node:
            null_or(value)
