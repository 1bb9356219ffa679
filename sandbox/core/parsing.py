"""Reading request bodies and query strings into marshmallow schemas, for any vendor.

flask-smorest parses ``@blp.arguments`` through webargs; ``VendorParser`` reads JSON
bodies (a vendor subclass may add formats, as Surpass adds XML) and turns marshmallow's
messages into the vendor's errors: a schema names the rule behind a message by putting
an ``ErrorDetail`` in ``error_messages`` or raising one from a validator (see
``RuleBook.schema_error``); every other message becomes the vendor's generic field error.
"""

from __future__ import annotations

from flask import current_app
from marshmallow import Schema
from webargs import core
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import MultiDict

from . import bodies
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
        # The Content-Type is checked even when the body is empty: a client sending a
        # type the vendor does not take has a bug whether or not it sent bytes.
        if req.mimetype and not self.accepts(req.mimetype):
            return self.load_other_body(req, schema, body)
        if not body.strip():
            if body_required(req):
                raise self.rules.invalid(
                    self.field_rule, field="request", problem="a request body is required"
                )
            return {}
        if is_json(req.mimetype):
            try:
                return bodies.decode_json(body)
            except bodies.UnreadableBody as exc:
                raise self.rules.invalid(self.unreadable_rule, format="JSON") from exc
            except bodies.BodyRefused as exc:
                raise self.refused(exc, "JSON") from exc
        return self.load_other_body(req, schema, body)

    def accepts(self, mimetype: str) -> bool:
        """Whether the vendor reads bodies of this type; a vendor taking more extends it."""
        return is_json(mimetype)

    def refused(self, exc: bodies.BodyRefused, format_name: str) -> ValidationFailed:
        """A decoded body the sandbox will not take, as the vendor's error: too deep is
        an unreadable body; unstorable text is a problem with the member holding it."""
        if isinstance(exc, bodies.TooDeep):
            return self.rules.invalid(self.unreadable_rule, format=f"{format_name} ({exc})")
        return self.rules.invalid(self.field_rule, field=exc.path or "request", problem=str(exc))

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


def is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or mimetype.endswith("+json")


def body_required(req) -> bool:
    """Whether the operation answering ``req`` needs a body: what its OpenAPI document
    says (flask-smorest's ``@blp.arguments(..., required=...)``, True by default), so the
    contract and the check cannot disagree."""
    view = current_app.view_functions.get(req.endpoint or "")
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        view = getattr(view_class, req.method.lower(), None)
    parameters = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    return any(p.get("in") == "json" and p.get("required", True) for p in parameters)
