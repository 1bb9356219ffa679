"""What the console's tenant page shows, read with the functions the controls use.

Reading goes straight to those functions (one read transaction per page); every change
the page makes goes through a documented ``/_sandbox`` control, from the browser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from marshmallow import fields, validate

from ..admin.overview import overview_of
from ..admin.tenants import tenant_view
from ..core import journal, webhooks
from ..core.overview import control_path
from ..core.provider import Provider, settings_of
from ..core.scope import RequestScope
from ..core.tenant_service import TenantService

# The newest journal entries the page opens with; newer ones arrive by polling.
JOURNAL_SHOWN = 50
# The newest webhook deliveries shown.
DELIVERIES_SHOWN = 50


@dataclass(frozen=True)
class Setting:
    """One site setting as a control: ``toggle`` (a boolean), ``choice`` (one of
    ``choices``), ``number``, ``text`` (empty means null when ``nullable``), or
    ``fixed`` (a structure: shown, changed through the control itself)."""

    name: str
    kind: str
    value: Any
    choices: tuple[str, ...] = ()
    nullable: bool = False
    minimum: int | None = None
    maximum: int | None = None

    @property
    def shown(self) -> str:
        return json.dumps(self.value)


def _one_of(field: fields.Field) -> tuple[str, ...]:
    for validator in field.validators:
        if isinstance(validator, validate.OneOf):
            return tuple(str(c) for c in validator.choices)
    return ()


def _range(field: fields.Field) -> tuple[int | None, int | None]:
    for validator in field.validators:
        if isinstance(validator, validate.Range):
            return validator.min, validator.max
    return None, None


def settings_controls(provider: Provider, values: dict) -> list[Setting]:
    """The vendor's settings, each as the control its type allows."""
    out = []
    for name, field in provider.settings_schema().fields.items():
        value = values.get(name)
        nullable = bool(field.allow_none)
        if isinstance(field, fields.Boolean):
            out.append(Setting(name, "toggle", value))
        elif choices := _one_of(field):
            out.append(Setting(name, "choice", value, choices=choices))
        elif isinstance(field, fields.Integer):
            low, high = _range(field)
            out.append(Setting(name, "number", value, minimum=low, maximum=high))
        elif isinstance(field, fields.String):  # Url is a String
            out.append(Setting(name, "text", value, nullable=nullable))
        else:
            out.append(Setting(name, "fixed", value))
    return out


def delivery_view(tenant_id: str, delivery) -> dict:
    shown = delivery.view()
    last = shown["attempts"][-1] if shown["attempts"] else None
    shown["last"] = None if last is None else (last.get("status") or last.get("error"))
    shown["payload_text"] = json.dumps(shown["payload"], indent=2, ensure_ascii=False)
    shown["redeliver"] = control_path(tenant_id, "webhooks", delivery.id, "redeliver")
    return shown


def entry_view(entry: dict) -> dict:
    """A journal entry with its bodies pretty-printed when they are JSON."""
    return {
        **entry,
        "request_text": _pretty(entry["request"]["body"]),
        "request_headers_text": json.dumps(entry["request"]["headers"], indent=2),
        "response_text": _pretty(entry["response"]["body"]),
    }


def _pretty(body: str) -> str:
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except ValueError:
        return body


def tenant_page(session, service: TenantService, tenant_id: str) -> dict:
    """What the tenant's page shows but its journal (404 for no such tenant)."""
    tenant = service.require(session, tenant_id)
    vendors = []
    for provider in service.providers:
        values = settings_of(provider, tenant)
        vendors.append(
            {
                "name": provider.name,
                "title": provider.description.title,
                "overview": overview_of(session, service, provider, tenant_id).view(),
                "settings": settings_controls(provider, values),
                "settings_path": control_path(tenant_id, "settings", provider.name),
            }
        )
    scope = RequestScope.for_tenant(session, tenant, {})
    shown = webhooks.deliveries(scope)[-DELIVERIES_SHOWN:]
    return {
        "tenant": tenant_view(service, tenant),
        "vendors": vendors,
        "deliveries": [delivery_view(tenant_id, d) for d in reversed(shown)],
        "paths": {
            "clock": control_path(tenant_id, "clock"),
            "reset": control_path(tenant_id, "reset"),
            "journal": control_path(tenant_id, "journal"),
        },
    }


def journal_part(session, tenant_id: str) -> dict:
    """The newest entries, newest first, and the seq the script polls after."""
    entries = journal.entries(session, tenant_id, limit=JOURNAL_SHOWN)
    return {
        "journal": [entry_view(e) for e in reversed(entries)],
        "last_seq": entries[-1]["seq"] if entries else 0,
    }
