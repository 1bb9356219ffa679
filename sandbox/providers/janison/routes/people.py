"""``/api/user`` (GET list, GET/PUT by id, POST) and ``/api/candidate`` (the same plus
DELETE, which retires). Thin: parse, call the model, serialise."""

from __future__ import annotations

from flask.views import MethodView

from exam_sandbox.core.request_scope import scope, session

from ..blueprint import JanisonBlueprint
from ..envelopes import page, single, written
from ..models.common import find
from ..models.people import (
    create_candidate,
    create_user,
    retire_candidate,
    update_candidate,
    update_user,
)
from ..schemas.common import ErrorEnvelope, ListQuery, WriteEnvelope, page_envelope
from ..schemas.people import (
    CandidateCreateSchema,
    CandidateSchema,
    CandidateUpdateSchema,
    UserCreateSchema,
    UserSchema,
    UserUpdateSchema,
)
from ..tables import JCandidate, JUser
from .queries import CANDIDATE_QUERY, USER_QUERY

user_blp = JanisonBlueprint("user", __name__, description="Users")
candidate_blp = JanisonBlueprint("candidate", __name__, description="Candidates")


@user_blp.route("")
class Users(MethodView):
    @user_blp.arguments(ListQuery, location="query")
    @user_blp.response(200, page_envelope(UserSchema))
    def get(self, args):
        """List users"""
        return page(session(), JUser, [], USER_QUERY, args)

    @user_blp.arguments(UserCreateSchema)
    @user_blp.response(200, WriteEnvelope)
    @user_blp.alt_response(409, schema=ErrorEnvelope, description="The user already exists")
    def post(self, body):
        """Create a user that does not already exist"""
        return written("user", create_user(scope(), body))


@user_blp.route("/<int:user_id>")
class UserById(MethodView):
    @user_blp.response(200, page_envelope(UserSchema))
    def get(self, user_id: int):
        """Get a user by id"""
        return single(find(session(), JUser, "User", user_id))

    @user_blp.arguments(UserUpdateSchema(partial=True))
    @user_blp.response(200, WriteEnvelope)
    def put(self, body, user_id: int):
        """Update a user by id"""
        user = find(session(), JUser, "User", user_id)
        return written("user", update_user(scope(), user, body))


@candidate_blp.route("")
class Candidates(MethodView):
    @candidate_blp.arguments(ListQuery, location="query")
    @candidate_blp.response(200, page_envelope(CandidateSchema))
    def get(self, args):
        """List candidates"""
        conditions = []
        return page(session(), JCandidate, conditions, CANDIDATE_QUERY, args)

    @candidate_blp.arguments(CandidateCreateSchema)
    @candidate_blp.response(200, WriteEnvelope)
    @candidate_blp.alt_response(409, schema=ErrorEnvelope, description="Reference taken")
    def post(self, body):
        """Create a candidate that does not already exist"""
        return written("candidate", create_candidate(scope(), body))


@candidate_blp.route("/<int:candidate_id>")
class CandidateById(MethodView):
    @candidate_blp.response(200, page_envelope(CandidateSchema))
    def get(self, candidate_id: int):
        """Get a candidate by id (a retired one too)"""
        return single(find(session(), JCandidate, "Candidate", candidate_id))

    @candidate_blp.arguments(CandidateUpdateSchema(partial=True))
    @candidate_blp.response(200, WriteEnvelope)
    @candidate_blp.alt_response(409, schema=ErrorEnvelope, description="Retired")
    def put(self, body, candidate_id: int):
        """Update a candidate by id"""
        candidate = find(session(), JCandidate, "Candidate", candidate_id)
        return written("candidate", update_candidate(scope(), candidate, body))

    @candidate_blp.response(200, WriteEnvelope)
    @candidate_blp.alt_response(409, schema=ErrorEnvelope, description="Already retired")
    def delete(self, candidate_id: int):
        """Retire a candidate by id"""
        candidate = find(session(), JCandidate, "Candidate", candidate_id)
        return written("candidate", retire_candidate(scope(), candidate))
