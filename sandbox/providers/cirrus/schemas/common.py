"""Schemas every Cirrus operation shares: the two error envelopes, the Content envelope,
and ``Documented``, the base of request bodies whose rules the models check in order."""

from __future__ import annotations

import re

from marshmallow import Schema, fields, validate

# What "should not be empty." refuses: missing, null, "" and whitespace alone.
NOT_BLANK = re.compile(r"^\s*\S")


class Documented(Schema):
    """A request body this schema documents but does not refuse.

    The notes fix the order of Cirrus's rules (S1-S19), interleaving field checks with
    checks that need the database, so the models check the decoded body in that order
    (``models/checks.py``) and ``load`` hands it over as decoded. The fields, lengths and
    patterns here are what the OpenAPI contract shows a client."""

    class Meta:
        ordered = True

    # Optional members a null is refused for (the rest take null as left out, as the
    # models read them: ``body.get(name)``).
    NOT_NULLABLE: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not field.required and name not in self.NOT_NULLABLE:
                field.allow_none = True

    def load(self, data, *, many=None, partial=None, unknown=None):
        return data


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
