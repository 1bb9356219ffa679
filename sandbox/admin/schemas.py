"""Request schemas of the ``/_sandbox`` controls."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..core.clock import parse_instant


class Instant(fields.Field):
    """An ISO 8601 instant, stored as naive UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("Must be an ISO 8601 date-time string.")
        try:
            return parse_instant(value)
        except ValueError as exc:
            raise ValidationError("Must be an ISO 8601 date-time string.") from exc


class TenantCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    seed = fields.Integer(validate=validate.Range(min=0, max=2**31 - 1))
    tenant = fields.String(validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,62}$"))


class ClockUpdateSchema(Schema):
    class Meta:
        unknown = RAISE

    now = Instant()
    advance_seconds = fields.Float(allow_nan=False, validate=validate.Range(-(10**9), 10**9))
    frozen = fields.Boolean()

    @validates_schema
    def _one_change(self, data, **_):
        if not data:
            raise ValidationError("Give 'now', 'advance_seconds' or 'frozen'.")


class JournalQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    provider = fields.String()
    method = fields.String()
    path = fields.String()
