"""The SQL of POST TestSchedule, compiled once (core/sql.py), and the rows it reads.

Each statement is limited to the request's tenant by ``tenant_is`` on every table it
touches (compiling one without it raises). Rows are plain frozen dataclasses holding
only what the rules read: a schedule loads no ORM object, relationship or identity map.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import and_, bindparam, exists, func, select, update

from exam_sandbox.core.sql import Statement, insert_row, select_by, tenant_is

from ..tables import (
    Candidate,
    Centre,
    CentreSubjectAssociation,
    Subject,
    Test,
    TestForm,
    TestSession,
    User,
    candidate_centre,
    candidate_subject,
)

CANDIDATES = Candidate.__table__
CENTRES = Centre.__table__
CENTRE_SUBJECTS = CentreSubjectAssociation.__table__
FORMS = TestForm.__table__
SESSIONS = TestSession.__table__
SUBJECTS = Subject.__table__
TESTS = Test.__table__
USERS = User.__table__

# TS-26: states in which a session no longer counts as an open schedule.
CLOSED_STATES = (9, 10, 11, 12, 13)  # Finished, Voided, Marked, ScriptVerified, Archived


@dataclass(frozen=True, slots=True)
class TestRow:
    pk: int
    id: int
    subject_pk: int
    status: str
    requires_invigilation: bool
    enable_user_associations: bool


@dataclass(frozen=True, slots=True)
class FormRow:
    pk: int
    id: int
    reference: str


@dataclass(frozen=True, slots=True)
class CentreRow:
    pk: int
    id: int
    randomise_test_forms: bool


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """A candidate and whether it is already linked to the schedule's centre and
    subject (TS-18), read in one statement."""

    pk: int
    id: int
    reference: str
    at_centre: bool
    in_subject: bool


TEST_COLUMNS = ("pk", "id", "subject_pk", "status", "requires_invigilation",
                "enable_user_associations")
SUBJECT_PK = {key: select_by(SUBJECTS, key, "pk", name=f"subject pk by {key}")
              for key in ("id", "reference")}
TEST_BY_ID = select_by(TESTS, "id", *TEST_COLUMNS, row=TestRow, name="test by id")
# Test references need only be unique within a subject (TS-28): all of them, in id order.
TESTS_BY_REFERENCE = select_by(TESTS, "reference", *TEST_COLUMNS, row=TestRow, order="id",
                         name="tests by reference")
FORMS_OF_TEST = select_by(FORMS, "test_pk", "pk", "id", "reference", row=FormRow, order="id",
                    name="forms of a test")
FORM_ANYWHERE = {key: select_by(FORMS, key, "pk", limit=1, name=f"a form by {key}")
                 for key in ("id", "reference")}
CENTRE_BY = {key: select_by(CENTRES, key, "pk", "id", "randomise_test_forms", row=CentreRow,
                      name=f"centre by {key}") for key in ("id", "reference")}
USER_ID_BY = {key: select_by(USERS, key, "id", name=f"user id by {key}")
              for key in ("id", "reference")}

CENTRE_OFFERS = Statement(
    lambda: select(CENTRE_SUBJECTS.c.pk).where(
        tenant_is(CENTRE_SUBJECTS),
        CENTRE_SUBJECTS.c.centre_pk == bindparam("centre_pk"),
        CENTRE_SUBJECTS.c.subject_pk == bindparam("subject_pk"),
    ),
    name="centre offers subject",
)


def _linked(link, column: str, parameter: str):
    return exists().where(
        tenant_is(link),
        link.c.candidate_pk == CANDIDATES.c.pk,
        link.c[column] == bindparam(parameter),
    )


def _candidate_by(key: str) -> Statement:
    return Statement(
        lambda: select(
            CANDIDATES.c.pk,
            CANDIDATES.c.id,
            CANDIDATES.c.reference,
            _linked(candidate_centre, "centre_pk", "centre_pk").label("at_centre"),
            _linked(candidate_subject, "subject_pk", "subject_pk").label("in_subject"),
        ).where(tenant_is(CANDIDATES), CANDIDATES.c[key] == bindparam("value")),
        row=CandidateRow,
        name=f"candidate by {key}",
    )


CANDIDATE_BY = {key: _candidate_by(key) for key in ("id", "reference")}


def _open_session(*, same_test: bool) -> Statement:
    def build():
        query = select(SESSIONS.c.pk).where(
            tenant_is(SESSIONS),
            SESSIONS.c.candidate_pk == bindparam("candidate_pk"),
            SESSIONS.c.state.not_in(CLOSED_STATES),
        )
        if same_test:
            query = query.where(SESSIONS.c.test_pk == bindparam("test_pk"))
        return query.limit(1)

    return Statement(build, name=f"open session{' for the test' if same_test else ''}")


# openSessionScope: "test" (one open schedule per candidate and test) or "any" (per
# candidate, whatever the test).
OPEN_SESSION = {"test": _open_session(same_test=True), "any": _open_session(same_test=False)}

KEYCODE_TAKEN = select_by(SESSIONS, "keycode", "pk", limit=1, name="keycode taken")
PIN_OF_THE_DAY = Statement(
    lambda: select(SESSIONS.c.pin)
    .where(
        tenant_is(SESSIONS),
        SESSIONS.c.centre_pk == bindparam("centre_pk"),
        SESSIONS.c.test_pk == bindparam("test_pk"),
        SESSIONS.c.start_date == bindparam("start_date", type_=SESSIONS.c.start_date.type),
    )
    .order_by(SESSIONS.c.id)
    .limit(1),
    name="pin of the day",
)
FORM_SESSIONS = Statement(
    lambda: select(func.count())
    .select_from(SESSIONS)
    .where(tenant_is(SESSIONS), SESSIONS.c.test_form_pk == bindparam("form_pk")),
    name="sessions of a form",
)


def form_use(form_pk: int) -> str:
    """The name of the tally of a form's sessions (core/ids.py), which form selection
    reads instead of counting a test's sessions on every schedule."""
    return f"surpass_test_form:{form_pk}:sessions"

# Written columns of a quick-registered candidate (TS-17); the rest take their defaults.
CANDIDATE_COLUMNS = ("first_name", "middle_name", "last_name", "date_of_birth", "gender",
                     "email", "tel", "uln")
INSERT_CANDIDATE = Statement(
    lambda: insert_row(CANDIDATES, "id", "reference", *CANDIDATE_COLUMNS).returning(
        CANDIDATES.c.pk
    ),
    name="insert candidate",
)
LINK_CENTRE = Statement(lambda: insert_row(candidate_centre, "candidate_pk", "centre_pk"),
                        name="link candidate to centre")
LINK_SUBJECT = Statement(lambda: insert_row(candidate_subject, "candidate_pk", "subject_pk"),
                         name="link candidate to subject")


@cache
def update_candidate(columns: frozenset[str]) -> Statement:
    """Quick registration's update of an existing candidate's given ``columns``."""
    names = sorted(columns)
    return Statement(
        lambda: update(CANDIDATES)
        .where(and_(tenant_is(CANDIDATES), CANDIDATES.c.pk == bindparam("candidate_pk")))
        .values({name: bindparam(name, type_=CANDIDATES.c[name].type) for name in names}),
        name=f"update candidate {', '.join(names)}",
    )


SESSION_COLUMNS = (
    "id", "keycode", "pin", "state", "candidate_pk", "centre_pk", "test_pk", "test_form_pk",
    "start_date", "end_date", "start_time", "end_time", "scheduled_from", "scheduled_to",
    "enforce_times", "requires_invigilation", "marked_externally", "purchase_order",
    "language", "test_tags", "options", "created_at",
)
INSERT_SESSION = Statement(lambda: insert_row(SESSIONS, *SESSION_COLUMNS),
                           name="insert test session")
