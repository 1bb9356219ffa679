"""``/api/v2/TestSchedule``: POST schedules one candidate; DELETE by id or keycode.
There is no GET: schedules are read back through ``/api/v2/TestSession``."""

from __future__ import annotations

from flask import request
from flask.views import MethodView

from exam_sandbox.core.request_scope import scope

from ..auth import require_permission
from ..blueprint import SurpassBlueprint
from ..models.scheduling import schedule_test
from ..models.sessions import delete_schedule, require_delete_permission
from ..paging import written
from ..schemas.common import ErrorEnvelope, WriteEnvelope
from ..schemas.scheduling import ScheduleHeaders, TestScheduleIn, TestScheduleResult

FORBIDDEN = "Permission, or association with the centre or subject, missing"
MISSING = "Test, centre or candidate not found"
schedule_blp = SurpassBlueprint(
    "TestSchedule", __name__, item="testSchedule", description="Scheduling tests"
)


@schedule_blp.before_request
def _permission() -> None:
    """AUTH-2 (POST) and TD-3 (DELETE) before the body is read."""
    if request.method == "DELETE":
        require_delete_permission(scope().user)
    else:
        require_permission("ScheduleTest")


@schedule_blp.route("")
class TestSchedules(MethodView):
    @schedule_blp.arguments(ScheduleHeaders, location="headers", error_status_code=400)
    @schedule_blp.arguments(TestScheduleIn, error_status_code=400)
    @schedule_blp.response(200, TestScheduleResult)
    @schedule_blp.alt_response(403, schema=ErrorEnvelope, description=FORBIDDEN)
    @schedule_blp.alt_response(404, schema=ErrorEnvelope, description=MISSING)
    def post(self, headers, body):
        """Schedule a test for one candidate"""
        created = schedule_test(
            scope(), body,
            auto_sync=headers["autoSyncCentreSubject"],
            quick_register=headers["quickRegisterCandidate"],
        )
        return written(
            "TestSession", created.id, created.keycode, keycode=created.keycode, pin=created.pin,
            candidate={"id": created.candidate.id, "reference": created.candidate.reference},
        )


@schedule_blp.route("/<key>")
class TestScheduleByKey(MethodView):
    @schedule_blp.response(200, WriteEnvelope)
    @schedule_blp.alt_response(400, schema=ErrorEnvelope, description="Not in an editable state")
    @schedule_blp.alt_response(403, schema=ErrorEnvelope, description=FORBIDDEN)
    @schedule_blp.alt_response(404, schema=ErrorEnvelope, description="No such test schedule")
    def delete(self, key: str):
        """Delete a test schedule by id or keycode"""
        delete_schedule(scope(), key)
        return written("TestSchedule", None, None)
