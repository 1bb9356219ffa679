"""``/_sandbox``: the controls over tenants, in plain JSON (never a vendor's shape), on
flask-smorest like the vendors, so ``/_sandbox/openapi.json`` describes every control
and ``/_sandbox/docs`` shows it offline.

Tenants, their clocks, each vendor's site settings, the journal and reset are core's;
a vendor adds its own controls (Surpass users, Janison's complete) through
``Provider.admin_blueprint``, an ``AdminBlueprint`` mounted at
``/_sandbox/tenants/<tenant_id>/<vendor>``.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from ..core.docs import docs_blueprint
from ..core.provider import Provider, SandboxContext
from ..core.tenant_service import TenantService
from .blueprint import AdminBlueprint
from .clock import clock_blueprint
from .errors import ErrorEnvelopeSchema
from .journal import journal_blueprint
from .openapi import SECURITY, SECURITY_SCHEMES, GuardResponses, marshmallow_plugin
from .overview import overview_blueprint
from .settings import settings_blueprint
from .tenants import tenants_blueprint
from .webhooks import webhooks_blueprint

PREFIX = "/_sandbox"
TITLE = "exam-sandbox controls"
# Of the controls' contract, not of the package: it changes when the controls do.
VERSION = "1"
DESCRIPTION = (
    "The sandbox's own controls: tenants, each tenant's clock, each vendor's site "
    "settings, the journal of vendor calls, webhook deliveries, reset, and each vendor's "
    "extra controls. "
    "Plain JSON; every error is {\"error\": {\"status\", \"message\", \"details\"?}}. "
    "Writes must be application/json (send {} when there is nothing else to say)."
)
# The root app may hold other flask-smorest APIs one day: this one's settings are
# prefixed (flask-smorest's config_prefix).
CONFIG_PREFIX = "SANDBOX_ADMIN_"


class AdminApi(Api):
    ERROR_SCHEMA = ErrorEnvelopeSchema
    DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

    def _register_error_handlers(self) -> None:
        # Each control's blueprint answers its own errors (admin/errors.py); the root
        # app's other paths (/health, /, unknown ones) keep the app's handlers.
        return None


def install_admin(app: Flask, context: SandboxContext, providers: list[Provider]) -> AdminApi:
    """Mount the controls, ``/_sandbox/openapi.json`` and ``/_sandbox/docs`` on ``app``."""
    app.config.update(
        {
            f"{CONFIG_PREFIX}API_TITLE": TITLE,
            f"{CONFIG_PREFIX}API_VERSION": VERSION,
            f"{CONFIG_PREFIX}OPENAPI_VERSION": "3.0.3",
            f"{CONFIG_PREFIX}OPENAPI_URL_PREFIX": PREFIX,
            f"{CONFIG_PREFIX}OPENAPI_JSON_PATH": "openapi.json",
            f"{CONFIG_PREFIX}API_SPEC_OPTIONS": {
                "info": {"description": DESCRIPTION},
                "components": {"securitySchemes": SECURITY_SCHEMES},
                "security": SECURITY,
            },
        }
    )
    api = AdminApi(
        app,
        config_prefix=CONFIG_PREFIX,
        spec_kwargs={
            "marshmallow_plugin": marshmallow_plugin(),
            "extra_plugins": [GuardResponses()],
        },
    )
    service = TenantService(providers)
    for make in (tenants_blueprint, clock_blueprint, settings_blueprint, journal_blueprint,
                 webhooks_blueprint, overview_blueprint):
        api.register_blueprint(make(context, service))
    for provider in providers:
        extra = provider.admin_blueprint(context)
        if extra is not None:
            if not isinstance(extra, AdminBlueprint):
                # A plain Flask blueprint would serve controls the document never shows.
                raise TypeError(
                    f"{provider.name}: admin_blueprint must return an AdminBlueprint "
                    "(exam_sandbox.admin.blueprint), declared with schemas"
                )
            prefix = f"{PREFIX}/tenants/<tenant_id>/{provider.name}"
            api.register_blueprint(extra, url_prefix=prefix)
    app.register_blueprint(
        docs_blueprint(title=TITLE), url_prefix=f"{PREFIX}/docs", name="sandbox_docs"
    )
    return api
