"""``/_sandbox/tenants/<id>/clock``: the tenant's clock, which every vendor's dates and
lifetimes follow; frozen, moved or let run."""

from __future__ import annotations

from flask.views import MethodView

from ..core.provider import SandboxContext
from ..core.tenant_service import TenantService
from .blueprint import AdminBlueprint
from .schemas import ClockSchema, ClockUpdateSchema
from .tenants import clock_view


def changed_clock(clock, change: dict):
    """``clock`` after ``change``: a new instant first, then a move, then run or freeze."""
    if "now" in change:
        clock = clock.frozen_at_instant(change["now"])
    if "advance_seconds" in change:
        clock = clock.advanced(change["advance_seconds"])
    if change.get("frozen") is False:
        clock = clock.running()
    elif change.get("frozen") is True and not clock.frozen:
        clock = clock.frozen_now()
    return clock


def clock_blueprint(context: SandboxContext, service: TenantService) -> AdminBlueprint:
    blp = AdminBlueprint(
        "clock",
        __name__,
        url_prefix="/_sandbox/tenants/<tenant_id>/clock",
        description="The tenant's clock: every vendor's 'now' for that tenant",
    )
    db = context.db

    @blp.route("")
    class Clock(MethodView):
        @blp.response(200, ClockSchema)
        @blp.alt_response(404, response="NOT_FOUND")
        def get(self, tenant_id: str):
            """Read the tenant's clock"""
            with db.session(write=False) as session:
                return clock_view(service.require(session, tenant_id))

        @blp.arguments(ClockUpdateSchema)
        @blp.response(200, ClockSchema)
        @blp.alt_response(400, response="BAD_REQUEST")
        @blp.alt_response(404, response="NOT_FOUND")
        def put(self, change: dict, tenant_id: str):
            """Freeze the clock at an instant, move it, or let it run"""
            with db.session(write=True) as session:
                tenant = service.require(session, tenant_id)
                tenant.clock = changed_clock(tenant.clock, change)
                view = clock_view(tenant)
            # Retries follow the clock: a running dispatcher looks at once, not at its
            # next tick (another process's finds them when it polls).
            context.webhooks.poke()
            return view

    return blp
