"""``POST /test-ids/assign`` and ``POST /test-ids/assign-and-email``: the same body; the
second also e-mails the test ID to ``assigned_to.email`` (the sandbox's outbox)."""

from __future__ import annotations

from flask.views import MethodView

from exam_sandbox.core.request_scope import scope

from ..blueprint import ItepBlueprint
from ..models.assign import Assigned, assign
from ..schemas.assign import (
    AssignAndEmailIn,
    AssignIn,
    Assignment,
    EmailedAssignment,
    ItepError,
)

test_ids_blp = ItepBlueprint("test-ids", __name__, description="Provisioning test IDs")


def assignment_body(done: Assigned) -> dict:
    body = {
        "test_id": done.test_id,
        "status": "Ready",
        "product_code": done.product_code,
        "assigned_to": done.assigned_to,
        "oid": done.oid,
        "tracking_code": done.tracking_code,
        "source": done.source,
    }
    if done.emailed_to is not None:
        body["emailed_to"] = done.emailed_to
    return body


@test_ids_blp.route("/assign")
class Assign(MethodView):
    @test_ids_blp.arguments(AssignIn)
    @test_ids_blp.response(200, Assignment)
    @test_ids_blp.alt_response(400, schema=ItepError, description="Refused (I3, I4, I8 ...)")
    @test_ids_blp.alt_response(409, schema=ItepError, description="No available test ID (I5)")
    def post(self, body):
        """Assign an available test ID to a candidate (you deliver it)"""
        return assignment_body(assign(scope(), body, email=False))


@test_ids_blp.route("/assign-and-email")
class AssignAndEmail(MethodView):
    @test_ids_blp.arguments(AssignAndEmailIn)
    @test_ids_blp.response(200, EmailedAssignment)
    @test_ids_blp.alt_response(400, schema=ItepError, description="Refused (I3, I4, I8 ...)")
    @test_ids_blp.alt_response(409, schema=ItepError, description="No available test ID (I5)")
    def post(self, body):
        """Assign an available test ID and have iTEP e-mail it to the candidate"""
        return assignment_body(assign(scope(), body, email=True))
