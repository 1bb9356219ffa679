"""Schemas of Cirrus's controls under ``/_sandbox/tenants/<id>/cirrus``."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from .models.sittings import OUTCOMES


class CirrusCompleteSchema(Schema):
    class Meta:
        unknown = RAISE

    score = fields.Float(
        validate=validate.Range(0, 100),
        load_default=None,
        allow_none=True,
        metadata={"description": "0-100; one derived from the tenant's seed if left out"},
    )
    outcome = fields.String(
        validate=validate.OneOf(OUTCOMES),
        load_default=None,
        allow_none=True,
        metadata={"description": "Derived from the score and the pass mark (50) if left out"},
    )
    publish = fields.Boolean(
        load_default=True, metadata={"description": "False: hold the result until published"}
    )


class CirrusSatSchema(Schema):
    class Meta:
        ordered = True

    AttemptExtId = fields.String(required=True)
    published = fields.Boolean(required=True)
    score = fields.Float(required=True)
    outcome = fields.String(required=True)


class CirrusPublishedSchema(Schema):
    class Meta:
        ordered = True

    ExternalId = fields.String(required=True)
    IsPublished = fields.Boolean(required=True)
