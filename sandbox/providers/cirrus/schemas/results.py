"""GET /results (get-assessment-results): query and answer."""

from __future__ import annotations

from marshmallow import Schema, fields


class ResultsArgs(Schema):
    CandidateExtId = fields.String(metadata={"description": "Required unless AttemptExtId"})
    ScheduleExtId = fields.String()
    AttemptExtId = fields.String()


class CandidateInfo(Schema):
    class Meta:
        ordered = True

    ExternalId = fields.String(required=True)
    FirstName = fields.String(required=True)
    LastName = fields.String(required=True)
    UserName = fields.String(required=True)
    Email = fields.String(required=True)


class AttemptResult(Schema):
    class Meta:
        ordered = True

    AttemptExtId = fields.String(required=True)
    ScheduleExtId = fields.String(required=True)
    AssessmentExtId = fields.String(required=True)
    AssessmentTitle = fields.String(required=True)
    Score = fields.Float(required=True)
    MaxScore = fields.Float(required=True)
    ScorePercentage = fields.Float(required=True)
    Outcome = fields.String(required=True)
    SubmittedDateTime = fields.String(required=True)
    PublishedDateTime = fields.String(required=True)


class Results(Schema):
    class Meta:
        ordered = True

    CandidateExtId = fields.String(required=True)
    CandidateInfo = fields.Nested(CandidateInfo, required=True)
    Attempts = fields.List(fields.Nested(AttemptResult), required=True)
