"""``POST /schedule`` (also ``?type=json``) and ``POST /schedule/add-candidates``: the
answer's shape depends on the site's ``errorEnvelope`` (envelopes.py), so the views
return the finished response."""

from __future__ import annotations

from flask import jsonify, request
from flask.views import MethodView

from exam_sandbox.core.request_scope import scope

from ..blueprint import CirrusBlueprint
from ..envelopes import scheduled
from ..links import default_origin
from ..models.scheduling import Scheduled, add_candidates, create_schedule
from ..schemas.common import MessageError
from ..schemas.schedules import (
    AddCandidatesBody,
    CandidatesAdded,
    ScheduleBody,
    ScheduleTypeArgs,
)
from ..schemas.schedules import Scheduled as ScheduledSchema
from ..wire import format_instant

schedule_blp = CirrusBlueprint(
    "schedule", __name__, description="Schedules with candidates and their launch links"
)
ENVELOPE_NOTE = (
    ' Answers in the ASP.NET shape (errors `{"Message": "Bad request | ..."}`); with '
    "the site setting `errorEnvelope: content`, in the Content envelope instead."
)


def scheduled_body(done: Scheduled, verb: str) -> dict:
    return {
        "Result": f"Schedule[{done.external_id}] {verb} successfully",
        "Schedule": {
            "Title": done.title,
            "AssessmentExtId": done.assessment_ext_id,
            "ScheduleExtId": done.external_id,
            "StartDateTime": format_instant(done.start_at),
            "EndDateTime": format_instant(done.end_at),
            "GroupExtId": done.group_ext_id,
            "GroupName": done.group_name,
            "ScheduleGroupExtId": done.schedule_group_ext_id,
            "ScheduleGroupName": done.schedule_group_name,
            "PIN": None,
            "ExtraTime": None,
            "Owner": done.owner,
        },
        "Candidates": [
            {
                "CandidateExtId": linked.candidate.external_id,
                "StartupLink": linked.startup_link,
                "LaunchUrl": linked.launch_url,
                "FirstName": linked.candidate.first_name,
                "LastName": linked.candidate.last_name,
                "Email": linked.candidate.email,
                "Password": None,
                "AttemptExtId": linked.candidate.attempt_ext_id,
            }
            for linked in done.candidates
        ],
    }


def _origin() -> str:
    return default_origin(request.host_url, scope().tenant_id)


@schedule_blp.route("")
class Schedules(MethodView):
    @schedule_blp.arguments(ScheduleTypeArgs, location="query")
    @schedule_blp.arguments(ScheduleBody)
    @schedule_blp.response(200, ScheduledSchema)
    @schedule_blp.alt_response(400, schema=MessageError, description="Refused (S1-S19)")
    @schedule_blp.doc(description="Rules S1-S19, in order." + ENVELOPE_NOTE)
    def post(self, _args, body):
        """Create a schedule with candidates and generate their launch links"""
        done = create_schedule(scope(), body, _origin())
        return jsonify(scheduled(scheduled_body(done, "created" if done.created else "updated")))


@schedule_blp.route("/add-candidates")
class AddCandidates(MethodView):
    @schedule_blp.arguments(AddCandidatesBody)
    @schedule_blp.response(200, CandidatesAdded)
    @schedule_blp.alt_response(400, schema=MessageError, description="Refused")
    @schedule_blp.doc(
        description="Candidates already on the schedule keep their links." + ENVELOPE_NOTE
    )
    def post(self, body):
        """Add candidates to an existing schedule"""
        done = add_candidates(scope(), body)
        answer = scheduled_body(done, "updated")
        del answer["Schedule"]
        return jsonify(scheduled(answer))
