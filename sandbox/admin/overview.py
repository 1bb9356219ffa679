"""``/_sandbox/tenants/<id>/overview/<vendor>``: what the vendor's admin screen would show
of the tenant (core/overview.py), with the controls its buttons call. The console renders
the same ``Overview``; a test or a script can read it here."""

from __future__ import annotations

from flask import Blueprint as FlaskBlueprint
from flask.views import MethodView

from ..core.errors import ErrorDetail, NotFound
from ..core.overview import Overview
from ..core.provider import Provider, SandboxContext, settings_of
from ..core.scope import RequestScope
from ..core.tenant_service import TenantService
from .blueprint import AdminBlueprint
from .schemas import OverviewSchema


def overview_of(session, service: TenantService, provider: Provider, tenant_id: str) -> Overview:
    """The vendor's overview of the tenant, read in ``session`` (404 for no tenant)."""
    tenant = service.require(session, tenant_id)
    scope = RequestScope.for_tenant(session, tenant, settings_of(provider, tenant))
    return provider.overview(scope)


def overview_blueprint(context: SandboxContext, service: TenantService) -> AdminBlueprint:
    blp = AdminBlueprint(
        "overview",
        __name__,
        url_prefix="/_sandbox/tenants/<tenant_id>/overview",
        description="What each vendor's admin screen would show of the tenant, newest "
        "first, with the controls its buttons call (the console's panels)",
    )
    for provider in service.providers:
        blp.route(f"/{provider.name}", endpoint=provider.name)(
            _overview_view(blp, context, service, provider)
        )

    def unknown_provider(tenant_id: str, provider_name: str):
        raise NotFound(ErrorDetail(404, f"No provider '{provider_name}'"))

    # Not a control (see settings.py): Flask's own add_url_rule, undocumented.
    FlaskBlueprint.add_url_rule(
        blp, "/<provider_name>", "unknown_provider", unknown_provider, methods=["GET"]
    )
    return blp


def _overview_view(
    blp: AdminBlueprint, context: SandboxContext, service: TenantService, provider: Provider
) -> type[MethodView]:
    db = context.db

    class OverviewView(MethodView):
        @blp.response(200, OverviewSchema)
        @blp.alt_response(404, response="NOT_FOUND")
        def get(self, tenant_id: str):
            with db.session(write=False) as session:
                return overview_of(session, service, provider, tenant_id).view()

    OverviewView.get.__doc__ = (
        f"What {provider.description.title}'s admin screen would show of the tenant"
    )
    OverviewView.__name__ = OverviewView.__qualname__ = (
        f"{provider.name.capitalize()}Overview"
    )
    return OverviewView
