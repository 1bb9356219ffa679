"""What Surpass's admin screen would show of a tenant (core/overview.py): its test
sessions, newest first, with the sitting buttons (the ``/state`` control, admin.py), and
its candidates.

Read only, in four queries whatever the tenant's size: a count and a page of 50 for each
table, the page joined to what it names. Through the ORM session, so the tenant criterion
(core/tenant_criterion.py) limits every table of every statement.
"""

from __future__ import annotations

from sqlalchemy import select

from exam_sandbox.core.overview import (
    ROWS_SHOWN,
    Action,
    Column,
    Overview,
    Row,
    Table,
    control_path,
    count_rows,
    full_name,
    with_reference,
)
from exam_sandbox.core.scope import RequestScope

from .description import DESCRIPTION
from .models.sessions import state_name
from .models.sitting import next_targets
from .tables import Candidate, Centre, Test, TestSession

# A session's buttons: the next step of its sitting, and Finish while it is still ahead.
LABELS = {"Ready": "Download", "InProgress": "Start", "Finished": "Finish", "Marked": "Mark"}

SESSION_COLUMNS = (
    Column("id", "Id"),
    Column("state", "State", "status"),
    Column("keycode", "Keycode", "code"),
    Column("pin", "PIN", "code"),
    Column("candidate", "Candidate"),
    Column("test", "Test"),
    Column("centre", "Centre"),
    Column("scheduledFrom", "Window start"),
    Column("scheduledTo", "Window end"),
)
CANDIDATE_COLUMNS = (
    Column("id", "Id"),
    Column("reference", "Reference", "code"),
    Column("name", "Name"),
    Column("dateOfBirth", "Date of birth"),
    Column("email", "Email"),
    Column("retired", "Retired"),
)


def overview_of(scope: RequestScope) -> Overview:
    return Overview(
        vendor=DESCRIPTION.name,
        title=DESCRIPTION.title,
        tables=(_sessions(scope), _candidates(scope)),
    )




def _when(value) -> str:
    # As TestSession shows scheduledFrom/scheduledTo: a .NET DateTime without a zone.
    return value.isoformat(timespec="seconds")


def session_actions(tenant_id: str, session_id: int, state: int) -> tuple[Action, ...]:
    targets = [t for t in next_targets(state) if t in LABELS]
    shown = targets[:1] + [t for t in targets[1:] if t == "Finished"]
    path = control_path(tenant_id, DESCRIPTION.name, "testsession", session_id, "state")
    return tuple(
        Action(f"state-{target}", LABELS[target], "POST", path, {"state": target})
        for target in shown
    )


def _sessions(scope: RequestScope) -> Table:
    db = scope.session
    total = count_rows(db, TestSession)
    page = db.execute(
        select(
            TestSession.id,
            TestSession.state,
            TestSession.keycode,
            TestSession.pin,
            TestSession.scheduled_from,
            TestSession.scheduled_to,
            Candidate.reference,
            Candidate.first_name,
            Candidate.middle_name,
            Candidate.last_name,
            Test.reference,
            Test.name,
            Centre.reference,
            Centre.name,
        )
        .join(Candidate, TestSession.candidate_pk == Candidate.pk)
        .join(Test, TestSession.test_pk == Test.pk)
        .join(Centre, TestSession.centre_pk == Centre.pk)
        .order_by(TestSession.id.desc())
        .limit(ROWS_SHOWN)
    ).all()
    rows = tuple(
        Row(
            key=str(sid),
            cells={
                "id": sid,
                "state": state_name(state),
                "keycode": keycode,
                "pin": pin,
                "candidate": with_reference(full_name(first, middle, last), cref),
                "test": with_reference(tname, tref),
                "centre": with_reference(ename, eref),
                "scheduledFrom": _when(start),
                "scheduledTo": _when(end),
            },
            actions=session_actions(scope.tenant_id, sid, state),
        )
        for (sid, state, keycode, pin, start, end, cref, first, middle, last, tref, tname,
             eref, ename) in page
    )
    return Table(
        name="sessions",
        title="Test sessions",
        columns=SESSION_COLUMNS,
        rows=rows,
        total=total,
        empty="No test sessions yet: book one with POST TestSchedule",
    )


def _candidates(scope: RequestScope) -> Table:
    db = scope.session
    total = count_rows(db, Candidate)
    page = db.execute(
        select(
            Candidate.id,
            Candidate.reference,
            Candidate.first_name,
            Candidate.middle_name,
            Candidate.last_name,
            Candidate.date_of_birth,
            Candidate.email,
            Candidate.retired,
        )
        .order_by(Candidate.id.desc())
        .limit(ROWS_SHOWN)
    ).all()
    rows = tuple(
        Row(
            key=str(cid),
            cells={
                "id": cid,
                "reference": reference,
                "name": full_name(first, middle, last),
                # As Candidate shows dateOfBirth: a .NET DateTime at midnight.
                "dateOfBirth": f"{born.isoformat()}T00:00:00",
                "email": email,
                "retired": retired,
            },
        )
        for cid, reference, first, middle, last, born, email, retired in page
    )
    return Table(
        name="candidates",
        title="Candidates",
        columns=CANDIDATE_COLUMNS,
        rows=rows,
        total=total,
        empty="No candidates yet: create one with POST Candidate",
    )
