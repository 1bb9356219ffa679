"""``/_sandbox/tenants/<id>/webhooks``: the tenant's webhook deliveries, and sending one
again. The deliveries are any vendor's (core/webhooks/); these controls only read them
and redeliver, through the same functions a vendor's rules use."""

from __future__ import annotations

from flask.views import MethodView

from ..core import webhooks
from ..core.errors import ErrorDetail, NotFound
from ..core.provider import SandboxContext
from ..core.scope import RequestScope
from ..core.tenant_service import TenantService
from .blueprint import AdminBlueprint
from .schemas import NoOptionsSchema, WebhookDeliverySchema


def webhooks_blueprint(context: SandboxContext, service: TenantService) -> AdminBlueprint:
    blp = AdminBlueprint(
        "webhooks",
        __name__,
        url_prefix="/_sandbox/tenants/<tenant_id>/webhooks",
        description="The webhooks the tenant's vendors sent or are sending: each delivery, "
        "its attempts and its state; a delivery can be sent again",
    )
    db = context.db

    def scope_of(session, tenant_id: str) -> RequestScope:
        return RequestScope.for_tenant(session, service.require(session, tenant_id), {})

    @blp.route("")
    class Deliveries(MethodView):
        @blp.response(200, WebhookDeliverySchema(many=True))
        @blp.alt_response(404, response="NOT_FOUND")
        def get(self, tenant_id: str):
            """The tenant's deliveries, newest last, with every attempt"""
            with db.session(write=False) as session:
                return [d.view() for d in webhooks.deliveries(scope_of(session, tenant_id))]

    @blp.route("/<int:delivery_id>/redeliver")
    class Redeliver(MethodView):
        @blp.arguments(NoOptionsSchema, required=False)
        @blp.response(202, WebhookDeliverySchema)
        @blp.alt_response(400, response="BAD_REQUEST")
        @blp.alt_response(404, response="NOT_FOUND")
        def post(self, _options, tenant_id: str, delivery_id: int):
            """Send a delivery again: pending, due now, with a fresh budget of attempts
            (the earlier attempts stay listed)"""
            with db.session(write=True) as session:
                again = webhooks.redeliver(scope_of(session, tenant_id), delivery_id)
                if again is None:
                    raise NotFound(
                        ErrorDetail(
                            404, f"No webhook delivery {delivery_id} of tenant '{tenant_id}'"
                        )
                    )
                return again.view()

    return blp
