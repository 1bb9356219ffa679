"""/external/schedule: create a non-published schedule, read, update and delete one
(create-non-published-schedule, get-schedule-info, update-schedule, delete-schedule)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from exam_sandbox.core.documented import Documented

from ..wire import ASSESSMENT_ID_LIMIT, EXTERNAL_ID, SCHEDULE_ID_LIMIT
from .common import content_envelope

_EXT = validate.Regexp(EXTERNAL_ID)


def _ext_id(limit: int, **kwargs):
    return fields.String(validate=[validate.Length(1, limit), _EXT], **kwargs)


class ExternalScheduleIn(Documented):
    AssessmentExternalId = _ext_id(ASSESSMENT_ID_LIMIT, required=True)
    StartDateTime = fields.String(required=True, metadata={"format": "date-time"})
    EndDateTime = fields.String(metadata={"format": "date-time"})
    Title = fields.String(validate=validate.Length(max=100))
    ScheduleExternalId = _ext_id(SCHEDULE_ID_LIMIT)
    HierarchyExternalId = _ext_id(SCHEDULE_ID_LIMIT)
    PIN = fields.String(validate=validate.Length(max=64))
    UseProctorIo = fields.Boolean()
    ProctorioTemplateExternalId = _ext_id(ASSESSMENT_ID_LIMIT)
    Owner = fields.String(validate=validate.Length(max=64))


class ScheduleUpdate(Documented):
    StartDateTime = fields.String(required=True, metadata={"format": "date-time"})
    EndDateTime = fields.String(metadata={"format": "date-time"})
    Title = fields.String(validate=validate.Length(max=100))
    ScheduleExtId = _ext_id(SCHEDULE_ID_LIMIT)
    HierarchyExternalId = _ext_id(SCHEDULE_ID_LIMIT)
    PIN = fields.String(
        validate=validate.Length(max=4), metadata={"description": "Only for inactive schedules"}
    )
    UseProctorIo = fields.Boolean()
    ProctorioTemplateExternalId = _ext_id(ASSESSMENT_ID_LIMIT)


class Hierarchy(Schema):
    class Meta:
        ordered = True

    ExternalId = fields.String(required=True)
    FullPath = fields.String(required=True)


class ScheduleCandidate(Schema):
    class Meta:
        ordered = True

    ExternalId = fields.String(required=True)
    FirstName = fields.String(required=True)
    LastName = fields.String(required=True)
    UserName = fields.String(required=True)


class ScheduleInfo(Schema):
    class Meta:
        ordered = True

    ExternalId = fields.String(required=True)
    Title = fields.String(required=True)
    StartDateTime = fields.String(required=True)
    EndDateTime = fields.String(required=True)
    Hierarchy = fields.Nested(Hierarchy, required=True)
    ArchiveState = fields.Integer(required=True, metadata={"description": "1 Active, 2 Archived"})
    IsActivated = fields.Boolean(required=True)
    Candidates = fields.List(fields.Nested(ScheduleCandidate), required=True)
    Invigilators = fields.List(fields.Dict(), required=True)
    SharingInformation = fields.List(fields.Dict(), required=True)


ScheduleInfoContent = content_envelope(ScheduleInfo, "ScheduleInfoContent")
