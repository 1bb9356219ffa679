"""Schemas of iTEP's controls under ``/_sandbox/tenants/<id>/itep``."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from exam_sandbox.core.fields import StrictBoolean

from .wire import ALL_LABELS, PRODUCTS

MAX_ADDED = 10_000


class InventoryIn(Schema):
    class Meta:
        unknown = RAISE

    product_code = fields.String(required=True, validate=validate.OneOf(sorted(PRODUCTS)))
    count = fields.Integer(required=True, strict=True, validate=validate.Range(1, MAX_ADDED))


class InventoryOut(Schema):
    test_ids = fields.List(fields.String(), required=True)


class AvailableArgs(Schema):
    class Meta:
        unknown = RAISE

    product_code = fields.String(validate=validate.OneOf(sorted(PRODUCTS)))
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv", "xlsx"]))


class TestOut(Schema):
    class Meta:
        ordered = True

    test_id = fields.String(required=True)
    product_code = fields.String(required=True)
    status = fields.String(required=True)
    available = fields.Boolean(required=True)
    assigned_to = fields.Dict(allow_none=True, required=True)
    oid = fields.String(allow_none=True, required=True)
    tracking_code = fields.String(allow_none=True, required=True)
    emailed_to = fields.String(allow_none=True, required=True)
    source = fields.String(required=True)
    levels = fields.Dict(
        keys=fields.String(), values=fields.Float(), allow_none=True, required=True
    )
    duration = fields.Integer(allow_none=True, required=True)


class AvailableOut(Schema):
    test_ids = fields.List(fields.Nested(TestOut), required=True)


class MessageOut(Schema):
    class Meta:
        ordered = True

    id = fields.Integer(required=True)
    to = fields.String(required=True)
    test_id = fields.String(required=True)
    subject = fields.String(required=True)
    body = fields.String(required=True)
    sent_at = fields.String(required=True)


class StatusIn(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(
        required=True,
        validate=validate.OneOf(ALL_LABELS),
        metadata={"description": "A label of either status list (statusLabels)"},
    )
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Float(validate=validate.Range(0, 6)),
        load_default=None,
        metadata={
            "description": "Section levels (0.0-6.0) by section name; sections left "
            "out get levels derived from the tenant's seed"
        },
    )
    duration = fields.Integer(
        strict=True,
        validate=validate.Range(0, 1000),
        load_default=None,
        metadata={"description": "Minutes spent on the test"},
    )


class MovedOut(TestOut):
    previous_status = fields.String(required=True)
    webhook = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "The delivery the move fired, if any"},
    )


class TrackingCodeIn(Schema):
    class Meta:
        unknown = RAISE

    url = fields.Url(
        required=True,
        require_tld=False,
        schemes={"http", "https"},
        validate=validate.Length(max=2048),
    )
    on_finished = StrictBoolean(load_default=False)


class TrackingCodeOut(Schema):
    class Meta:
        ordered = True

    code = fields.String(required=True)
    url = fields.String(required=True)
    on_finished = fields.Boolean(required=True)


class KeyIn(Schema):
    class Meta:
        unknown = RAISE

    revoked = StrictBoolean(required=True)


class KeyOut(Schema):
    product_code = fields.String(required=True)
    revoked = StrictBoolean(required=True)
