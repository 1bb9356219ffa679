"""TestSession reads and state changes (TSS rules), and DELETE TestSchedule (TD rules).

A session is named in a path by its id (all ASCII digits) or its keycode. A user who is
not associated with every centre and subject sees only the sessions at the centres and
subjects it is associated with, and may change or delete only those.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exam_sandbox.core.errors import NotFound
from exam_sandbox.core.ids import add_to_tally
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenant_criterion import require_bound_tenant

from ..auth import Principal, user_covers
from ..errors import forbidden, invalid, not_found, rule
from ..schemas.scheduling import EXAM_STATES, MAX_DB_INT
from ..tables import Test, TestSession
from .schedule_sql import form_use

EDITABLE_STATES = (1, 2)  # ScheduledButNotCreated, ScheduledButNotDownloaded (HELP-TS)
READY, LOCKED_FOR_INVIGILATOR, IN_PROGRESS, PAUSED, VOIDED, LOCKED_BY_PIN = 4, 5, 6, 7, 10, 14
OTHER = 4  # SurpassApiVoidReason.Other
# TSS-1: the only state changes a PUT may make (UV-TSESS, UV-LOCAL-TSESS).
TRANSITIONS = frozenset(
    {(IN_PROGRESS, PAUSED), (PAUSED, IN_PROGRESS)}
    | {(s, VOIDED) for s in (READY, LOCKED_BY_PIN, LOCKED_FOR_INVIGILATOR, PAUSED, IN_PROGRESS)}
)


def state_name(state: int) -> str:
    return EXAM_STATES.get(state, str(state))


def visible_to(user: Principal) -> list:
    """The WHERE conditions limiting TestSession rows to what ``user`` may see (within
    the tenant, which the session's tenant criterion keeps)."""
    conditions = []
    if not user.all_associations:
        conditions.append(TestSession.centre_pk.in_(sorted(user.centre_pks)))
        subjects = sorted(user.subject_pks)
        conditions.append(
            TestSession.test_pk.in_(select(Test.pk).where(Test.subject_pk.in_(subjects)))
        )
    return conditions


def find_session(db: Session, key: str) -> TestSession | None:
    """By id (ASCII digits) or keycode (anything else, any case)."""
    require_bound_tenant(db)
    if key.isascii() and key.isdigit():
        if int(key) > MAX_DB_INT:
            return None
        column, value = TestSession.id, int(key)
    else:
        column, value = TestSession.keycode, key.upper()
    return db.execute(select(TestSession).where(column == value)).unique().scalar_one_or_none()


def _check_covers(user: Principal, session: TestSession) -> None:
    if not user_covers(user, centre_pk=session.centre_pk):
        raise forbidden("AUTH-3", what="centre")
    if not user_covers(user, subject_pk=session.test.subject_pk):
        raise forbidden("AUTH-3", what="subject")


def get_session(scope: RequestScope, key: str) -> TestSession:
    session = find_session(scope.session, key)
    if session is None:
        raise not_found("TestSession")
    _check_covers(scope.user, session)
    return session


def change_state(scope: RequestScope, key: str, body: dict) -> TestSession:
    """PUT TestSession: move to ``testState``; voiding records why."""
    session = get_session(scope, key)
    target = body["testState"]
    # TSS-1: only the documented transitions.
    if (session.state, target) not in TRANSITIONS:
        raise invalid("TSS-1", current=state_name(session.state), target=state_name(target))
    if target == VOIDED:
        reason, message = body.get("voidReason"), (body.get("voidMessage") or "").strip()
        # TSS-3: a void says why.
        if reason is None:
            raise invalid("TSS-3", problem="voidReason is required when testState is Voided")
        # TSS-2: voidReason Other needs a voidMessage.
        if reason == OTHER and not message:
            raise invalid("TSS-2")
        session.void_reason, session.void_message = reason, message or None
    session.state = target
    scope.session.flush()
    return session


def require_delete_permission(user: Principal) -> None:
    """TD-3: deleting a schedule needs ScheduleTest. Reported as AUTH-2 (ErrorCode 403, as
    the wire format fixes for every 403) with TD-3's wording."""
    if "ScheduleTest" not in user.permissions:
        raise forbidden("AUTH-2", action="delete test schedules")


def delete_schedule(scope: RequestScope, key: str) -> None:
    """DELETE TestSchedule/{id|keycode}: only a session nobody has downloaded yet."""
    db = scope.session
    # TD-1: the session exists (in this tenant).
    session = find_session(db, key)
    if session is None:
        raise NotFound(rule("TD-1"))
    _check_covers(scope.user, session)
    # TD-2: only Editable states (1 and 2) can be deleted.
    if session.state not in EDITABLE_STATES:
        raise invalid("TD-2")
    form_pk = session.test_form_pk
    db.delete(session)
    db.flush()
    # One session fewer for its form's use (models/scheduling.py, form selection).
    add_to_tally(scope.sql, form_use(form_pk), -1)
