"""``/api/v2/Centre``: GET list, by id and ``?reference=``; POST; PUT and DELETE by id or
``?reference=``. DELETE retires the centre (``status: Retired``) and answers the write
envelope with every value null, as every Surpass DELETE does."""

from __future__ import annotations

from flask.views import MethodView

from exam_sandbox.core.odata import Field, QueryModel
from exam_sandbox.core.request_scope import scope, session

from ..blueprint import SurpassBlueprint
from ..models.centres import create_centre, find, retire_centre, update_centre
from ..paging import page, single, written
from ..schemas.candidates import ReferenceQuery
from ..schemas.centres import CentreCreateSchema, CentreSchema, CentreUpdateSchema
from ..schemas.common import ByReferenceQuery, WriteEnvelope, page_envelope
from ..tables import Centre
from .candidates import guard
from .odata_models import SURPASS_DATES

centre_blp = SurpassBlueprint("Centre", __name__, item="centre", description="Centres")
guard(centre_blp, "ViewCentres", "EditCentres")

# Filterable fields per RPKG's list (notes A4).
CENTRE_QUERY = QueryModel(
    fields={
        "id": Field(Centre.id, "int"),
        "reference": Field(Centre.reference),
        "name": Field(Centre.name),
        "randomiseTestForms": Field(Centre.randomise_test_forms, "bool"),
        "hideSubjectsIncludedInSubjectGroups": Field(Centre.hide_subjects_in_groups, "bool"),
        "excludeItemStatistics": Field(Centre.exclude_item_statistics, "bool"),
    },
    date_formats=SURPASS_DATES,
)


def _centre(**key) -> Centre:
    return find(session(), Centre, "Centre", **key)


@centre_blp.route("")
class Centres(MethodView):
    @centre_blp.arguments(ByReferenceQuery, location="query")
    @centre_blp.response(200, page_envelope(CentreSchema))
    def get(self, args):
        """List centres, or get the one with ?reference="""
        if args.get("reference") is not None:
            return single(_centre(reference=args["reference"]))
        return page(session(), Centre, [], CENTRE_QUERY, args)

    @centre_blp.arguments(CentreCreateSchema)
    @centre_blp.response(200, WriteEnvelope)
    def post(self, body):
        """Create a centre"""
        centre = create_centre(scope(), body)
        return written("Centre", centre.id, centre.reference)

    @centre_blp.arguments(ReferenceQuery, location="query")
    @centre_blp.arguments(CentreUpdateSchema(partial=True), required=False)
    @centre_blp.response(200, WriteEnvelope)
    def put(self, query, body):
        """Update the centre with ?reference="""
        centre = update_centre(scope(), _centre(reference=query["reference"]), body)
        return written("Centre", centre.id, centre.reference)

    @centre_blp.arguments(ReferenceQuery, location="query")
    @centre_blp.response(200, WriteEnvelope)
    def delete(self, query):
        """Retire the centre with ?reference="""
        retire_centre(scope(), _centre(reference=query["reference"]))
        return written("Centre", None, None)


@centre_blp.route("/<int:centre_id>")
class CentreById(MethodView):
    @centre_blp.response(200, page_envelope(CentreSchema))
    def get(self, centre_id: int):
        """Get a centre by id"""
        return single(_centre(item_id=centre_id))

    @centre_blp.arguments(CentreUpdateSchema(partial=True), required=False)
    @centre_blp.response(200, WriteEnvelope)
    def put(self, body, centre_id: int):
        """Update a centre by id"""
        centre = update_centre(scope(), _centre(item_id=centre_id), body)
        return written("Centre", centre.id, centre.reference)

    @centre_blp.response(200, WriteEnvelope)
    def delete(self, centre_id: int):
        """Retire a centre by id"""
        retire_centre(scope(), _centre(item_id=centre_id))
        return written("Centre", None, None)
