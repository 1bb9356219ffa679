"""Schemas every Surpass resource shares: references, query strings and envelopes."""

from __future__ import annotations

from functools import cache

from flask import request
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_dump,
    validate,
    validates_schema,
)

from exam_sandbox.core.envelopes import error_envelope_schema, page_envelope_schema
from exam_sandbox.core.listing import MAX_PAGING

from ..errors import rule, schema_error
from ..paging import MAX_TOP

# Ids and counts are 64-bit in SQLite; anything larger can name nothing.
MAX_ID = 2**63 - 1

# What the OpenAPI document says about text the parsers check, as regular expressions that
# mean the same to Python and to JSON Schema (ECMA 262), so that the contract accepts
# exactly what the sandbox accepts.
# The characters str.strip() removes (ECMA's \s is another set): a value of only these is
# blank, which a required name is not.
BLANK = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NOT_BLANK = f"[^{BLANK}]"
# Real calendar dates, years 0001-9999, 29 February only in leap years.
_YEAR = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAYS = (
    ("(?:0[1-9]|1[0-2])", "(?:0[1-9]|1[0-9]|2[0-8])"),
    ("(?:0[13-9]|1[0-2])", "(?:29|30)"),
    ("(?:0[13578]|1[02])", "31"),
)


def calendar_date(order: str) -> str:
    """A regex (unanchored) of the real dates written ``DD/MM/YYYY`` or ``YYYY-MM-DD``."""
    if order == "DD/MM/YYYY":
        forms = [f"{day}/{month}/{_YEAR}" for month, day in _MONTH_DAYS]
        forms.append(f"29/02/{_LEAP_YEAR}")
    elif order == "YYYY-MM-DD":
        forms = [f"{_YEAR}-{month}-{day}" for month, day in _MONTH_DAYS]
        forms.append(f"{_LEAP_YEAR}-02-29")
    else:
        raise ValueError(order)
    return "(?:" + "|".join(forms) + ")"


def id_or_reference(reference: dict) -> dict:
    """``Meta.openapi`` of a resource reference: a non-null ``id``, or a ``reference`` that
    matches ``reference`` (the sandbox refuses one with neither)."""
    named = {"type": "string", **reference}
    return {
        "anyOf": [
            {"required": ["id"], "properties": {"id": {"type": "integer"}}},
            {"required": ["reference"], "properties": {"reference": named}},
        ]
    }


def _within(rule_id: str, low: int, high: int, **values):
    def check(value: int) -> None:
        if not low <= value <= high:
            raise schema_error(rule_id, **values)

    return check


class RefIn(Schema):
    """A resource named in a request body: by ``id`` or by ``reference``."""

    class Meta:
        unknown = EXCLUDE
        openapi = id_or_reference({"minLength": 1})

    id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID), allow_none=True)
    reference = fields.String(validate=validate.Length(min=1, max=100), allow_none=True)

    @validates_schema
    def _id_or_reference(self, data, **_):
        if data.get("id") is None and not data.get("reference"):
            raise ValidationError("Give an id or a reference.")


class RefOut(Schema):
    """A resource named in a response: ``{id, reference, href}``."""

    id = fields.Integer()
    reference = fields.String(allow_none=True)
    href = fields.Method("_href", metadata={"type": "string"})

    resource = "Resource"

    def _href(self, obj) -> str:
        return f"{request.url_root}api/v2/{self.resource}/{obj.id}"


@cache
def ref_out(resource: str, *, with_name: bool = False) -> type[Schema]:
    """A ``RefOut`` for one resource type, optionally carrying the resource's ``name``."""
    attrs = {"resource": resource}
    if with_name:
        attrs["name"] = fields.String()
    return type(f"{resource}{'Named' if with_name else ''}Ref", (RefOut,), attrs)


class ListQuery(Schema):
    """The OData query options of every list."""

    class Meta:
        unknown = EXCLUDE

    top = fields.Integer(
        data_key="$top",
        metadata={"description": f"Page size, 1 to {MAX_TOP}.", "minimum": 1, "maximum": MAX_TOP},
        error_messages={"invalid": rule("PAGE-1", max=MAX_TOP)},
        # The page-size maximum is checked in paging.py, where topOverLimit may clamp it.
        validate=_within("PAGE-1", 1, MAX_PAGING, max=MAX_TOP),
    )
    skip = fields.Integer(
        data_key="$skip",
        metadata={"minimum": 0, "maximum": MAX_PAGING},  # LIST-2: an Int32, on every list
        error_messages={"invalid": rule("PAGE-2")},
        validate=_within("PAGE-2", 0, MAX_PAGING),
    )
    filter = fields.String(data_key="$filter", metadata={"description": "OData $filter"})
    orderby = fields.String(data_key="$orderBy", metadata={"description": "field [asc|desc], ..."})


class ByReferenceQuery(ListQuery):
    reference = fields.String(metadata={"description": "Find the one item with this reference."})


class ErrorItem(Schema):
    ErrorCode = fields.Integer(required=True)
    Message = fields.String(required=True)


ErrorEnvelope = error_envelope_schema(
    ErrorItem,
    {"serverTimeZone": fields.String(required=True)},
    doc="Every error body: a page or write envelope whose data fields are null.",
)


class WriteEnvelope(Schema):
    id = fields.Integer(allow_none=True, required=True)
    reference = fields.String()
    href = fields.String(allow_none=True, required=True)
    errors = fields.List(fields.Nested(ErrorItem), required=True)
    serverTimeZone = fields.String(required=True)

    @post_dump
    def _drop_null_reference(self, data, **_):
        if data.get("reference") is None:
            data.pop("reference", None)
        return data


@cache
def page_envelope(item_schema: type[Schema]) -> type[Schema]:
    """Surpass's page envelope around ``item_schema`` items, with ``serverTimeZone``."""
    return page_envelope_schema(
        item_schema, ErrorItem, {"serverTimeZone": fields.String(required=True)}
    )
