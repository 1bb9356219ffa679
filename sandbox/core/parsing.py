"""Reading request bodies and query strings into marshmallow schemas, for any vendor.

flask-smorest parses ``@blp.arguments`` through webargs; ``VendorParser`` reads JSON
bodies (a vendor subclass may add formats, as Surpass adds XML) and turns marshmallow's
messages into the vendor's errors: a schema names the rule behind a message by putting
an ``ErrorDetail`` in ``error_messages`` or raising one from a validator (see
``RuleBook.schema_error``); every other message becomes the vendor's generic field error.
"""

from __future__ import annotations

import json

from marshmallow import Schema
from webargs import core
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import MultiDict

from .errors import ErrorDetail, UnsupportedMediaType, ValidationFailed
from .rules import RuleBook

# OData system query options match case-insensitively ($orderby, $orderBy, $TOP ...).
ODATA_OPTIONS = {name.lower(): name for name in ("$top", "$skip", "$filter", "$orderBy")}


class VendorParser(FlaskParser):
    """A webargs parser that answers in a vendor's own rules.

    ``field_rule`` formats a message with ``field`` and ``problem``; ``unreadable_rule``
    with ``format``; ``media_rule`` with ``content_type``.
    """

    # Vendors answer bad input with 400 (not webargs' 422); the OpenAPI document says so.
    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "json": None}

    def __init__(
        self, rules: RuleBook, *, field_rule: str, unreadable_rule: str, media_rule: str
    ) -> None:
        super().__init__()
        self.rules = rules
        self.field_rule = field_rule
        self.unreadable_rule = unreadable_rule
        self.media_rule = media_rule

    def load_json(self, req, schema: Schema):
        body = req.get_data(cache=True)
        if not body.strip():
            return {}
        if req.mimetype == "application/json" or req.mimetype.endswith("+json"):
            try:
                return json.loads(body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise self.rules.invalid(self.unreadable_rule, format="JSON") from exc
        return self.load_other_body(req, schema, body)

    def load_other_body(self, req, schema: Schema, body: bytes):
        """A body that is not JSON; a vendor taking more formats overrides this."""
        content_type = req.mimetype or "(none)"
        raise UnsupportedMediaType(self.rules.detail(self.media_rule, content_type=content_type))

    def load_querystring(self, req, schema: Schema):
        canonical = MultiDict(
            (ODATA_OPTIONS.get(key.lower(), key), value)
            for key, value in req.args.items(multi=True)
        )
        return self._makeproxy(canonical, schema)

    def _raw_load_json(self, req):  # webargs' own JSON path is replaced by load_json
        return core.missing

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        raise self.validation_error(error.messages)

    def validation_error(self, messages) -> ValidationFailed:
        """Every message as the vendor's error, ordered by rule, each reported once."""
        details = sorted(self._flatten(messages), key=lambda d: self.rules.order(d.rule))
        return ValidationFailed(*dict.fromkeys(details))

    def _flatten(self, messages, path: str = "") -> list[ErrorDetail]:
        if isinstance(messages, ErrorDetail):
            return [messages]
        if isinstance(messages, dict):
            found = []
            for key, value in messages.items():
                if key in ("json", "query", "_schema") and not path:
                    found += self._flatten(value, path)
                elif isinstance(key, int):  # an index into a list
                    found += self._flatten(value, f"{path}[{key}]")
                else:
                    found += self._flatten(value, f"{path}.{key}" if path else str(key))
            return found
        if isinstance(messages, list | tuple):
            return [d for item in messages for d in self._flatten(item, path)]
        field = path or "request"
        return [self.rules.detail(self.field_rule, field=field, problem=str(messages))]
