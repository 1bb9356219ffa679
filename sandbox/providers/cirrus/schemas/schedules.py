"""POST /schedule and /schedule/add-candidates (create-schedule-and-generate-links,
add-candidates-to-existing-schedule-extended), and what they answer."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from exam_sandbox.core.documented import Documented

from ..wire import ASSESSMENT_ID_LIMIT, CANDIDATE_ID_LIMIT, EXTERNAL_ID, SCHEDULE_ID_LIMIT
from .common import content_envelope, mandatory_text

_EXT = validate.Regexp(EXTERNAL_ID)


def _ext_id(limit: int, **kwargs):
    return fields.String(validate=[validate.Length(1, limit), _EXT], **kwargs)


def _instant(description: str = "", **kwargs):
    metadata = {"format": "date-time", **({"description": description} if description else {})}
    return fields.String(metadata=metadata, **kwargs)


class CandidateIn(Documented):
    UserName = fields.String(
        validate=validate.Length(max=500), metadata={"description": "Defaults to CandidateExtId"}
    )
    CandidateExtId = _ext_id(CANDIDATE_ID_LIMIT, required=True)
    FirstName = mandatory_text(500)
    LastName = mandatory_text(500)
    Email = fields.Email(required=True, validate=validate.Length(max=500))
    Password = fields.String(validate=validate.Length(max=500))
    SpecialNeeds = fields.Boolean()
    ReasonableAdjustmentPercentage = fields.Integer(
        validate=validate.Range(0, 100), metadata={"description": "Only with SpecialNeeds"}
    )
    AttemptExtId = _ext_id(
        CANDIDATE_ID_LIMIT, metadata={"description": "Required when Workflow is EXTERNAL_ATTEMPTS"}
    )


class ScheduleIn(Documented):
    AssessmentExtId = _ext_id(ASSESSMENT_ID_LIMIT, required=True)
    Title = fields.String(validate=validate.Length(max=100))
    ScheduleExtId = _ext_id(SCHEDULE_ID_LIMIT)
    StartDateTime = _instant(required=True)
    EndDateTime = _instant("Defaults to start + MaxTimePerAttempt + 60 minutes")
    GroupExtId = mandatory_text(64)
    GroupName = mandatory_text(500)
    ScheduleGroupExtId = fields.String(validate=validate.Length(max=64))
    ScheduleGroupName = fields.String(validate=validate.Length(max=500))
    LockExamOnConnectionLoss = fields.Boolean()


class ScheduleBody(Documented):
    Workflow = fields.String(validate=validate.OneOf(["DEFAULT", "EXTERNAL_ATTEMPTS"]))
    Upsert = fields.Boolean()
    Schedule = fields.Nested(ScheduleIn, required=True)
    # S15: not empty, unless the site's candidatesRequired is off.
    Candidates = fields.List(
        fields.Nested(CandidateIn), required=True, validate=validate.Length(min=1)
    )


class ScheduleRef(Documented):
    ScheduleExtId = _ext_id(SCHEDULE_ID_LIMIT, required=True)
    GroupExtId = mandatory_text(64)
    GroupName = mandatory_text(500)


class AddCandidatesBody(Documented):
    Schedule = fields.Nested(ScheduleRef, required=True)
    Candidates = fields.List(
        fields.Nested(CandidateIn), required=True, validate=validate.Length(min=1)
    )


class ScheduleTypeArgs(Schema):
    type = fields.String(metadata={"description": "`json` (a real client sends it)"})


class ScheduledSchedule(Schema):
    class Meta:
        ordered = True

    Title = fields.String(required=True)
    AssessmentExtId = fields.String(required=True)
    ScheduleExtId = fields.String(required=True)
    StartDateTime = fields.String(required=True)
    EndDateTime = fields.String(required=True)
    GroupExtId = fields.String(allow_none=True)
    GroupName = fields.String(allow_none=True)
    ScheduleGroupExtId = fields.String(allow_none=True)
    ScheduleGroupName = fields.String(allow_none=True)
    PIN = fields.String(allow_none=True)
    ExtraTime = fields.Integer(allow_none=True)
    Owner = fields.String(required=True)


class LinkedCandidate(Schema):
    class Meta:
        ordered = True

    CandidateExtId = fields.String(required=True)
    StartupLink = fields.String(required=True)
    LaunchUrl = fields.String(required=True)
    FirstName = fields.String(required=True)
    LastName = fields.String(required=True)
    Email = fields.String(required=True)
    Password = fields.String(allow_none=True)
    AttemptExtId = fields.String(allow_none=True)


class Scheduled(Schema):
    class Meta:
        ordered = True

    Result = fields.String(required=True)
    Schedule = fields.Nested(ScheduledSchedule, required=True)
    Candidates = fields.List(fields.Nested(LinkedCandidate), required=True)


ScheduledContent = content_envelope(Scheduled, "ScheduledContent")


class CandidatesAdded(Schema):
    class Meta:
        ordered = True

    Result = fields.String(required=True)
    Candidates = fields.List(fields.Nested(LinkedCandidate), required=True)
