"""``/api/v2/Candidate``: GET list, by id and ``?reference=``; POST; PUT by id or
``?reference=``. There is no DELETE (a client retires with PUT ``retired: true``): the
router answers 405 with REQ-5 in the write envelope."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from sqlalchemy import exists

from exam_sandbox.core.odata import Collection, Field, QueryModel
from exam_sandbox.core.request_scope import scope, session

from ..auth import require_permission
from ..blueprint import SurpassBlueprint
from ..listings import candidate_listing
from ..models.candidates import create_candidate, find_candidate, update_candidate
from ..paging import listed, single, written
from ..schemas.candidates import (
    CandidateCreateSchema,
    CandidateSchema,
    CandidateUpdateSchema,
    ReferenceQuery,
)
from ..schemas.common import ByReferenceQuery, WriteEnvelope, page_envelope
from ..tables import Candidate, Centre, Subject, candidate_centre, candidate_subject
from .odata_models import SURPASS_DATES

candidate_blp = SurpassBlueprint(
    "Candidate", __name__, item="candidate", description="Candidates"
)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def guard(blueprint: SurpassBlueprint, view: str, edit: str) -> None:
    """AUTH-2 before anything else: reads need ``view``, writes ``edit``. Checked ahead of
    body parsing, so a user without the permission learns nothing from a 400."""

    @blueprint.before_request
    def _permission() -> None:
        require_permission(view if request.method in SAFE_METHODS else edit)


guard(candidate_blp, "ViewCandidates", "EditCandidates")


def _member_of(link, column: str, model):
    """``exists`` over the candidate's linked rows of ``model``, for ``any()``/``all()``."""

    def build(condition):
        return (
            exists()
            .where(link.c.candidate_pk == Candidate.pk, link.c[column] == model.pk, condition)
            .correlate(Candidate)
        )

    return build


def _ref_fields(model) -> dict[str, Field]:
    return {"id": Field(model.id, "int"), "reference": Field(model.reference),
            "name": Field(model.name)}


# Filterable fields per RPKG's list (notes A4) plus id and reference; the SDK marks
# email and dateOfBirth (and href, which is no field here) unsortable: ORDER-1.
CANDIDATE_QUERY = QueryModel(
    fields={
        "id": Field(Candidate.id, "int"),
        "reference": Field(Candidate.reference),
        "firstName": Field(Candidate.first_name),
        "middleName": Field(Candidate.middle_name),
        "lastName": Field(Candidate.last_name),
        "dateOfBirth": Field(Candidate.date_of_birth, "date", sortable=False),
        "gender": Field(Candidate.gender),
        "email": Field(Candidate.email, sortable=False),
        "tel": Field(Candidate.tel),
        "reasonableAdjustments": Field(Candidate.reasonable_adjustments, "bool"),
        "retired": Field(Candidate.retired, "bool"),
    },
    collections={
        "centres": Collection(
            fields=_ref_fields(Centre), exists=_member_of(candidate_centre, "centre_pk", Centre)
        ),
        "subjects": Collection(
            fields=_ref_fields(Subject),
            exists=_member_of(candidate_subject, "subject_pk", Subject),
        ),
    },
    date_formats=SURPASS_DATES,
)
CANDIDATES = candidate_listing(CANDIDATE_QUERY)


@candidate_blp.route("")
class Candidates(MethodView):
    @candidate_blp.arguments(ByReferenceQuery, location="query")
    @candidate_blp.response(200, page_envelope(CandidateSchema))
    def get(self, args):
        """List candidates, or get the one with ?reference="""
        if args.get("reference") is not None:
            return single(find_candidate(session(), reference=args["reference"]))
        return listed(CANDIDATES, args)

    @candidate_blp.arguments(CandidateCreateSchema)
    @candidate_blp.response(200, WriteEnvelope)
    def post(self, body):
        """Create a candidate"""
        candidate = create_candidate(scope(), body)
        return written("Candidate", candidate.id, candidate.reference)

    @candidate_blp.arguments(ReferenceQuery, location="query")
    @candidate_blp.arguments(CandidateUpdateSchema(partial=True), required=False)
    @candidate_blp.response(200, WriteEnvelope)
    def put(self, query, body):
        """Update the candidate with ?reference="""
        candidate = find_candidate(session(), reference=query["reference"])
        update_candidate(scope(), candidate, body)
        return written("Candidate", candidate.id, candidate.reference)


@candidate_blp.route("/<int:candidate_id>")
class CandidateById(MethodView):
    @candidate_blp.response(200, page_envelope(CandidateSchema))
    def get(self, candidate_id: int):
        """Get a candidate by id"""
        return single(find_candidate(session(), candidate_id=candidate_id))

    @candidate_blp.arguments(CandidateUpdateSchema(partial=True), required=False)
    @candidate_blp.response(200, WriteEnvelope)
    def put(self, body, candidate_id: int):
        """Update a candidate by id"""
        candidate = find_candidate(session(), candidate_id=candidate_id)
        update_candidate(scope(), candidate, body)
        return written("Candidate", candidate.id, candidate.reference)

