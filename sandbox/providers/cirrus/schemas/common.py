"""Schemas every Cirrus operation shares: the two error envelopes, the Content envelope,
and the base of request bodies whose rules the models check in order (S1-S19: core's
``Documented``)."""

from __future__ import annotations

import re

from marshmallow import Schema, fields, validate

# What "should not be empty." refuses: missing, null, "" and whitespace alone.
NOT_BLANK = re.compile(r"^\s*\S")


def mandatory_text(limit: int) -> fields.String:
    """A required string that is not blank, of at most ``limit`` characters."""
    return fields.String(
        required=True, validate=[validate.Length(1, limit), validate.Regexp(NOT_BLANK)]
    )


class ContentError(Schema):
    """``{"Content": null, "Success": false, "Errors": ["<message>"]}``."""

    Content = fields.Raw(allow_none=True)
    Success = fields.Boolean(required=True)
    Errors = fields.List(fields.String(), required=True)


class MessageError(Schema):
    """The ASP.NET shape POST /schedule and /schedule/add-candidates answer:
    ``{"Message": "Bad request | <message>"}``."""

    Message = fields.String(required=True)


class Success(Schema):
    """``{"Success": true, "Errors": null}`` (DELETE /external/schedule)."""

    Success = fields.Boolean(required=True)
    Errors = fields.Raw(allow_none=True)


class IdContent(Schema):
    """``{"Content": "<external id>", "Success": true, "Errors": null}``."""

    Content = fields.String(required=True)
    Success = fields.Boolean(required=True)
    Errors = fields.Raw(allow_none=True)


def content_envelope(inner: type[Schema], name: str) -> type[Schema]:
    """``{"Content": <inner>, "Success": true, "Errors": null}``."""
    return Schema.from_dict(
        {
            "Content": fields.Nested(inner, required=True),
            "Success": fields.Boolean(required=True),
            "Errors": fields.Raw(allow_none=True),
        },
        name=name,
    )
