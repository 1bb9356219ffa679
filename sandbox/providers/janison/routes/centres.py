"""``/api/centre``: GET list, GET/PUT/DELETE by id (DELETE retires), POST."""

from __future__ import annotations

from flask.views import MethodView

from exam_sandbox.core.request_scope import scope, session

from ..blueprint import JanisonBlueprint
from ..envelopes import page, single, written
from ..models.centres import create_centre, retire_centre, update_centre
from ..models.common import find
from ..schemas.centres import CentreCreateSchema, CentreSchema, CentreUpdateSchema
from ..schemas.common import ErrorEnvelope, ListQuery, WriteEnvelope, page_envelope
from ..tables import JCentre
from .queries import CENTRE_QUERY

centre_blp = JanisonBlueprint("centre", __name__, description="Centres")


@centre_blp.route("")
class Centres(MethodView):
    @centre_blp.arguments(ListQuery, location="query")
    @centre_blp.response(200, page_envelope(CentreSchema))
    def get(self, args):
        """List centres"""
        return page(session(), JCentre, [], CENTRE_QUERY, args)

    @centre_blp.arguments(CentreCreateSchema)
    @centre_blp.response(200, WriteEnvelope)
    @centre_blp.alt_response(409, schema=ErrorEnvelope, description="Reference taken")
    def post(self, body):
        """Create a centre that does not already exist"""
        return written("centre", create_centre(scope(), body))


@centre_blp.route("/<int:centre_id>")
class CentreById(MethodView):
    @centre_blp.response(200, page_envelope(CentreSchema))
    def get(self, centre_id: int):
        """Get a centre by id (a retired one too)"""
        return single(find(session(), JCentre, "Centre", centre_id))

    @centre_blp.arguments(CentreUpdateSchema(partial=True))
    @centre_blp.response(200, WriteEnvelope)
    @centre_blp.alt_response(409, schema=ErrorEnvelope, description="Retired")
    def put(self, body, centre_id: int):
        """Update a centre by id"""
        centre = find(session(), JCentre, "Centre", centre_id)
        return written("centre", update_centre(scope(), centre, body))

    @centre_blp.response(200, WriteEnvelope)
    @centre_blp.alt_response(409, schema=ErrorEnvelope, description="Already retired")
    def delete(self, centre_id: int):
        """Retire a centre by id"""
        centre = find(session(), JCentre, "Centre", centre_id)
        return written("centre", retire_centre(scope(), centre))
