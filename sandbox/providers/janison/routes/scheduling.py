"""``/api/testschedule`` (POST, DELETE by id: retires) and ``/api/testschedulecomponent``
(POST: a resit). Neither has a GET (SEED-J); results are read at ``/api/result``."""

from __future__ import annotations

from flask.views import MethodView

from exam_sandbox.core.request_scope import scope

from ..blueprint import JanisonBlueprint
from ..envelopes import written
from ..models.scheduling import Touched, resit, retire_schedule, schedule_test
from ..schemas.common import ErrorEnvelope, WriteEnvelope
from ..schemas.scheduling import TestScheduleComponentIn, TestScheduleIn, TestScheduleResult

schedule_blp = JanisonBlueprint(
    "testschedule", __name__, description="Test schedules: a group of candidates on a date"
)
component_schedule_blp = JanisonBlueprint(
    "testschedulecomponent", __name__, description="Resits: new versions of components"
)


def enrolments(touched: list[Touched]) -> list[dict]:
    return [
        {
            "candidate": t.enrolment.candidate,
            "testSessionId": t.enrolment.id,
            "components": [
                {"component": a.component, "version": a.version, "keycode": a.keycode}
                for a in t.components
            ],
        }
        for t in touched
    ]


@schedule_blp.route("")
class TestSchedules(MethodView):
    @schedule_blp.arguments(TestScheduleIn)
    @schedule_blp.response(200, TestScheduleResult)
    def post(self, body):
        """Enrol candidates on a test package on a date"""
        schedule, touched = schedule_test(scope(), body)
        return written("testschedule", schedule, enrolments=enrolments(touched))


@schedule_blp.route("/<int:schedule_id>")
class TestScheduleById(MethodView):
    @schedule_blp.response(200, WriteEnvelope)
    @schedule_blp.alt_response(404, schema=ErrorEnvelope, description="No such test schedule")
    @schedule_blp.alt_response(409, schema=ErrorEnvelope, description="Retired or sat")
    def delete(self, schedule_id: int):
        """Retire a planned test schedule by id"""
        return written("testschedule", retire_schedule(scope(), schedule_id))


@component_schedule_blp.route("")
class TestScheduleComponents(MethodView):
    @component_schedule_blp.arguments(TestScheduleComponentIn)
    @component_schedule_blp.response(200, TestScheduleResult)
    @component_schedule_blp.alt_response(409, schema=ErrorEnvelope, description="Retired")
    def post(self, body):
        """Allocate new versions of components of a scheduled test package (a resit)"""
        schedule, touched = resit(scope(), body)
        return written("testschedule", schedule, enrolments=enrolments(touched))
