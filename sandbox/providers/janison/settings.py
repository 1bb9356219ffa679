"""Janison site settings, per tenant. Janison documents none, so every one is an assumed
behaviour a real site could differ on (docs/providers/janison.md names the rule each
one drives). PATCH ``/_sandbox/tenants/<id>/settings/janison`` changes them."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate


class JanisonSettingsSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    # PAGE-1: a $top over 100 is refused ("reject") or served as 100 ("cap").
    topOverLimit = fields.String(load_default="reject", validate=validate.OneOf(["reject", "cap"]))
    # ENR-3: whether a test schedule may be booked for a day before today (tenant clock).
    allowPastTestPackageDate = fields.Boolean(load_default=False)
    # RET-1: a DELETE of a record that is already retired answers 409 ("conflict") or
    # answers 200 again ("ok").
    retireTwice = fields.String(
        load_default="conflict", validate=validate.OneOf(["conflict", "ok"])
    )
    # AUTH: the lifetime of a token from POST /oauth2/token, on the tenant's clock.
    tokenLifetimeSeconds = fields.Integer(load_default=3600, validate=validate.Range(60, 86400))
