"""The SQL of GET /results and its daily limit, compiled once (core/sql.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update

from exam_sandbox.core.sql import Statement, insert_row, select_by, tenant_is

from ..tables import CResultsUsage
from .sql import ASSESSMENTS, ATTEMPTS, CANDIDATES, SCHEDULES, SITTINGS

USAGE = CResultsUsage.__table__


@dataclass(frozen=True, slots=True)
class CandidateInfo:
    pk: int
    external_id: str
    first_name: str
    last_name: str
    user_name: str
    email: str


@dataclass(frozen=True, slots=True)
class AttemptRow:
    external_id: str
    candidate_pk: int
    schedule_ext_id: str
    assessment_ext_id: str
    assessment_title: str
    score: float
    outcome: str
    submitted_at: datetime
    published: bool
    published_at: datetime | None


CANDIDATE_BY_EXTERNAL_ID = select_by(
    CANDIDATES,
    "external_id",
    "pk",
    "external_id",
    "first_name",
    "last_name",
    "user_name",
    "email",
    row=CandidateInfo,
)
CANDIDATE_BY_PK = select_by(
    CANDIDATES,
    "pk",
    "pk",
    "external_id",
    "first_name",
    "last_name",
    "user_name",
    "email",
    row=CandidateInfo,
)
SCHEDULE_PK_BY_EXTERNAL_ID = select_by(SCHEDULES, "external_id", "pk")


def _attempts(*criteria):
    return (
        select(
            ATTEMPTS.c.external_id,
            SITTINGS.c.candidate_pk,
            SCHEDULES.c.external_id.label("schedule_ext_id"),
            ASSESSMENTS.c.external_id.label("assessment_ext_id"),
            ASSESSMENTS.c.title.label("assessment_title"),
            ATTEMPTS.c.score,
            ATTEMPTS.c.outcome,
            ATTEMPTS.c.submitted_at,
            ATTEMPTS.c.published,
            ATTEMPTS.c.published_at,
        )
        .join(SITTINGS, SITTINGS.c.pk == ATTEMPTS.c.sitting_pk)
        .join(SCHEDULES, SCHEDULES.c.pk == SITTINGS.c.schedule_pk)
        .join(ASSESSMENTS, ASSESSMENTS.c.pk == SCHEDULES.c.assessment_pk)
        .where(
            tenant_is(ATTEMPTS),
            tenant_is(SITTINGS),
            tenant_is(SCHEDULES),
            tenant_is(ASSESSMENTS),
            *criteria,
        )
        .order_by(ATTEMPTS.c.id)
    )


ATTEMPTS_OF_CANDIDATE = Statement(
    lambda: _attempts(SITTINGS.c.candidate_pk == bindparam("candidate_pk")),
    row=AttemptRow,
    name="cirrus attempts of a candidate",
)
ATTEMPTS_OF_CANDIDATE_ON = Statement(
    lambda: _attempts(
        SITTINGS.c.candidate_pk == bindparam("candidate_pk"),
        SITTINGS.c.schedule_pk == bindparam("schedule_pk"),
    ),
    row=AttemptRow,
    name="cirrus attempts of a candidate on a schedule",
)
ATTEMPT_BY_EXTERNAL_ID = Statement(
    lambda: _attempts(ATTEMPTS.c.external_id == bindparam("value")),
    row=AttemptRow,
    name="cirrus attempt by external id",
)

USAGE_CALLS = Statement(
    lambda: select(USAGE.c.calls).where(
        tenant_is(USAGE),
        USAGE.c.token == bindparam("token"),
        USAGE.c.day_start == bindparam("day_start"),
    ),
    name="cirrus results calls today",
)
START_USAGE = Statement(
    lambda: insert_row(USAGE, "token", "day_start", "calls"), name="start cirrus results day"
)
COUNT_USAGE = Statement(
    lambda: (
        update(USAGE)
        .where(
            tenant_is(USAGE),
            USAGE.c.token == bindparam("token"),
            USAGE.c.day_start == bindparam("day_start"),
        )
        .values(calls=bindparam("calls"))
    ),
    name="count a cirrus results call",
)
