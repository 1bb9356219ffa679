"""``/api/v2/Subject``: GET, POST, PUT and DELETE, each by id or ``?reference=``. DELETE
removes the subject, only when it is Archived and has no items (SU-3)."""

from __future__ import annotations

from flask.views import MethodView

from exam_sandbox.core.odata import Field, QueryModel
from exam_sandbox.core.request_scope import scope, session

from ..blueprint import SurpassBlueprint
from ..models.centres import create_subject, delete_subject, find, update_subject
from ..paging import page, single, written
from ..schemas.candidates import ReferenceQuery
from ..schemas.centres import SubjectCreateSchema, SubjectSchema, SubjectUpdateSchema
from ..schemas.common import ByReferenceQuery, WriteEnvelope, page_envelope
from ..tables import Subject
from .candidates import guard
from .odata_models import SURPASS_DATES

subject_blp = SurpassBlueprint("Subject", __name__, item="subject", description="Subjects")
guard(subject_blp, "ViewSubjects", "EditSubjects")

# Filterable fields per RPKG's list (notes A4).
SUBJECT_QUERY = QueryModel(
    fields={
        "id": Field(Subject.id, "int"),
        "reference": Field(Subject.reference),
        "name": Field(Subject.name),
        "status": Field(Subject.status),
        "deliveryType": Field(Subject.delivery_type),
        "htmlOnly": Field(Subject.html_only, "bool"),
        "subjectMasterList": Field(Subject.subject_master_list, "bool"),
        "enableCheckboxesInItemAuthoring": Field(Subject.enable_checkboxes, "bool"),
    },
    date_formats=SURPASS_DATES,
)


def _subject(**key) -> Subject:
    return find(session(), Subject, "Subject", **key)


@subject_blp.route("")
class Subjects(MethodView):
    @subject_blp.arguments(ByReferenceQuery, location="query")
    @subject_blp.response(200, page_envelope(SubjectSchema))
    def get(self, args):
        """List subjects, or get the one with ?reference="""
        if args.get("reference") is not None:
            return single(_subject(reference=args["reference"]))
        return page(session(), Subject, [], SUBJECT_QUERY, args)

    @subject_blp.arguments(SubjectCreateSchema)
    @subject_blp.response(200, WriteEnvelope)
    def post(self, body):
        """Create a subject"""
        subject = create_subject(scope(), body)
        return written("Subject", subject.id, subject.reference)

    @subject_blp.arguments(ReferenceQuery, location="query")
    @subject_blp.arguments(SubjectUpdateSchema(partial=True), required=False)
    @subject_blp.response(200, WriteEnvelope)
    def put(self, query, body):
        """Update the subject with ?reference="""
        subject = update_subject(scope(), _subject(reference=query["reference"]), body)
        return written("Subject", subject.id, subject.reference)

    @subject_blp.arguments(ReferenceQuery, location="query")
    @subject_blp.response(200, WriteEnvelope)
    def delete(self, query):
        """Delete the subject with ?reference= (Archived, without items)"""
        delete_subject(scope(), _subject(reference=query["reference"]))
        return written("Subject", None, None)


@subject_blp.route("/<int:subject_id>")
class SubjectById(MethodView):
    @subject_blp.response(200, page_envelope(SubjectSchema))
    def get(self, subject_id: int):
        """Get a subject by id"""
        return single(_subject(item_id=subject_id))

    @subject_blp.arguments(SubjectUpdateSchema(partial=True), required=False)
    @subject_blp.response(200, WriteEnvelope)
    def put(self, body, subject_id: int):
        """Update a subject by id"""
        subject = update_subject(scope(), _subject(item_id=subject_id), body)
        return written("Subject", subject.id, subject.reference)

    @subject_blp.response(200, WriteEnvelope)
    def delete(self, subject_id: int):
        """Delete a subject by id (Archived, without items)"""
        delete_subject(scope(), _subject(item_id=subject_id))
        return written("Subject", None, None)
