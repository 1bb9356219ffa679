"""Result on the wire: what GET ``/result`` returns, field for field (SEED-J). Scale
scores are strings, as the seed types them."""

from __future__ import annotations

from flask import request
from marshmallow import Schema, fields

from .common import Instant, ItemTail, ref_out

TEXT = {"type": "string"}


class ResultComponentSchema(Schema):
    """A component of a result; its ``id``, ``reference`` and ``href`` are the
    component's (there is no resource of result components to point at)."""

    scaleScore = fields.String(attribute="scale_score")
    CEFRGrade = fields.String(attribute="cefr_grade")
    dateCompleted = Instant(attribute="date_completed")
    keycode = fields.String()
    includedInTotal = fields.Boolean(attribute="included_in_total")
    rawScore = fields.Integer(attribute="raw_score")
    completed = fields.Boolean()
    voided = fields.Boolean()
    name = fields.Function(lambda rc: rc.component.name, metadata=TEXT)
    type = fields.Function(lambda rc: rc.component.type, metadata=TEXT)
    href = fields.Function(
        lambda rc: f"{request.url_root}api/component/{rc.component.id}",
        metadata={"type": "string", "format": "uri"},
    )
    id = fields.Function(lambda rc: rc.component.id, metadata={"type": "integer"})
    reference = fields.Function(lambda rc: rc.component.reference, metadata=TEXT)


class ResultSchema(ItemTail):
    resource = "result"
    candidate = fields.Nested(ref_out("candidate"))
    testPackage = fields.Nested(ref_out("testpackage"), attribute="package")
    centre = fields.Nested(ref_out("centre"))
    components = fields.List(fields.Nested(ResultComponentSchema))
    finalScaleScore = fields.String(attribute="final_scale_score", allow_none=True)
    overallCEFRGrade = fields.String(attribute="overall_cefr_grade", allow_none=True)
    testPackageCompletionDate = Instant(attribute="completion_date", allow_none=True)
    completed = fields.Boolean()
    voided = fields.Boolean()

    class Meta:
        fields = (
            "candidate",
            "testPackage",
            "centre",
            "components",
            "finalScaleScore",
            "overallCEFRGrade",
            "testPackageCompletionDate",
            "completed",
            "voided",
            "href",
            "id",
            "reference",
        )
