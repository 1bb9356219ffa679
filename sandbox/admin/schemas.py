"""Schemas of the ``/_sandbox`` controls: they validate what a caller sends, shape what
the controls answer, and are what ``/_sandbox/openapi.json`` says of both."""

from __future__ import annotations

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    missing,
    validate,
    validates_schema,
)

from ..core.clock import MAX_ADVANCE_SECONDS, in_safe_range, parse_instant, safe_range_text
from ..core.provider import Provider
from ..core.tenants import DEFAULT_SEED

TENANT_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"


class Instant(fields.Field):
    """An ISO 8601 instant, stored as naive UTC."""

    def __init__(self, **kwargs) -> None:
        metadata = {"type": "string", "format": "date-time", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("Must be an ISO 8601 date-time string.")
        try:
            return parse_instant(value)
        except ValueError as exc:
            raise ValidationError("Must be an ISO 8601 date-time string.") from exc


# --- requests --------------------------------------------------------------------------


class TenantCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    seed = fields.Integer(
        validate=validate.Range(min=0, max=2**31 - 1),
        metadata={"description": f"Seeds the tenant's data (same seed, same data); {DEFAULT_SEED} "
                  "if left out"},
    )
    tenant = fields.String(
        validate=validate.Regexp(TENANT_ID_PATTERN),
        metadata={
            "description": "The tenant's id (and Surpass username); a random one if left out",
            "pattern": TENANT_ID_PATTERN,
        },
    )


class NoOptionsSchema(Schema):
    """A control that takes no options: ``{}`` (or nothing)."""

    class Meta:
        unknown = RAISE


def _in_safe_range(instant) -> None:
    # Vendors add lifetimes and windows to the clock: see core/clock.py for the range.
    if not in_safe_range(instant):
        raise ValidationError(f"The clock must stay {safe_range_text()}.")


class ClockUpdateSchema(Schema):
    class Meta:
        unknown = RAISE

    now = Instant(
        validate=_in_safe_range,
        metadata={"description": f"Freeze the clock at this instant ({safe_range_text()})"},
    )
    advance_seconds = fields.Float(
        allow_nan=False,
        validate=validate.Range(-MAX_ADVANCE_SECONDS, MAX_ADVANCE_SECONDS),
        metadata={"description": "Move the clock (frozen or running) by this many seconds"},
    )
    frozen = fields.Boolean(
        metadata={"description": "false: let a frozen clock run on; true: freeze it now"}
    )

    @validates_schema
    def _one_change(self, data, **_):
        if not data:
            raise ValidationError("Give 'now', 'advance_seconds' or 'frozen'.")


class JournalQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    provider = fields.String(metadata={"description": "Only this vendor's calls"})
    method = fields.String(metadata={"description": "Only calls with this HTTP method"})
    path = fields.String(metadata={"description": "Only calls whose path contains this text"})
    after = fields.Integer(
        validate=validate.Range(min=0),
        metadata={
            "description": "Only calls recorded after the call of this seq (a live view "
            "polls with the newest seq it has)"
        },
    )


# --- answers ---------------------------------------------------------------------------


class TenantListSchema(Schema):
    tenants = fields.List(fields.String(), required=True)


class ClockSchema(Schema):
    now = fields.String(
        required=True,
        metadata={"format": "date-time", "description": "The tenant's now, UTC, milliseconds"},
    )
    frozen = fields.Boolean(required=True)


def tenant_schema(providers: list[Provider]) -> type[Schema]:
    """A tenant as the controls show it; ``credentials`` has one member per vendor, with
    the same fields as the vendor's demo credentials."""
    per_vendor = {
        p.name: fields.Nested(
            Schema.from_dict(
                {key: fields.String(required=True) for key in p.description.demo_credentials},
                name=f"{p.name.capitalize()}Credentials",
            ),
            required=True,
        )
        for p in providers
    }
    credentials = Schema.from_dict(per_vendor, name="Credentials")
    return Schema.from_dict(
        {
            "tenant": fields.String(required=True),
            "seed": fields.Integer(required=True),
            "credentials": fields.Nested(credentials, required=True),
            "clock": fields.Nested(ClockSchema, required=True),
            "webhook_secret": fields.String(
                required=True,
                metadata={
                    "description": "Keys the HMAC-SHA256 of every webhook body the tenant's "
                    "vendors send: X-Sandbox-Signature: sha256=<hex>"
                },
            ),
        },
        name="Tenant",
    )


class JournalRequestSchema(Schema):
    headers = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "Credentials shown as '***'"},
    )
    body = fields.String(required=True)


class JournalResponseSchema(Schema):
    status = fields.Integer(required=True)
    body = fields.String(required=True)


class JournalEntrySchema(Schema):
    seq = fields.Integer(required=True)
    at = fields.String(required=True, metadata={"format": "date-time"})
    provider = fields.String(required=True)
    method = fields.String(required=True)
    path = fields.String(required=True)
    query = fields.String(required=True)
    request = fields.Nested(JournalRequestSchema, required=True)
    response = fields.Nested(JournalResponseSchema, required=True)
    durationMs = fields.Float(required=True)


class JournalSchema(Schema):
    entries = fields.List(
        fields.Nested(JournalEntrySchema),
        required=True,
        metadata={"description": "Oldest first; the newest calls up to the journal's limit"},
    )
    count = fields.Integer(required=True)


class JournalClearedSchema(Schema):
    removed = fields.Integer(required=True)


class WebhookAttemptSchema(Schema):
    at = fields.String(
        required=True,
        metadata={"format": "date-time", "description": "When, on the tenant's clock"},
    )
    status = fields.Integer(metadata={"description": "The receiver's HTTP status"})
    error = fields.String(
        metadata={"description": "Instead of a status: a refused connection, a timeout ..."}
    )


class WebhookDeliverySchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "Counted per tenant"})
    vendor = fields.String(required=True)
    url = fields.String(required=True)
    event = fields.String(required=True)
    payload = fields.Raw(
        required=True,
        metadata={
            "type": "object",
            "description": "What was sent: the JSON body, or the object a form body encodes",
        },
    )
    attempts = fields.List(
        fields.Nested(WebhookAttemptSchema),
        required=True,
        metadata={"description": "Oldest first, across every redelivery"},
    )
    state = fields.String(
        required=True, validate=validate.OneOf(("pending", "delivered", "failed"))
    )


def settings_patch_schema(provider: Provider) -> Schema:
    """The vendor's settings schema for a PATCH: every field optional and without its
    default, so what is loaded is exactly what the caller sent (a field left out keeps
    its current value). Partial, so the document names it ``<Vendor>SettingsPatch``."""
    schema = provider.settings_schema(partial=True)
    for field in schema.fields.values():
        field.load_default = missing
    return schema


# --- overview (core/overview.py) --------------------------------------------------------


class OverviewColumnSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(
        required=True,
        metadata={"enum": ["text", "code", "link", "status"],
                  "description": "How the cells are shown: text, a code, a URL, a status"},
    )


class OverviewActionSchema(Schema):
    name = fields.String(required=True, metadata={"description": "Stable across rows"})
    label = fields.String(required=True)
    method = fields.String(required=True)
    path = fields.String(required=True, metadata={"description": "A /_sandbox control"})
    body = fields.Dict(required=True, metadata={"description": "Its JSON body"})


class OverviewRowSchema(Schema):
    key = fields.String(required=True)
    cells = fields.Dict(
        keys=fields.String(), required=True, metadata={"description": "By column key"}
    )
    actions = fields.List(fields.Nested(OverviewActionSchema), required=True)


class OverviewTableSchema(Schema):
    name = fields.String(required=True)
    title = fields.String(required=True)
    columns = fields.List(fields.Nested(OverviewColumnSchema), required=True)
    rows = fields.List(
        fields.Nested(OverviewRowSchema),
        required=True,
        metadata={"description": "Newest first, at most 50"},
    )
    total = fields.Integer(required=True, metadata={"description": "How many there are"})
    empty = fields.String(required=True, metadata={"description": "What an empty table says"})


class OverviewSchema(Schema):
    vendor = fields.String(required=True)
    title = fields.String(required=True)
    tables = fields.List(fields.Nested(OverviewTableSchema), required=True)
    actions = fields.List(
        fields.Nested(OverviewActionSchema),
        required=True,
        metadata={"description": "The panel's own buttons"},
    )
