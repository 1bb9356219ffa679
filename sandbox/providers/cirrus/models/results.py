"""GET /results: a candidate's published attempts, by CandidateExtId (and optionally
ScheduleExtId) or by AttemptExtId, throttled per token per day.

The throttle (get-assessment-results: 3,000 calls a day, reset at 13:30 UTC) counts
calls per token in the database, so every worker counts the same calls; a Cirrus day
starts at 13:30 UTC on the tenant's clock. The count is taken in the request's write
transaction: a call refused for bad parameters rolls back and is not counted; the call
past the limit is answered 429 with ``Retry-After``, the seconds until the next 13:30.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from exam_sandbox.core.scope import RequestScope

from ..errors import RateLimited, invalid, rule
from . import results_sql as q
from .results_sql import AttemptRow, CandidateInfo

DAY_STARTS_AT = time(13, 30)  # UTC
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Results:
    candidate: CandidateInfo
    attempts: list[AttemptRow]


def day_start(now: datetime) -> datetime:
    """The start of the Cirrus day ``now`` (naive UTC) is in."""
    start = datetime.combine(now.date(), DAY_STARTS_AT)
    return start if now >= start else start - DAY


def count_call(scope: RequestScope, token: str) -> None:
    """RES-5: one more call for ``token`` today, or 429 past ``resultsDailyLimit``."""
    limit = scope.settings["resultsDailyLimit"]
    start = day_start(scope.now)
    scope.write()
    sql = scope.sql
    calls = sql.scalar(q.USAGE_CALLS, token=token, day_start=start)
    if calls is None:
        sql.run(q.START_USAGE, token=token, day_start=start, calls=1)
        calls = 1
    else:
        calls += 1
        sql.run(q.COUNT_USAGE, token=token, day_start=start, calls=calls)
    if calls > limit:
        retry_after = math.ceil((start + DAY - scope.now).total_seconds())
        raise RateLimited(rule("RES-5", limit=limit), headers={"Retry-After": str(retry_after)})


def read_results(scope: RequestScope, token: str, args: dict) -> Results:
    count_call(scope, token)
    sql = scope.sql
    candidate_ext_id = args.get("CandidateExtId")
    attempt_ext_id = args.get("AttemptExtId")
    if attempt_ext_id:
        attempt = sql.first(q.ATTEMPT_BY_EXTERNAL_ID, value=attempt_ext_id)
        if attempt is None:
            raise invalid("RES-3")
        candidate = sql.first(q.CANDIDATE_BY_PK, value=attempt.candidate_pk)
        if candidate_ext_id and candidate_ext_id != candidate.external_id:
            raise invalid("RES-3")
        return Results(candidate, [attempt] if attempt.published else [])
    if not candidate_ext_id:
        raise invalid("RES-1", field="CandidateExtId")
    candidate = sql.first(q.CANDIDATE_BY_EXTERNAL_ID, value=candidate_ext_id)
    if candidate is None:
        raise invalid("RES-2")
    schedule_ext_id = args.get("ScheduleExtId")
    if schedule_ext_id:
        schedule_pk = sql.scalar(q.SCHEDULE_PK_BY_EXTERNAL_ID, value=schedule_ext_id)
        if schedule_pk is None:
            raise invalid("RES-4")
        rows = sql.all(
            q.ATTEMPTS_OF_CANDIDATE_ON, candidate_pk=candidate.pk, schedule_pk=schedule_pk
        )
    else:
        rows = sql.all(q.ATTEMPTS_OF_CANDIDATE, candidate_pk=candidate.pk)
    # Results must be marked and published before they are returned (the docs).
    return Results(candidate, [row for row in rows if row.published])
