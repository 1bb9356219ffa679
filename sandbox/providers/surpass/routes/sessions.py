"""``/api/v2/TestSession``: GET list, GET and PUT by id or keycode (TSS rules)."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from marshmallow import fields
from sqlalchemy import ColumnElement, select

from exam_sandbox.core.odata import Field, QueryModel
from exam_sandbox.core.request_scope import scope, session

from ..auth import current_user, require_permission
from ..blueprint import SurpassBlueprint
from ..errors import rule
from ..listings import session_listing
from ..models.sessions import change_state, get_session, visible_to
from ..paging import listed, page, single, written
from ..schemas.common import ErrorEnvelope, ListQuery, WriteEnvelope, page_envelope
from ..schemas.scheduling import TestSessionSchema, TestSessionUpdate
from ..tables import Candidate, Centre, Subject, Test, TestForm, TestSession
from .odata_models import SURPASS_DATES

session_blp = SurpassBlueprint(
    "TestSession", __name__, item="testSession", description="Test sessions (scheduled tests)"
)
# HELP-TSESS only asks for $top > 0; the sandbox caps it at 100 and defaults to 40.
MAX_SESSION_TOP = 100


@session_blp.before_request
def _permission() -> None:
    """AUTH-2 before the body is read: reads need ViewTestSessions, PUT EditTestSessions."""
    require_permission("ViewTestSessions" if request.method == "GET" else "EditTestSessions")


def _nav(model, column, fk) -> ColumnElement:
    """A property of a related row, as a scalar subquery (for $filter and $orderBy)."""
    return select(column).where(model.pk == fk).scalar_subquery()


def _subject(column) -> ColumnElement:
    return (
        select(column).join(Test, Test.subject_pk == Subject.pk)
        .where(Test.pk == TestSession.test_pk).scalar_subquery()
    )


# The filterable properties of HELP-TSESS / RPKG (candidate, centre, test and testForm by id
# or reference, scheduledFrom, scheduledTo, state) plus id, keycode and a few scalars.
SESSION_QUERY = QueryModel(
    fields={
        "id": Field(TestSession.id, "int"),
        "keycode": Field(TestSession.keycode),
        "reference": Field(TestSession.keycode),
        "state": Field(TestSession.state, "int"),
        "startDate": Field(TestSession.start_date, "date"),
        "endDate": Field(TestSession.end_date, "date"),
        "scheduledFrom": Field(TestSession.scheduled_from, "datetime"),
        "scheduledTo": Field(TestSession.scheduled_to, "datetime"),
        "requiresInvigilation": Field(TestSession.requires_invigilation, "bool"),
        "markedExternally": Field(TestSession.marked_externally, "bool"),
        "purchaseOrder": Field(TestSession.purchase_order),
        "candidate/id": Field(_nav(Candidate, Candidate.id, TestSession.candidate_pk), "int"),
        "candidate/reference": Field(
            _nav(Candidate, Candidate.reference, TestSession.candidate_pk)
        ),
        "centre/id": Field(_nav(Centre, Centre.id, TestSession.centre_pk), "int"),
        "centre/reference": Field(_nav(Centre, Centre.reference, TestSession.centre_pk)),
        "test/id": Field(_nav(Test, Test.id, TestSession.test_pk), "int"),
        "test/reference": Field(_nav(Test, Test.reference, TestSession.test_pk)),
        "testForm/id": Field(_nav(TestForm, TestForm.id, TestSession.test_form_pk), "int"),
        "testForm/reference": Field(
            _nav(TestForm, TestForm.reference, TestSession.test_form_pk)
        ),
        "subject/id": Field(_subject(Subject.id), "int"),
        "subject/reference": Field(_subject(Subject.reference)),
    },
    date_formats=SURPASS_DATES,
)
SESSIONS = session_listing(SESSION_QUERY)


class SessionListQuery(ListQuery):
    """Every list's options (and its $skip, LIST-2); only the page size differs."""

    top = fields.Integer(
        data_key="$top",
        load_default=40,
        metadata={"description": f"Page size, 1 to {MAX_SESSION_TOP} (default 40).",
                  "minimum": 1, "maximum": MAX_SESSION_TOP},
        error_messages={"invalid": rule("PAGE-1", max=MAX_SESSION_TOP)},
    )


@session_blp.route("")
class TestSessions(MethodView):
    @session_blp.arguments(SessionListQuery, location="query", error_status_code=400)
    @session_blp.response(200, page_envelope(TestSessionSchema))
    @session_blp.alt_response(403, schema=ErrorEnvelope, description="Permission missing")
    def get(self, args):
        """List test sessions"""
        user = current_user()
        if user.all_associations:
            return listed(SESSIONS, args, max_top=MAX_SESSION_TOP)
        # A user limited to some centres and subjects: conditions of its own, which the
        # precompiled statements (kept per filter text) do not take.
        return page(session(), TestSession, visible_to(user), SESSION_QUERY, args,
                    max_top=MAX_SESSION_TOP)


@session_blp.route("/<key>")
class TestSessionByKey(MethodView):
    @session_blp.response(200, page_envelope(TestSessionSchema))
    @session_blp.alt_response(403, schema=ErrorEnvelope, description="Permission missing")
    @session_blp.alt_response(404, schema=ErrorEnvelope, description="No such test session")
    def get(self, key: str):
        """Get a test session by id or keycode"""
        return single(get_session(scope(), key))

    @session_blp.arguments(TestSessionUpdate, error_status_code=400)
    @session_blp.response(200, WriteEnvelope)
    @session_blp.alt_response(403, schema=ErrorEnvelope, description="Permission missing")
    @session_blp.alt_response(404, schema=ErrorEnvelope, description="No such test session")
    def put(self, body, key: str):
        """Change a test session's state (pause, resume, void)"""
        changed = change_state(scope(), key, body)
        return written("TestSession", changed.id, changed.keycode)
