"""Request schemas of the ``/_sandbox`` controls."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..core.clock import MAX_ADVANCE_SECONDS, in_safe_range, parse_instant, safe_range_text


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


def _in_safe_range(instant) -> None:
    # Vendors add lifetimes and windows to the clock: see core/clock.py for the range.
    if not in_safe_range(instant):
        raise ValidationError(f"The clock must stay {safe_range_text()}.")


class ClockUpdateSchema(Schema):
    class Meta:
        unknown = RAISE

    now = Instant(validate=_in_safe_range)
    advance_seconds = fields.Float(
        allow_nan=False, validate=validate.Range(-MAX_ADVANCE_SECONDS, MAX_ADVANCE_SECONDS)
    )
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
