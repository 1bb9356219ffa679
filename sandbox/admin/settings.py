"""``/_sandbox/tenants/<id>/settings/<vendor>``: each vendor's site settings for a tenant.

One route per vendor, each declared with that vendor's ``settings_schema``, so the
document shows every vendor's settings and a PATCH is validated by its own vendor.
"""

from __future__ import annotations

from flask import Blueprint as FlaskBlueprint
from flask.views import MethodView

from ..core.errors import ErrorDetail, NotFound
from ..core.provider import Provider, SandboxContext, settings_of
from ..core.tenant_service import TenantService
from .blueprint import AdminBlueprint
from .schemas import settings_patch_schema


def settings_blueprint(context: SandboxContext, service: TenantService) -> AdminBlueprint:
    blp = AdminBlueprint(
        "settings",
        __name__,
        url_prefix="/_sandbox/tenants/<tenant_id>/settings",
        description="Each vendor's site settings: the behaviours a real site could differ on",
    )
    for provider in service.providers:
        blp.route(f"/{provider.name}", endpoint=provider.name)(
            _settings_view(blp, context, service, provider)
        )

    # A name that is no vendor's: answered with what is wrong, not a bare 404. Not a
    # control, so not in the document (which lists each vendor's path): Flask's own
    # add_url_rule, which flask-smorest's would have documented.
    def unknown_provider(tenant_id: str, provider_name: str):
        raise NotFound(ErrorDetail(404, f"No provider '{provider_name}'"))

    FlaskBlueprint.add_url_rule(
        blp, "/<provider_name>", "unknown_provider", unknown_provider, methods=["GET", "PATCH"]
    )
    return blp


def _settings_view(
    blp: AdminBlueprint, context: SandboxContext, service: TenantService, provider: Provider
) -> type[MethodView]:
    db = context.db
    title = provider.description.title

    class Settings(MethodView):
        @blp.response(200, provider.settings_schema)
        @blp.alt_response(404, response="NOT_FOUND")
        def get(self, tenant_id: str):
            with db.session(write=False) as session:
                return settings_of(provider, service.require(session, tenant_id))

        @blp.arguments(settings_patch_schema(provider))
        @blp.response(200, provider.settings_schema)
        @blp.alt_response(400, response="BAD_REQUEST")
        @blp.alt_response(404, response="NOT_FOUND")
        def patch(self, changes: dict, tenant_id: str):
            with db.session(write=True) as session:
                tenant = service.require(session, tenant_id)
                merged = {**tenant.settings_for(provider.name), **changes}
                tenant.replace_settings(provider.name, merged)
                return settings_of(provider, tenant)

    # The summaries name the vendor (a docstring cannot be an f-string).
    Settings.get.__doc__ = f"Read the tenant's {title} settings (defaults where unset)"
    Settings.patch.__doc__ = (
        f"Change some of the tenant's {title} settings; those left out keep their values"
    )
    Settings.__name__ = Settings.__qualname__ = f"{provider.name.capitalize()}Settings"
    return Settings
