"""Schemas of Janison's extra control,
``POST /_sandbox/tenants/<id>/janison/testschedule/<schedule id>/complete``."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from .scoring import RAW_MAX


class CompleteSchema(Schema):
    class Meta:
        unknown = RAISE

    scores = fields.Dict(
        keys=fields.String(validate=validate.Length(1, 100)),
        values=fields.Integer(strict=True, validate=validate.Range(0, RAW_MAX)),
        load_default=dict,
        metadata={
            "description": "Raw scores (0-100) by component reference; a component left "
            "out gets one derived from the tenant's seed"
        },
    )
    candidates = fields.List(
        fields.Integer(strict=True, validate=validate.Range(1, 2**63 - 1)),
        load_default=None,
        validate=validate.Length(max=500),
        metadata={"description": "Only these candidates' enrolments; all if left out"},
    )


class CandidateRefSchema(Schema):
    id = fields.Integer(required=True)
    reference = fields.String(required=True)


class CompletedResultSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "The result's id"})
    reference = fields.String(required=True)
    candidate = fields.Nested(CandidateRefSchema, required=True)
    testSessionId = fields.Integer(required=True, metadata={"description": "The enrolment"})
    finalScaleScore = fields.String(required=True, allow_none=True)
    overallCEFRGrade = fields.String(required=True, allow_none=True)


class CompletedSchema(Schema):
    testSchedule = fields.Integer(required=True, metadata={"description": "The schedule's id"})
    results = fields.List(
        fields.Nested(CompletedResultSchema),
        required=True,
        metadata={"description": "One per enrolment completed, in the schedule's order"},
    )
