"""``/external/schedule``: create a non-published schedule; read, update and delete a
schedule (any, also one POST /schedule made) by its external id."""

from __future__ import annotations

from flask import request
from flask.views import MethodView

from exam_sandbox.core.request_scope import scope

from ..blueprint import CirrusBlueprint
from ..envelopes import content
from ..links import default_origin
from ..models.external import (
    ScheduleInfo,
    create_external,
    delete_external,
    schedule_info,
    update_external,
)
from ..schemas.common import ContentError, IdContent, Success
from ..schemas.external import ExternalScheduleIn, ScheduleInfoContent, ScheduleUpdate
from ..wire import format_instant

external_blp = CirrusBlueprint(
    "external", __name__, description="Schedules by external id (not published: no candidates)"
)


def info_body(info: ScheduleInfo) -> dict:
    schedule = info.schedule
    hierarchy = schedule.group_ext_id or schedule.hierarchy_ext_id or "root"
    path = "Root" + (f"/{schedule.group_name or hierarchy}" if hierarchy != "root" else "")
    return {
        "ExternalId": schedule.external_id,
        "Title": schedule.title,
        "StartDateTime": format_instant(schedule.start_at),
        "EndDateTime": format_instant(schedule.end_at),
        "Hierarchy": {"ExternalId": hierarchy, "FullPath": path},
        "ArchiveState": 1,
        "IsActivated": schedule.is_activated,
        "Candidates": [
            {
                "ExternalId": c.external_id,
                "FirstName": c.first_name,
                "LastName": c.last_name,
                "UserName": c.user_name,
            }
            for c in info.candidates
        ],
        "Invigilators": [],
        "SharingInformation": [],
    }


@external_blp.route("/schedule")
class ExternalSchedules(MethodView):
    @external_blp.arguments(ExternalScheduleIn)
    @external_blp.response(200, IdContent)
    @external_blp.alt_response(400, schema=ContentError, description="Refused")
    def post(self, body):
        """Create a non-published schedule (no candidates, not activated)"""
        current = scope()
        origin = default_origin(request.host_url, current.tenant_id)
        return content(create_external(current, body, origin).external_id)


@external_blp.route("/schedule/<string:external_id>")
class ExternalSchedule(MethodView):
    @external_blp.response(200, ScheduleInfoContent)
    @external_blp.alt_response(400, schema=ContentError, description="Unknown schedule")
    def get(self, external_id: str):
        """Get a schedule's information and candidates"""
        return content(info_body(schedule_info(scope(), external_id)))

    @external_blp.arguments(ScheduleUpdate)
    @external_blp.response(200, ScheduleInfoContent)
    @external_blp.alt_response(400, schema=ContentError, description="Refused")
    def patch(self, body, external_id: str):
        """Update a schedule (a PIN only on one not activated)"""
        current = scope()
        schedule = update_external(current, external_id, body)
        return content(info_body(schedule_info(current, schedule.external_id)))

    @external_blp.response(200, Success)
    @external_blp.alt_response(400, schema=ContentError, description="Refused")
    def delete(self, external_id: str):
        """Delete a schedule that has no attempts"""
        delete_external(scope(), external_id)
        return {"Success": True, "Errors": None}
