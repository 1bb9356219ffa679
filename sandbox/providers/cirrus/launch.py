"""The launch page a ``LaunchUrl`` leads to (interface page): ``GET
/cirrus/t/<tenant>/delivery/external-login?session=...`` answers 200 ``text/html``
naming the candidate and the assessment, and 404 for a session the tenant does not have.
Not part of the integration API (no auth, not in the OpenAPI document): it stands in for
the candidate-facing delivery site.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select

from exam_sandbox.core import request_scope

from .links import LAUNCH_PATH
from .tables import CAssessment, CCandidate, CSchedule, CSitting

launch_bp = Blueprint("cirrus_launch", __name__)
ENDPOINT = "cirrus_launch.launch"
_PAGES = Environment(
    loader=PackageLoader("exam_sandbox.providers.cirrus", "templates"),
    autoescape=select_autoescape(default=True),
)


@launch_bp.get(f"/t/<string:tenant_id>{LAUNCH_PATH}")
def launch(tenant_id: str) -> Response:
    session_id = request.args.get("session", "")
    found = (
        request_scope.reader()
        .read_session()
        .execute(
            select(CCandidate, CAssessment, CSchedule)
            .select_from(CSitting)
            .join(CCandidate, CCandidate.pk == CSitting.candidate_pk)
            .join(CSchedule, CSchedule.pk == CSitting.schedule_pk)
            .join(CAssessment, CAssessment.pk == CSchedule.assessment_pk)
            .where(CSitting.session == session_id, CSitting.tenant_id == tenant_id)
        )
        .first()
    )
    if found is None:
        page = _PAGES.get_template("launch_unknown.html").render()
        return Response(page, status=404, mimetype="text/html")
    candidate, assessment, schedule = found
    page = _PAGES.get_template("launch.html").render(
        candidate=candidate, assessment=assessment, schedule=schedule
    )
    return Response(page, status=200, mimetype="text/html")
