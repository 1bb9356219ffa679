"""Reading request bodies and query strings into marshmallow schemas, Surpass-style.

flask-smorest parses ``@blp.arguments`` through webargs; this parser reads XML bodies as
well as JSON, and turns marshmallow's messages into Surpass errors: a schema names the
rule behind a message by putting an ``ErrorDetail`` in ``error_messages`` or raising one
from a validator, and every other message becomes the generic REQ-1 error on its field.
"""

from __future__ import annotations

import json

from flask import g
from marshmallow import Schema
from webargs import core
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import MultiDict

from sandbox.core.errors import ErrorDetail, UnsupportedMediaType, ValidationFailed

from .errors import RULES, rule
from .wire import XML_TYPES, XmlBodyError, XmlRootError, xml_to_data

_RULE_ORDER = {rule_id: index for index, rule_id in enumerate(RULES)}
# OData system query options match case-insensitively ($orderby, $orderBy, $TOP ...).
_CANONICAL_OPTIONS = {name.lower(): name for name in ("$top", "$skip", "$filter", "$orderBy")}


def _flatten(messages, path: str = "") -> list[ErrorDetail]:
    if isinstance(messages, ErrorDetail):
        return [messages]
    if isinstance(messages, dict):
        found = []
        for key, value in messages.items():
            if key in ("json", "query", "_schema") and not path:
                found += _flatten(value, path)
            elif isinstance(key, int):  # an index into a list
                found += _flatten(value, f"{path}[{key}]")
            else:
                found += _flatten(value, f"{path}.{key}" if path else str(key))
        return found
    if isinstance(messages, list | tuple):
        return [d for item in messages for d in _flatten(item, path)]
    problem = str(messages)
    return [rule("REQ-1", field=path or "request", problem=problem)]


def validation_error(messages) -> ValidationFailed:
    details = _flatten(messages)
    details.sort(key=lambda d: _RULE_ORDER.get(d.rule or "", len(_RULE_ORDER)))
    unique = list(dict.fromkeys(details))
    return ValidationFailed(*unique)


class SurpassParser(FlaskParser):
    # Surpass answers a bad request with 400; the OpenAPI document says so too.
    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "json": None}

    def load_json(self, req, schema: Schema):
        body = req.get_data(cache=True)
        if not body.strip():
            return {}
        if req.mimetype in XML_TYPES:
            settings = g.get("surpass_settings") or {}
            try:
                return xml_to_data(
                    body, schema, strict_root=settings.get("strictXmlNamespace", True)
                )
            except XmlBodyError as exc:
                raise ValidationFailed(rule("REQ-2", format=f"XML ({exc})")) from exc
            except XmlRootError as exc:
                raise ValidationFailed(rule("REQ-2", format=f"XML: {exc}")) from exc
        if req.mimetype == "application/json" or req.mimetype.endswith("+json"):
            try:
                return json.loads(body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise ValidationFailed(rule("REQ-2", format="JSON")) from exc
        raise UnsupportedMediaType(rule("REQ-4", content_type=req.mimetype or "(none)"))

    def load_querystring(self, req, schema: Schema):
        canonical = MultiDict(
            (_CANONICAL_OPTIONS.get(key.lower(), key), value)
            for key, value in req.args.items(multi=True)
        )
        return self._makeproxy(canonical, schema)

    def _raw_load_json(self, req):  # webargs' own JSON path is replaced by load_json
        return core.missing

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        raise validation_error(error.messages)
