"""``/api/v2/CentreSubjectAssociation``: GET list and by id, POST, PUT and DELETE by id.
``$filter`` takes only ``eq``, on the six properties HELP-CSA lists."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from exam_sandbox.core.odata import Field, QueryModel
from exam_sandbox.core.request_scope import scope, session

from ..blueprint import SurpassBlueprint
from ..models.centres import create_association, delete_association, find, update_association
from ..paging import page, single, written
from ..schemas.centres import (
    CentreSubjectAssociationCreateSchema,
    CentreSubjectAssociationSchema,
    CentreSubjectAssociationUpdateSchema,
)
from ..schemas.common import ListQuery, WriteEnvelope, page_envelope
from ..tables import Centre, CentreSubjectAssociation, Subject
from .candidates import guard
from .odata_models import SURPASS_DATES

association_blp = SurpassBlueprint(
    "CentreSubjectAssociation",
    __name__,
    item="centreSubjectAssociation",
    description="Which subjects each centre offers",
)
# Assumed: an association belongs to the centre, so the centre permissions govern it.
guard(association_blp, "ViewCentres", "EditCentres")

CSA = CentreSubjectAssociation
EQ_ONLY = frozenset({"eq"})


def _nav(model, column, key):
    return select(column).where(model.pk == key).scalar_subquery()


ASSOCIATION_QUERY = QueryModel(
    fields={
        "id": Field(CSA.id, "int", operators=EQ_ONLY),
        "centre/id": Field(_nav(Centre, Centre.id, CSA.centre_pk), "int", operators=EQ_ONLY),
        "centre/reference": Field(
            _nav(Centre, Centre.reference, CSA.centre_pk), operators=EQ_ONLY
        ),
        "subject/id": Field(_nav(Subject, Subject.id, CSA.subject_pk), "int", operators=EQ_ONLY),
        "subject/reference": Field(
            _nav(Subject, Subject.reference, CSA.subject_pk), operators=EQ_ONLY
        ),
        "primary": Field(CSA.primary, "bool", operators=EQ_ONLY),
    },
    date_formats=SURPASS_DATES,
)


def _association(association_id: int) -> CentreSubjectAssociation:
    return find(session(), CSA, "CentreSubjectAssociation", item_id=association_id)


@association_blp.route("")
class Associations(MethodView):
    @association_blp.arguments(ListQuery, location="query")
    @association_blp.response(200, page_envelope(CentreSubjectAssociationSchema))
    def get(self, args):
        """List centre-subject associations"""
        return page(session(), CSA, [], ASSOCIATION_QUERY, args)

    @association_blp.arguments(CentreSubjectAssociationCreateSchema)
    @association_blp.response(200, WriteEnvelope)
    def post(self, body):
        """Associate a centre with a subject"""
        association = create_association(scope(), body)
        return written("CentreSubjectAssociation", association.id, None)


@association_blp.route("/<int:association_id>")
class AssociationById(MethodView):
    @association_blp.response(200, page_envelope(CentreSubjectAssociationSchema))
    def get(self, association_id: int):
        """Get a centre-subject association by id"""
        return single(_association(association_id))

    @association_blp.arguments(CentreSubjectAssociationUpdateSchema(partial=True), required=False)
    @association_blp.response(200, WriteEnvelope)
    def put(self, body, association_id: int):
        """Update a centre-subject association"""
        association = update_association(scope(), _association(association_id), body)
        return written("CentreSubjectAssociation", association.id, None)

    @association_blp.response(200, WriteEnvelope)
    def delete(self, association_id: int):
        """Delete a centre-subject association"""
        delete_association(scope(), _association(association_id))
        return written("CentreSubjectAssociation", None, None)
