"""Cirrus's controls, under ``/_sandbox/tenants/<id>/cirrus`` (interface page): publish
an assessment, sit a candidate's test (``complete``) and publish a held result. Plain
JSON, like every sandbox control; each builds the scope a vendor request would and calls
the same rule functions.
"""

from __future__ import annotations

from contextlib import contextmanager

from flask.views import MethodView
from sqlalchemy import select

from exam_sandbox.admin.blueprint import AdminBlueprint
from exam_sandbox.admin.schemas import NoOptionsSchema
from exam_sandbox.core.errors import ErrorDetail, NotFound
from exam_sandbox.core.provider import SandboxContext
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenants import get_tenant

from .admin_schemas import CirrusCompleteSchema, CirrusPublishedSchema, CirrusSatSchema
from .description import DESCRIPTION
from .models.sittings import Sat, complete, publish
from .settings import CirrusSettingsSchema
from .tables import CAssessment

_CANDIDATE = "/schedules/<string:schedule_ext_id>/candidates/<string:candidate_ext_id>"


def _settings(tenant) -> dict:
    """The tenant's Cirrus settings over the defaults, as a vendor request sees them."""
    return {**CirrusSettingsSchema().load({}), **tenant.settings_for(DESCRIPTION.name)}


def _sat(sat: Sat) -> dict:
    attempt = sat.attempt
    return {
        "AttemptExtId": attempt.external_id,
        "published": sat.published,
        "score": attempt.score,
        "outcome": attempt.outcome,
    }


def create_admin_blueprint(context: SandboxContext) -> AdminBlueprint:
    blp = AdminBlueprint(
        "cirrus",
        __name__,
        description="Cirrus controls: publish an assessment, sit a test, publish a result",
    )

    @contextmanager
    def tenant_scope(tenant_id: str):
        with context.db.session(write=True) as session:
            tenant = get_tenant(session, tenant_id)
            if tenant is None:
                raise NotFound(ErrorDetail(404, f"No tenant '{tenant_id}'"))
            yield RequestScope.for_tenant(session, tenant, _settings(tenant))

    @blp.route("/assessments/<string:external_id>/publish")
    class PublishAssessment(MethodView):
        @blp.arguments(NoOptionsSchema, required=False)
        @blp.response(200, CirrusPublishedSchema)
        @blp.alt_response(404, response="NOT_FOUND", description="No such tenant or assessment")
        def post(self, _options: dict, tenant_id: str, external_id: str):
            """Publish an assessment, so it can be scheduled (S5)"""
            with tenant_scope(tenant_id) as scope:
                assessment = scope.session.execute(
                    select(CAssessment).where(CAssessment.external_id == external_id)
                ).scalar()
                if assessment is None:
                    raise NotFound(ErrorDetail(404, f"No assessment [{external_id}]"))
                assessment.is_published = True
                return {"ExternalId": assessment.external_id, "IsPublished": True}

    @blp.route(f"{_CANDIDATE}/complete")
    class Complete(MethodView):
        @blp.arguments(CirrusCompleteSchema, required=False)
        @blp.response(200, CirrusSatSchema)
        @blp.alt_response(400, response="BAD_REQUEST", description="Invalid score or outcome")
        @blp.alt_response(
            404,
            response="NOT_FOUND",
            description="No such tenant, or the candidate is not on the schedule",
        )
        @blp.alt_response(
            409, response="CONFLICT", description="The tenant clock is outside the window"
        )
        def post(self, body: dict, tenant_id: str, schedule_ext_id: str, candidate_ext_id: str):
            """Sit (or rescore) a candidate's attempt; publish its result unless held"""
            with tenant_scope(tenant_id) as scope:
                return _sat(
                    complete(
                        scope,
                        schedule_ext_id,
                        candidate_ext_id,
                        score=body.get("score"),
                        outcome=body.get("outcome"),
                        publish=body.get("publish", True),
                    )
                )

    @blp.route(f"{_CANDIDATE}/publish")
    class Publish(MethodView):
        @blp.arguments(NoOptionsSchema, required=False)
        @blp.response(200, CirrusSatSchema)
        @blp.alt_response(
            404,
            response="NOT_FOUND",
            description="No such tenant, or the candidate is not on the schedule",
        )
        @blp.alt_response(409, response="CONFLICT", description="Nothing sat to publish")
        def post(self, _options: dict, tenant_id: str, schedule_ext_id: str, candidate_ext_id: str):
            """Publish a held result (fires the results webhook)"""
            with tenant_scope(tenant_id) as scope:
                return _sat(publish(scope, schedule_ext_id, candidate_ext_id))

    return blp
