"""``POST /_sandbox/tenants/<id>/janison/testschedule/<schedule id>/complete``: mark a
schedule's enrolments (or some candidates') completed and write their results, so a demo
can run from booking to result. Plain JSON, like every sandbox control.

Body, optional: ``{"scores": {"<component reference>": <raw 0-100>, ...},
"candidates": [<candidate id>, ...]}``. A component without a score gets one derived
from the tenant's seed.
"""

from __future__ import annotations

from flask.views import MethodView

from exam_sandbox.admin.blueprint import AdminBlueprint
from exam_sandbox.core.errors import ErrorDetail, NotFound
from exam_sandbox.core.provider import SandboxContext
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenants import get_tenant

from .admin_schemas import CompletedSchema, CompleteSchema
from .description import DESCRIPTION
from .models.results import complete_schedule
from .settings import JanisonSettingsSchema


def _settings(tenant) -> dict:
    """The tenant's Janison settings over the defaults, as a vendor request sees them."""
    return {**JanisonSettingsSchema().load({}), **tenant.settings_for(DESCRIPTION.name)}


def create_admin_blueprint(context: SandboxContext) -> AdminBlueprint:
    blp = AdminBlueprint(
        "janison",
        __name__,
        description="Janison controls: sit a booked test schedule and write its results",
    )

    @blp.route("/testschedule/<int:schedule_id>/complete")
    class Complete(MethodView):
        @blp.arguments(CompleteSchema, required=False)
        @blp.response(200, CompletedSchema)
        @blp.alt_response(
            400,
            response="BAD_REQUEST",
            description="Invalid, or names a component or candidate not in the schedule",
        )
        @blp.alt_response(404, response="NOT_FOUND", description="No such tenant or schedule")
        @blp.alt_response(409, response="CONFLICT", description="The schedule is retired")
        def post(self, body: dict, tenant_id: str, schedule_id: int):
            """Complete a schedule's enrolments (all, or some candidates') with results"""
            with context.db.session(write=True) as session:
                tenant = get_tenant(session, tenant_id)
                if tenant is None:
                    raise NotFound(ErrorDetail(404, f"No tenant '{tenant_id}'"))
                # The control builds the scope a vendor request would: same rule function.
                scope = RequestScope.for_tenant(session, tenant, _settings(tenant))
                done = complete_schedule(scope, schedule_id, body["scores"], body["candidates"])
                return {
                    "testSchedule": schedule_id,
                    "results": [
                        {
                            "id": result.id,
                            "reference": result.reference,
                            "candidate": {
                                "id": enrolment.candidate.id,
                                "reference": enrolment.candidate.reference,
                            },
                            "testSessionId": enrolment.id,
                            "finalScaleScore": result.final_scale_score,
                            "overallCEFRGrade": result.overall_cefr_grade,
                        }
                        for enrolment, result in done
                    ],
                }

    return blp
