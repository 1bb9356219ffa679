"""What Cirrus's admin screens would show of a tenant (core/overview.py): its schedules,
the candidates on them (sittings: launch link, attempt, result) and its assessments,
newest first, with the controls of ``admin.py`` as buttons.

Read only, through the scope's session (the tenant criterion adds the tenant to every
statement, subqueries included): one statement per table for its newest
``ROWS_SHOWN`` rows, one for the candidates of the schedules shown, one for the three
totals. Every ordering is by the tenant's own ``id``, which its unique index serves,
so a tenant with 100k schedules costs what a new one does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from exam_sandbox.core.overview import (
    ROWS_SHOWN,
    Action,
    Column,
    Overview,
    Row,
    Table,
    control_path,
)
from exam_sandbox.core.scope import RequestScope

from .description import DESCRIPTION
from .links import launch_url
from .tables import CAssessment, CAttempt, CCandidate, CSchedule, CSitting
from .wire import format_instant

VENDOR = DESCRIPTION.name
PURPOSES = {1: "Summative", 2: "Formative", 3: "Mixed"}

SCHEDULE_COLUMNS = (
    Column("schedule", "Schedule", "code"),
    Column("title", "Title"),
    Column("assessment", "Assessment", "code"),
    Column("start", "Start (UTC)"),
    Column("end", "End (UTC)"),
    Column("window", "Window", "status"),
    Column("candidates", "Candidates"),
)
SITTING_COLUMNS = (
    Column("schedule", "Schedule", "code"),
    Column("candidate", "Candidate", "code"),
    Column("name", "Name"),
    Column("launch", "Launch link", "link"),
    Column("state", "Attempt", "status"),
    Column("attempt", "AttemptExtId", "code"),
    Column("score", "Score"),
    Column("outcome", "Result", "status"),
    Column("published", "Published"),
)
ASSESSMENT_COLUMNS = (
    Column("assessment", "Assessment", "code"),
    Column("title", "Title"),
    Column("purpose", "Purpose"),
    Column("minutes", "Minutes per attempt"),
    Column("attempts", "Attempts allowed"),
    Column("published", "State", "status"),
)


def overview(scope: RequestScope) -> Overview:
    schedules, sittings, assessments = _totals(scope)
    return Overview(
        vendor=VENDOR,
        title=DESCRIPTION.title,
        tables=(
            Table(
                "schedules",
                "Schedules",
                SCHEDULE_COLUMNS,
                _schedule_rows(scope),
                schedules,
                empty="No schedules yet: book one with POST /schedule.",
            ),
            Table(
                "sittings",
                "Sittings",
                SITTING_COLUMNS,
                _sitting_rows(scope),
                sittings,
                empty="No candidate is scheduled yet: POST /schedule gives each a launch link.",
            ),
            Table(
                "assessments",
                "Assessments",
                ASSESSMENT_COLUMNS,
                _assessment_rows(scope),
                assessments,
                empty="No assessments.",
            ),
        ),
    )


def _totals(scope: RequestScope) -> tuple[int, int, int]:
    """The three tables' totals in one statement (each a count of an index)."""
    counted = scope.session.execute(
        select(
            select(func.count(CSchedule.pk)).scalar_subquery(),
            select(func.count(CSitting.pk)).scalar_subquery(),
            select(func.count(CAssessment.pk)).scalar_subquery(),
        )
    ).one()
    return counted[0], counted[1], counted[2]


def window_state(now: datetime, start: datetime, end: datetime) -> str:
    if now < start:
        return "Upcoming"
    return "Open" if now <= end else "Closed"


def _schedule_rows(scope: RequestScope) -> tuple[Row, ...]:
    session = scope.session
    found = session.execute(
        select(
            CSchedule.pk,
            CSchedule.external_id,
            CSchedule.title,
            CSchedule.start_at,
            CSchedule.end_at,
            CAssessment.external_id,
        )
        .join(CAssessment, CAssessment.pk == CSchedule.assessment_pk)
        .order_by(CSchedule.id.desc())
        .limit(ROWS_SHOWN)
    ).all()
    if not found:
        return ()
    pks = [row[0] for row in found]
    candidates = dict(
        session.execute(
            select(CSitting.schedule_pk, func.count(CSitting.pk))
            .where(CSitting.schedule_pk.in_(pks))
            .group_by(CSitting.schedule_pk)
        ).all()
    )
    return tuple(
        Row(
            key=external_id,
            cells={
                "schedule": external_id,
                "title": title,
                "assessment": assessment,
                "start": format_instant(start),
                "end": format_instant(end),
                "window": window_state(scope.now, start, end),
                "candidates": candidates.get(pk, 0),
            },
        )
        for pk, external_id, title, start, end, assessment in found
    )


def _sitting_rows(scope: RequestScope) -> tuple[Row, ...]:
    found = scope.session.execute(
        select(
            CSitting.session,
            CSchedule.external_id,
            CSchedule.start_at,
            CSchedule.end_at,
            CSchedule.launch_origin,
            CCandidate.external_id,
            CCandidate.first_name,
            CCandidate.last_name,
            CAttempt.external_id,
            CAttempt.score,
            CAttempt.outcome,
            CAttempt.published,
        )
        .join(CSchedule, CSchedule.pk == CSitting.schedule_pk)
        .join(CCandidate, CCandidate.pk == CSitting.candidate_pk)
        .outerjoin(CAttempt, CAttempt.sitting_pk == CSitting.pk)
        .order_by(CSitting.id.desc())
        .limit(ROWS_SHOWN)
    ).all()
    return tuple(_sitting_row(scope, *row) for row in found)


def _sitting_row(
    scope: RequestScope,
    session: str,
    schedule: str,
    start: datetime,
    end: datetime,
    origin: str,
    candidate: str,
    first_name: str,
    last_name: str,
    attempt: str | None,
    score: float | None,
    outcome: str | None,
    published: bool | None,
) -> Row:
    sat = attempt is not None
    window = window_state(scope.now, start, end)
    state = "Sat" if sat else {"Upcoming": "Scheduled", "Open": "Open", "Closed": "Missed"}[window]
    base = ("cirrus", "schedules", schedule, "candidates", candidate)
    actions: list[Action] = []
    if not sat and window == "Open":  # CTL-2: the control sits only inside the window
        path = control_path(scope.tenant_id, *base, "complete")
        actions.append(Action("complete", "Sit", "POST", path, {}))
        held = {"publish": False}
        actions.append(Action("complete-held", "Sit, hold result", "POST", path, held))
    if sat and not published:
        path = control_path(scope.tenant_id, *base, "publish")
        actions.append(Action("publish", "Publish result", "POST", path, {}))
    return Row(
        key=f"{schedule}/{candidate}",
        cells={
            "schedule": schedule,
            "candidate": candidate,
            "name": f"{first_name} {last_name}",
            "launch": launch_url(origin, session),
            "state": state,
            "attempt": attempt,
            "score": score,
            "outcome": outcome,
            "published": None if not sat else ("yes" if published else "no"),
        },
        actions=tuple(actions),
    )


def _assessment_rows(scope: RequestScope) -> tuple[Row, ...]:
    found = scope.session.execute(
        select(
            CAssessment.external_id,
            CAssessment.title,
            CAssessment.purpose,
            CAssessment.max_time_per_attempt,
            CAssessment.allowed_attempts,
            CAssessment.is_published,
        )
        .order_by(CAssessment.id.desc())
        .limit(ROWS_SHOWN)
    ).all()
    rows = []
    for external_id, title, purpose, minutes, attempts, published in found:
        actions: tuple[Action, ...] = ()
        if not published:
            path = control_path(scope.tenant_id, "cirrus", "assessments", external_id, "publish")
            actions = (Action("publish", "Publish", "POST", path, {}),)
        rows.append(
            Row(
                key=external_id,
                cells={
                    "assessment": external_id,
                    "title": title,
                    "purpose": PURPOSES.get(purpose, str(purpose)),
                    "minutes": minutes,
                    "attempts": attempts,
                    "published": "Published" if published else "Unpublished",
                },
                actions=actions,
            )
        )
    return tuple(rows)
