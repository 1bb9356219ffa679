"""The SQL of Cirrus's scheduling and results, compiled once (core/sql.py), and the rows
it reads: plain frozen dataclasses holding only what the rules and answers use.

Every statement carries ``tenant_is`` (or ``tenant_check``) on each table it touches;
compiling one without it raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update

from exam_sandbox.core.sql import Statement, insert_row, select_by, tenant_is

from ..tables import CAssessment, CAttempt, CCandidate, CSchedule, CSitting

ASSESSMENTS = CAssessment.__table__
SCHEDULES = CSchedule.__table__
CANDIDATES = CCandidate.__table__
SITTINGS = CSitting.__table__
ATTEMPTS = CAttempt.__table__


@dataclass(frozen=True, slots=True)
class AssessmentRow:
    pk: int
    external_id: str
    title: str
    is_published: bool
    max_time_per_attempt: int | None
    extra_time: int | None


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    pk: int
    id: int
    external_id: str
    assessment_pk: int
    workflow: str
    is_activated: bool
    start_at: datetime
    end_at: datetime
    launch_origin: str


@dataclass(frozen=True, slots=True)
class CandidateRow:
    pk: int
    external_id: str


@dataclass(frozen=True, slots=True)
class SittingRow:
    pk: int
    candidate_pk: int
    session: str
    attempt_ext_id: str | None


ASSESSMENT_BY_EXTERNAL_ID = select_by(
    ASSESSMENTS,
    "external_id",
    "pk",
    "external_id",
    "title",
    "is_published",
    "max_time_per_attempt",
    "extra_time",
    row=AssessmentRow,
)
ASSESSMENT_BY_PK = select_by(
    ASSESSMENTS,
    "pk",
    "pk",
    "external_id",
    "title",
    "is_published",
    "max_time_per_attempt",
    "extra_time",
    row=AssessmentRow,
)
SCHEDULE_COLUMNS = (
    "pk",
    "id",
    "external_id",
    "assessment_pk",
    "workflow",
    "is_activated",
    "start_at",
    "end_at",
    "launch_origin",
)
SCHEDULE_BY_EXTERNAL_ID = select_by(SCHEDULES, "external_id", *SCHEDULE_COLUMNS, row=ScheduleRow)
SCHEDULE_WITH_EXTERNAL_ID = select_by(SCHEDULES, "external_id", "pk")
CANDIDATES_BY_EXTERNAL_ID = Statement(
    lambda: select(CANDIDATES.c.pk, CANDIDATES.c.external_id).where(
        tenant_is(CANDIDATES), CANDIDATES.c.external_id.in_(bindparam("ids", expanding=True))
    ),
    row=CandidateRow,
    expanding=["ids"],
    name="cirrus candidates by external id",
)
SITTINGS_OF_SCHEDULE = select_by(
    SITTINGS, "schedule_pk", "pk", "candidate_pk", "session", "attempt_ext_id", row=SittingRow
)
# S18b: an AttemptExtId is the tenant's only one, on sittings and attempts alike. Two
# plain SELECTs: core's Statement renders IN lists of a Select only (a UNION is not one).
SITTING_ATTEMPT_IDS_IN_USE = Statement(
    lambda: select(SITTINGS.c.attempt_ext_id).where(
        tenant_is(SITTINGS), SITTINGS.c.attempt_ext_id.in_(bindparam("ids", expanding=True))
    ),
    expanding=["ids"],
    name="cirrus attempt ids in use on sittings",
)
ATTEMPT_IDS_IN_USE = Statement(
    lambda: select(ATTEMPTS.c.external_id).where(
        tenant_is(ATTEMPTS), ATTEMPTS.c.external_id.in_(bindparam("ids", expanding=True))
    ),
    expanding=["ids"],
    name="cirrus attempt ids in use on attempts",
)

INSERT_SCHEDULE = Statement(
    lambda: insert_row(
        SCHEDULES,
        "id",
        "external_id",
        "assessment_pk",
        "title",
        "start_at",
        "end_at",
        "workflow",
        "group_ext_id",
        "group_name",
        "schedule_group_ext_id",
        "schedule_group_name",
        "hierarchy_ext_id",
        "pin",
        "owner",
        "is_activated",
        "lock_on_connection_loss",
        "use_proctorio",
        "proctorio_template",
        "launch_origin",
    ).returning(SCHEDULES.c.pk),
    name="insert cirrus schedule",
)
UPSERT_SCHEDULE = Statement(
    lambda: (
        update(SCHEDULES)
        .where(tenant_is(SCHEDULES), SCHEDULES.c.pk == bindparam("schedule_pk"))
        .values(
            assessment_pk=bindparam("assessment_pk"),
            title=bindparam("title"),
            start_at=bindparam("start_at"),
            end_at=bindparam("end_at"),
            workflow=bindparam("workflow"),
            group_ext_id=bindparam("group_ext_id"),
            group_name=bindparam("group_name"),
            schedule_group_ext_id=bindparam("schedule_group_ext_id"),
            schedule_group_name=bindparam("schedule_group_name"),
            lock_on_connection_loss=bindparam("lock_on_connection_loss"),
        )
    ),
    name="upsert cirrus schedule",
)
INSERT_CANDIDATE = Statement(
    lambda: insert_row(
        CANDIDATES,
        "id",
        "external_id",
        "user_name",
        "first_name",
        "last_name",
        "email",
        "password_hash",
    ).returning(CANDIDATES.c.pk),
    name="insert cirrus candidate",
)
UPDATE_CANDIDATE = Statement(
    lambda: (
        update(CANDIDATES)
        .where(tenant_is(CANDIDATES), CANDIDATES.c.pk == bindparam("candidate_pk"))
        .values(
            user_name=bindparam("user_name"),
            first_name=bindparam("first_name"),
            last_name=bindparam("last_name"),
            email=bindparam("email"),
            password_hash=bindparam("password_hash"),
        )
    ),
    name="update cirrus candidate",
)
INSERT_SITTING = Statement(
    lambda: insert_row(
        SITTINGS,
        "id",
        "schedule_pk",
        "candidate_pk",
        "session",
        "special_needs",
        "adjustment_percentage",
        "attempt_ext_id",
    ),
    name="insert cirrus sitting",
)
UPDATE_SITTING = Statement(
    lambda: (
        update(SITTINGS)
        .where(tenant_is(SITTINGS), SITTINGS.c.pk == bindparam("sitting_pk"))
        .values(
            special_needs=bindparam("special_needs"),
            adjustment_percentage=bindparam("adjustment_percentage"),
            attempt_ext_id=bindparam("attempt_ext_id"),
        )
    ),
    name="update cirrus sitting",
)
