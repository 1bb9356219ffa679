"""Surpass site settings, per tenant. Confirmed settings first, then the assumed ones:
each assumed behaviour is a setting so a tenant can match a real site that differs."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate


class SurpassSettingsSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    # Confirmed site settings (seed document).
    multiDayScheduling = fields.Boolean(load_default=True)
    purchaseOrderRequired = fields.Boolean(load_default=False)
    enforceTimesRequired = fields.Boolean(load_default=False)
    # Assumed behaviours (docs/providers/surpass.md says which rule each one drives).
    serverTimeZone = fields.String(
        load_default="GMT Standard Time", validate=validate.Length(1, 64)
    )
    topOverLimit = fields.String(load_default="reject", validate=validate.OneOf(["reject", "cap"]))
    strictXmlNamespace = fields.Boolean(load_default=True)
    requireLiveTest = fields.Boolean(load_default=True)
    openSessionScope = fields.String(load_default="test", validate=validate.OneOf(["test", "any"]))
    enforceTimesBufferHours = fields.Integer(load_default=12, validate=validate.Range(0, 48))
    pinLength = fields.Integer(load_default=6, validate=validate.Range(4, 10))
