"""Cirrus site settings, per tenant (interface page, "Settings"). Each is a choice a
real site makes in Admin > External API or Admin > Webhooks, or a behaviour the notes
could not confirm; docs/providers/cirrus.md names the rule each one drives. PATCH
``/_sandbox/tenants/<id>/settings/cirrus`` changes them."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import RAISE, Schema, ValidationError, fields, validate


def _time_zone(value: str) -> None:
    """An IANA time zone (``UTC``, ``Europe/Paris``): one the sandbox cannot read would
    silently turn every date without an offset into UTC."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValidationError("Not an IANA time zone (e.g. UTC, Europe/Paris).") from exc


class CirrusSettingsSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    # S19, SCH (delete-schedule): a scheduler chosen in Admin > External API.
    schedulerSet = fields.Boolean(load_default=True)
    # Schedule.Owner, and the assessment creator when POST /assessment names no Owner
    # (AS-8 when empty).
    owner = fields.String(load_default="sandbox-scheduler", allow_none=True)
    # How StartDateTime/EndDateTime without an offset are read (notes 1.10, assumed).
    defaultTimeZone = fields.String(load_default="UTC", validate=_time_zone)
    # RES-5: calls to /results per token per day (the day starts at 13:30 UTC).
    resultsDailyLimit = fields.Integer(load_default=3000, validate=validate.Range(min=0))
    # The "Exam results ready" webhook's Payload URL; None: no webhook.
    webhookUrl = fields.Url(load_default=None, allow_none=True, require_tld=False)
    # The webhook's "only when the result is SATISFACTORY" option.
    webhookOnlySatisfactory = fields.Boolean(load_default=False)
    # "message": POST /schedule answers the ASP.NET shapes; "content": the Content
    # envelope, successes included.
    errorEnvelope = fields.String(
        load_default="message", validate=validate.OneOf(["message", "content"])
    )
    # The origin of every LaunchUrl; None: http://HOST:PORT/cirrus/t/<tenant> of the
    # request that makes the schedule. Applies to schedules made afterwards.
    tenantHost = fields.Url(load_default=None, allow_none=True, require_tld=False)
    # S15: a schedule without candidates is refused (True) or made empty (False).
    candidatesRequired = fields.Boolean(load_default=True)
