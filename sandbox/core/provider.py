"""What core asks of a vendor package, and what it hands one.

Core never imports a vendor. ``sandbox/app.py`` collects the vendors and passes them in;
each one is a ``Provider``: it builds its own Flask app (mounted at ``/<name>``), seeds a
tenant's data, names the tenant's credentials and validates its own site settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from flask import Blueprint, Flask
from marshmallow import Schema
from sqlalchemy.orm import Session

from .db import Database
from .demo_script import DemoRun
from .description import ProviderDescription
from .journal_queue import JournalQueue
from .overview import Overview
from .scope import RequestScope
from .tenants import Tenant
from .webhooks import WebhookDispatcher


@dataclass(frozen=True)
class SandboxConfig:
    """Process-wide configuration; identical in every worker."""

    database_url: str
    default_seed: int = 1
    journal_limit: int = 1000
    max_body_bytes: int = 1_048_576
    # What the request guard (core/guard.py) trusts: the address the server is bound to
    # (its Host is answered; a wildcard also answers the machine's names and addresses),
    # further Host names (``*``: any), and the token /_sandbox requires (None: none).
    bind_host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()
    admin_token: str | None = None
    # Further settings by name, e.g. the webhook dispatcher's ``webhook_connect_timeout``,
    # ``webhook_read_timeout``, ``webhook_poll_seconds``, ``webhook_senders``
    # (core/webhooks/dispatcher.py).
    extra: dict = field(default_factory=dict)


@dataclass
class SandboxContext:
    """What every vendor app shares: the database and the configuration."""

    db: Database
    config: SandboxConfig
    # Journal entries of requests that wrote nothing, written off their path.
    journal: JournalQueue = field(init=False)
    # Sends the webhook deliveries vendors enqueue; its thread starts only when needed.
    webhooks: WebhookDispatcher = field(init=False)

    def __post_init__(self) -> None:
        self.journal = JournalQueue(self.db, limit=self.config.journal_limit)
        self.webhooks = WebhookDispatcher(self.db, self.config.extra)


class Provider(Protocol):
    name: str
    # What the vendor says about itself (core/description.py): listed by the CLI, the
    # landing page and the pytest plugin.
    description: ProviderDescription
    # Validates a PATCH of the vendor's site settings; every field has a load_default,
    # which is the vendor's default.
    settings_schema: type[Schema]

    def create_app(self, context: SandboxContext) -> Flask: ...

    def seed_tenant(self, session: Session, tenant: Tenant) -> None:
        """Write the tenant's deterministic data for ``tenant.seed``; must be fast."""

    def credentials(self, tenant: Tenant) -> dict: ...

    def admin_blueprint(self, context: SandboxContext) -> Blueprint | None:
        """Extra controls, mounted at ``/_sandbox/tenants/<tenant_id>/<name>``."""

    def overview(self, scope: RequestScope) -> Overview:
        """What the vendor's admin screen would show of the scope's tenant (read only;
        core/overview.py): the console's panel and ``/_sandbox/.../overview/<name>``."""

    def run_demo(self, demo: DemoRun) -> None:
        """Book, resit, sit and read a result through the vendor's client and the
        documented controls, one ``demo.step`` at a time (core/demo_script.py)."""


def settings_of(provider: Provider, tenant: Tenant) -> dict:
    """The tenant's settings for ``provider``, stored values over the vendor's defaults."""
    return {**_defaults(provider.settings_schema), **tenant.settings_for(provider.name)}


@cache
def _defaults(schema: type[Schema]) -> dict:
    # Loading the schema costs more than the rest of a request's setup: once per vendor.
    # Copied by every caller (the dict above), so no request can change it.
    return schema().load({})
