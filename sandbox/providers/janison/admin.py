"""``POST /_sandbox/tenants/<id>/janison/testschedule/<schedule id>/complete``: mark a
schedule's enrolments (or some candidates') completed and write their results, so a demo
can run from booking to result. Plain JSON, like every sandbox control.

Body, optional: ``{"scores": {"<component reference>": <raw 0-100>, ...},
"candidates": [<candidate id>, ...]}``. A component without a score gets one derived
from the tenant's seed.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from exam_sandbox.core.bodies import control_json
from exam_sandbox.core.errors import ErrorDetail, NotFound, ValidationFailed
from exam_sandbox.core.provider import SandboxContext
from exam_sandbox.core.request_scope import bind_tenant
from exam_sandbox.core.tenants import get_tenant

from .models.results import complete_schedule
from .scoring import RAW_MAX


class CompleteSchema(Schema):
    class Meta:
        unknown = RAISE

    scores = fields.Dict(
        keys=fields.String(validate=validate.Length(1, 100)),
        values=fields.Integer(strict=True, validate=validate.Range(0, RAW_MAX)),
        load_default=dict,
    )
    candidates = fields.List(
        fields.Integer(strict=True, validate=validate.Range(1, 2**63 - 1)),
        load_default=None,
        validate=validate.Length(max=500),
    )


def _body() -> dict:
    payload = control_json(request.get_data(), is_json=request.is_json)
    try:
        return CompleteSchema().load(payload)
    except ValidationError as exc:
        raise ValidationFailed(ErrorDetail(400, f"Invalid request body: {exc.messages}")) from exc


def create_admin_blueprint(context: SandboxContext) -> Blueprint:
    bp = Blueprint("janison_admin", __name__)

    @bp.post("/testschedule/<int:schedule_id>/complete")
    def complete(tenant_id: str, schedule_id: int):
        body = _body()
        with context.db.session(write=True) as session:
            tenant = get_tenant(session, tenant_id)
            if tenant is None:
                raise NotFound(ErrorDetail(404, f"No tenant '{tenant_id}'"))
            bind_tenant(tenant)  # the models find rows of the current tenant
            done = complete_schedule(
                session, tenant, schedule_id, body["scores"], body["candidates"]
            )
            view = {
                "testSchedule": schedule_id,
                "results": [
                    {
                        "id": result.id,
                        "reference": result.reference,
                        "candidate": {
                            "id": enrolment.candidate.id,
                            "reference": enrolment.candidate.reference,
                        },
                        "testSessionId": enrolment.id,
                        "finalScaleScore": result.final_scale_score,
                        "overallCEFRGrade": result.overall_cefr_grade,
                    }
                    for enrolment, result in done
                ],
            }
        return jsonify(view)

    return bp
