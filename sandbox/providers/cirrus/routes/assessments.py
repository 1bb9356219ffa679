"""``POST /assessment`` and ``GET /assessment/{externalId}``."""

from __future__ import annotations

from flask.views import MethodView

from exam_sandbox.core.request_scope import scope

from ..blueprint import CirrusBlueprint
from ..envelopes import content
from ..models.assessments import create_assessment, find_assessment
from ..schemas.assessments import AssessmentContent, AssessmentIn, assessment_body
from ..schemas.common import ContentError, IdContent

assessment_blp = CirrusBlueprint("assessment", __name__, description="Assessments")


@assessment_blp.route("")
class Assessments(MethodView):
    @assessment_blp.arguments(AssessmentIn)
    @assessment_blp.response(200, IdContent)
    @assessment_blp.alt_response(400, schema=ContentError, description="The documented 400 list")
    def post(self, body):
        """Create an assessment (unpublished until published in Cirrus)"""
        return content(create_assessment(scope(), body).external_id)


@assessment_blp.route("/<string:external_id>")
class AssessmentById(MethodView):
    @assessment_blp.response(200, AssessmentContent)
    @assessment_blp.alt_response(400, schema=ContentError, description="Unknown assessment")
    def get(self, external_id: str):
        """Get an assessment's information"""
        return content(assessment_body(find_assessment(scope(), external_id)))
