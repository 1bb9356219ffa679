"""``/_sandbox/tenants``: list, create, read, delete and reset tenants."""

from __future__ import annotations

from flask.views import MethodView

from ..core.clock import format_instant
from ..core.provider import SandboxContext
from ..core.tenant_service import TenantService
from ..core.tenants import list_tenant_ids
from ..core.webhooks import webhook_secret
from .blueprint import AdminBlueprint
from .schemas import NoOptionsSchema, TenantCreateSchema, TenantListSchema, tenant_schema


def clock_view(tenant) -> dict:
    clock = tenant.clock
    return {"now": format_instant(clock.now()), "frozen": clock.frozen}


def tenant_view(service: TenantService, tenant) -> dict:
    return {
        "tenant": tenant.id,
        "seed": tenant.seed,
        "credentials": service.credentials(tenant),
        "clock": clock_view(tenant),
        "webhook_secret": webhook_secret(tenant.id, tenant.secret),
    }


def tenants_blueprint(context: SandboxContext, service: TenantService) -> AdminBlueprint:
    blp = AdminBlueprint(
        "tenants",
        __name__,
        url_prefix="/_sandbox/tenants",
        description="Tenants: each has its own data, credentials, clock, settings and journal",
    )
    db = context.db
    tenant = tenant_schema(service.providers)

    @blp.route("")
    class Tenants(MethodView):
        @blp.response(200, TenantListSchema)
        def get(self):
            """List the tenants' ids"""
            with db.session(write=False) as session:
                return {"tenants": list_tenant_ids(session)}

        @blp.arguments(TenantCreateSchema, required=False)
        @blp.response(201, tenant)
        @blp.alt_response(400, response="BAD_REQUEST")
        @blp.alt_response(409, response="CONFLICT", description="The tenant id is taken")
        def post(self, args):
            """Create a tenant, seeded, with its own credentials for every vendor"""
            with db.session(write=True) as session:
                created = service.create(
                    session, seed=args.get("seed"), tenant_id=args.get("tenant")
                )
                return tenant_view(service, created)

    @blp.route("/<tenant_id>")
    class TenantById(MethodView):
        @blp.response(200, tenant)
        @blp.alt_response(404, response="NOT_FOUND")
        def get(self, tenant_id: str):
            """Read a tenant: its seed, credentials and clock"""
            with db.session(write=False) as session:
                return tenant_view(service, service.require(session, tenant_id))

        @blp.response(204)
        @blp.alt_response(404, response="NOT_FOUND")
        def delete(self, tenant_id: str):
            """Delete a tenant, its data and its credentials"""
            with db.session(write=True) as session:
                service.delete(session, tenant_id)

    @blp.route("/<tenant_id>/reset")
    class Reset(MethodView):
        @blp.arguments(NoOptionsSchema, required=False)
        @blp.response(200, tenant)
        @blp.alt_response(400, response="BAD_REQUEST")
        @blp.alt_response(404, response="NOT_FOUND")
        def post(self, _options, tenant_id: str):
            """Back to the seeded data and default settings; the clock and journal stay"""
            with db.session(write=True) as session:
                return tenant_view(service, service.reset(session, tenant_id))

    return blp
