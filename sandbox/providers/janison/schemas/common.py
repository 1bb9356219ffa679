"""Schemas every Janison resource shares: references, dates, query strings, envelopes."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from flask import request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from exam_sandbox.core.envelopes import error_envelope_schema, page_envelope_schema
from exam_sandbox.core.fields import StrictBoolean
from exam_sandbox.core.listing import MAX_PAGING

from ..envelopes import MAX_TOP
from ..errors import rule, schema_error

MAX_ID = 2**63 - 1  # ids beyond 64 bits can name nothing (and SQLite cannot bind them)
MAX_LIST = 500  # members of a list in a body
GENDERS = ("Male", "Female", "Unspecified")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Not blank, as a pattern: a character ``str.strip()`` keeps. Python's whitespace is
# spelled out, since ``\s`` means less in ECMA-262 (JSON Schema's regexes): no \x1c-\x1f.
NOT_BLANK = r"[^\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


def _within(rule_id: str, low: int, high: int, **values):
    def check(value: int) -> None:
        if not low <= value <= high:
            raise schema_error(rule_id, **values)

    return check


class WireDate(fields.Field):
    """A date, ``YYYY-MM-DD`` both ways (research notes B2: assumed)."""

    default_error_messages = {"invalid": "Not a valid date: use YYYY-MM-DD."}

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"type": "string", "format": "date", "example": "1990-01-31"})
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.isoformat()

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
            raise self.make_error("invalid")
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise self.make_error("invalid") from None


class Instant(fields.Field):
    """An instant in UTC, ``2026-05-01T10:42:00Z`` (all Janison times are UTC: JAN-API)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "metadata", {"type": "string", "format": "date-time", "example": "2026-05-01T10:42:00Z"}
        )
        super().__init__(dump_only=True, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


# janison-wire.md, Formats: "Booleans JSON booleans": not 0 or 1, not "true".
JsonBoolean = StrictBoolean


class Gender(fields.String):
    """``Male``, ``Female`` or ``Unspecified``, matched without regard to case; the
    stored value is the canonical spelling."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"enum": list(GENDERS)}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, str):
            for name in GENDERS:
                if value.strip().casefold() == name.casefold():
                    return name
        raise ValidationError(f"Must be one of: {', '.join(GENDERS)}.")


def not_blank(detail):
    def check(value) -> None:
        if isinstance(value, str) and not value.strip():
            raise ValidationError([detail])

    return check


def missing(rule_id: str, name: str) -> dict:
    """``error_messages`` reporting a missing or null ``name`` as ``rule_id``."""
    detail = rule(rule_id, field=name)
    return {"required": detail, "null": detail}


def required_text(rule_id: str, name: str, attribute: str, limit: int = 100) -> fields.String:
    """A member the seed does not mark optional: missing, null or blank is ``rule_id``."""
    return fields.String(
        data_key=name,
        attribute=attribute,
        required=True,
        validate=[not_blank(rule(rule_id, field=name)), validate.Length(max=limit)],
        error_messages=missing(rule_id, name),
        metadata={"pattern": NOT_BLANK},  # the contract states it too
    )


def text(name: str, attribute: str, limit: int = 100) -> fields.String:
    return fields.String(
        data_key=name, attribute=attribute, allow_none=True, validate=validate.Length(max=limit)
    )


class RefIn(Schema):
    """A resource named in a request body (``baseResource``): by ``id`` or ``reference``."""

    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), allow_none=True)
    reference = fields.String(validate=validate.Length(min=1, max=100), allow_none=True)
    href = fields.String(allow_none=True, load_only=True)

    @validates_schema
    def _id_or_reference(self, data, **_):
        if data.get("id") is None and not data.get("reference"):
            raise ValidationError("Give an id or a reference.")


def ref_list(rule_id: str, name: str, *, required: bool = True) -> fields.List:
    return fields.List(
        fields.Nested(RefIn),
        required=required,
        allow_none=not required,
        validate=validate.Length(max=MAX_LIST),
        error_messages=missing(rule_id, name),
    )


def ref_in(
    rule_id: str, name: str, *, attribute: str | None = None, required: bool = True
) -> fields.Nested:
    return fields.Nested(
        RefIn,
        data_key=name,
        attribute=attribute or name,
        required=required,
        allow_none=not required,
        error_messages=missing(rule_id, name),
    )


class RefOut(Schema):
    """A resource named in a response: ``{id, reference, href}``."""

    id = fields.Integer()
    reference = fields.String(allow_none=True)
    href = fields.Method("_href", metadata={"type": "string", "format": "uri"})

    resource = "resource"

    def _href(self, obj) -> str:
        return f"{request.url_root}api/{self.resource}/{obj.id}"


@cache
def ref_out(resource: str) -> type[Schema]:
    return type(f"{resource.capitalize()}Ref", (RefOut,), {"resource": resource})


class ItemTail(Schema):
    """The base resource members every item ends with, in the seed's order."""

    href = fields.Method("_href", metadata={"type": "string", "format": "uri"})
    id = fields.Integer()
    reference = fields.String(allow_none=True)

    resource = "resource"

    def _href(self, obj) -> str:
        return f"{request.url_root}api/{self.resource}/{obj.id}"


class ListQuery(Schema):
    """``$top``, ``$skip``, ``$orderBy`` and ``$filter`` on every list."""

    class Meta:
        unknown = EXCLUDE

    top = fields.Integer(
        data_key="$top",
        metadata={
            "description": f"Page size, 1 to {MAX_TOP} (default 40).",
            "minimum": 1,
            "maximum": MAX_TOP,
        },
        error_messages={"invalid": rule("PAGE-1", field="$top", max=MAX_TOP)},
        # The maximum is checked in envelopes.page, where topOverLimit may clamp it.
        validate=_within("PAGE-1", 1, MAX_PAGING, field="$top", max=MAX_TOP),
    )
    skip = fields.Integer(
        data_key="$skip",
        metadata={"minimum": 0, "maximum": MAX_PAGING},  # LIST-2: an Int32, on every list
        error_messages={"invalid": rule("PAGE-2", field="$skip")},
        validate=_within("PAGE-2", 0, MAX_PAGING, field="$skip"),
    )
    filter = fields.String(data_key="$filter", metadata={"description": "OData $filter"})
    orderby = fields.String(data_key="$orderBy", metadata={"description": "field [asc|desc], ..."})


class ErrorItem(Schema):
    code = fields.Integer(required=True)
    message = fields.String(required=True)
    field = fields.String(allow_none=True, required=True)


ErrorEnvelope = error_envelope_schema(
    ErrorItem, doc="Every Janison error body: the operation's envelope with its data fields null."
)


class WriteEnvelope(Schema):
    id = fields.Integer(required=True)
    reference = fields.String()
    href = fields.String(required=True)
    errors = fields.List(fields.Nested(ErrorItem), required=True)


@cache
def page_envelope(item_schema: type[Schema]) -> type[Schema]:
    """Janison's page envelope around ``item_schema`` items."""
    return page_envelope_schema(item_schema, ErrorItem)
