"""POST /schedule (S1-S19) and POST /schedule/add-candidates: schedules with candidates
and their launch links.

Both are hot paths: every rule reads through precompiled statements (``sql.py``) without
the writers' lock, in the notes' order; the first failure ends the request and nothing
is written. Once they pass, ``scope.write()`` takes the lock and the rules run again on
the latest data: of two requests with one ScheduleExtId sent at once, the second to take
the lock is refused (S11) as if they had come one after the other. Ids, the generated
ScheduleExtId and the sessions are chosen under the lock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from exam_sandbox.core.ids import next_id, next_ids
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.sql import SqlRunner

from ..errors import invalid
from ..links import launch_url, session_for, startup_link
from ..wire import ASSESSMENT_ID_LIMIT, blank, is_external_id
from . import checks
from . import sql as q
from .checks import CandidateIn


@dataclass(frozen=True, slots=True)
class ScheduleIn:
    """What the rules made of ``Schedule``: the values a schedule is written from."""

    external_id: str | None
    title: str | None
    start_at: datetime
    end_at: datetime
    group_ext_id: str
    group_name: str
    schedule_group_ext_id: str | None
    schedule_group_name: str | None
    lock_on_connection_loss: bool


@dataclass(frozen=True, slots=True)
class Plan:
    assessment: q.AssessmentRow
    schedule: ScheduleIn
    existing: q.ScheduleRow | None  # S12: the schedule an Upsert updates
    workflow: str
    candidates: list[CandidateIn]


@dataclass(frozen=True, slots=True)
class Linked:
    candidate: CandidateIn
    session: str
    startup_link: str
    launch_url: str


@dataclass(frozen=True, slots=True)
class Scheduled:
    """A schedule as /schedule answers it, and the candidates the request linked."""

    id: int
    external_id: str
    created: bool
    title: str
    assessment_ext_id: str
    start_at: datetime
    end_at: datetime
    group_ext_id: str | None
    group_name: str | None
    schedule_group_ext_id: str | None
    schedule_group_name: str | None
    owner: str
    candidates: list[Linked]


def create_schedule(scope: RequestScope, body: dict, origin: str) -> Scheduled:
    """POST /schedule: ``origin`` is the LaunchUrl origin when ``tenantHost`` is unset."""
    _plan(scope, body)  # refusals end here, without the writers' lock
    scope.write()
    plan = _plan(scope, body)
    return _write(scope, plan, scope.settings["tenantHost"] or origin)


def _plan(scope: RequestScope, body: dict) -> Plan:
    """S1-S19, in order; the first failure raises."""
    sql, settings = scope.sql, scope.settings
    time_zone = settings["defaultTimeZone"]
    # S1: a JSON object with a Schedule object.
    if not isinstance(body, dict) or blank(body.get("Schedule")) or body.get("Schedule") == {}:
        raise invalid("S1")
    schedule = checks.mapping(body["Schedule"], "Schedule")
    assessment = assessment_for(sql, schedule, "AssessmentExtId", "Schedule.AssessmentExtId")
    start = checks.instant(
        schedule, "StartDateTime", "Schedule.StartDateTime", time_zone, required=True
    )
    end = checks.instant(schedule, "EndDateTime", "Schedule.EndDateTime", time_zone, required=False)
    end = checks.window_end(assessment, start, end, "Schedule.EndDateTime")  # S7, S8
    # S9: the hierarchy the candidates are placed in.
    group_ext_id = checks.text(schedule, "GroupExtId", "Schedule.GroupExtId", 64, required=True)
    group_name = checks.text(schedule, "GroupName", "Schedule.GroupName", 500, required=True)
    ext_id = checks.schedule_ext_id(schedule, "ScheduleExtId", "Schedule.ScheduleExtId")  # S10
    upsert = checks.flag(body, "Upsert", "Upsert")
    existing = None
    if ext_id is not None:
        existing = sql.first(q.SCHEDULE_BY_EXTERNAL_ID, value=ext_id)
        if existing is not None and not upsert:
            raise invalid("S11", id=ext_id)  # S12: with Upsert, it is updated
    workflow = checks.workflow(body)  # S14
    candidates = checks.candidates(
        body, required=settings["candidatesRequired"], workflow_name=workflow
    )  # S15-S18
    _attempts_free(sql, candidates, existing)
    # S19: the scheduler the schedules are made for, chosen in External API settings.
    if not settings["schedulerSet"]:
        raise invalid("S19")
    shaped = ScheduleIn(
        external_id=ext_id,
        title=checks.text(schedule, "Title", "Schedule.Title", 100),
        start_at=start,
        end_at=end,
        group_ext_id=group_ext_id,
        group_name=group_name,
        schedule_group_ext_id=checks.text(
            schedule, "ScheduleGroupExtId", "Schedule.ScheduleGroupExtId", 64
        ),
        schedule_group_name=checks.text(
            schedule, "ScheduleGroupName", "Schedule.ScheduleGroupName", 500
        ),
        lock_on_connection_loss=checks.flag(
            schedule, "LockExamOnConnectionLoss", "Schedule.LockExamOnConnectionLoss"
        ),
    )
    return Plan(assessment, shaped, existing, workflow, candidates)


def assessment_for(sql: SqlRunner, body: dict, name: str, field: str) -> q.AssessmentRow:
    """S2-S5: the assessment an external id names, which must be published."""
    value = body.get(name)
    if blank(value):
        raise invalid("S2")
    if not is_external_id(value, ASSESSMENT_ID_LIMIT):
        raise invalid("S3", field=field, limit=ASSESSMENT_ID_LIMIT)
    assessment = sql.first(q.ASSESSMENT_BY_EXTERNAL_ID, value=value)
    if assessment is None:
        raise invalid("S4")
    if not assessment.is_published:
        raise invalid("S5")
    return assessment


def _attempts_free(
    sql: SqlRunner, candidates: list[CandidateIn], existing: q.ScheduleRow | None
) -> None:
    """S18b: an AttemptExtId names one attempt of the tenant: one no other sitting or
    attempt has, and no other candidate of the request. Re-sending a candidate's own id
    on its schedule (an Upsert, add-candidates) is not a clash; another candidate taking
    it is (two sittings of one attempt id could never both be sat)."""
    wanted = [c.attempt_ext_id for c in candidates if c.attempt_ext_id]
    if not wanted:
        return
    taken = {
        row[0]
        for statement in (q.SITTING_ATTEMPT_IDS_IN_USE, q.ATTEMPT_IDS_IN_USE)
        for row in sql.all(statement, ids=wanted)
    }
    own = _own_attempt_ids(sql, existing, candidates) if existing is not None else {}
    seen: set[str] = set()
    for i, candidate in enumerate(candidates):
        attempt = candidate.attempt_ext_id
        if attempt is None:
            continue
        mine = own.get(candidate.external_id) == attempt
        if attempt in seen or (attempt in taken and not mine):
            raise invalid("S18b", field=f"Candidates[{i}].AttemptExtId", id=attempt)
        seen.add(attempt)


def _own_attempt_ids(
    sql: SqlRunner, schedule: q.ScheduleRow, candidates: list[CandidateIn]
) -> dict[str, str]:
    """CandidateExtId -> the AttemptExtId its sitting on ``schedule`` already has."""
    pks = {
        row.pk: row.external_id
        for row in sql.all(q.CANDIDATES_BY_EXTERNAL_ID, ids=[c.external_id for c in candidates])
    }
    rows = sql.all(q.SITTINGS_OF_SCHEDULE, value=schedule.pk)
    return {
        pks[row.candidate_pk]: row.attempt_ext_id
        for row in rows
        if row.attempt_ext_id and row.candidate_pk in pks
    }


def generated_ext_id(sql: SqlRunner, seed: int, schedule_id: int) -> str:
    """S13: six mixed-case letters (the docs' sample ``oaOXkn``), derived from the seed
    and the schedule's id, the first no schedule of the tenant has."""
    for attempt in range(1000):
        letters = checks.generated_letters(f"schedule\x1f{seed}\x1f{schedule_id}", attempt, 6)
        if sql.first(q.SCHEDULE_WITH_EXTERNAL_ID, value=letters) is None:
            return letters
    raise RuntimeError("no free schedule external id")  # 52**6 ids: unreachable


def _write(scope: RequestScope, plan: Plan, origin: str) -> Scheduled:
    sql = scope.sql
    shaped, owner = plan.schedule, scope.settings["owner"] or ""
    values = dict(
        assessment_pk=plan.assessment.pk,
        start_at=shaped.start_at,
        end_at=shaped.end_at,
        workflow=plan.workflow,
        group_ext_id=shaped.group_ext_id,
        group_name=shaped.group_name,
        schedule_group_ext_id=shaped.schedule_group_ext_id,
        schedule_group_name=shaped.schedule_group_name,
        lock_on_connection_loss=shaped.lock_on_connection_loss,
    )
    if plan.existing is not None:
        schedule = plan.existing
        title = shaped.title or _default_title(plan.assessment, shaped.start_at)
        sql.run(q.UPSERT_SCHEDULE, schedule_pk=schedule.pk, title=title, **values)
        schedule_pk, schedule_id, ext_id = schedule.pk, schedule.id, schedule.external_id
        origin = schedule.launch_origin
    else:
        schedule_id = next_id(sql, q.SCHEDULES)
        ext_id = shaped.external_id or generated_ext_id(sql, scope.seed, schedule_id)
        title = shaped.title or _default_title(plan.assessment, shaped.start_at)
        schedule_pk = sql.scalar(
            q.INSERT_SCHEDULE,
            id=schedule_id,
            external_id=ext_id,
            title=title,
            hierarchy_ext_id=shaped.group_ext_id,
            pin=None,
            owner=owner,
            is_activated=True,
            use_proctorio=False,
            proctorio_template=None,
            launch_origin=origin,
            **values,
        )
    linked = link_candidates(scope, schedule_pk, plan.candidates, origin)
    return Scheduled(
        id=schedule_id,
        external_id=ext_id,
        created=plan.existing is None,
        title=title,
        assessment_ext_id=plan.assessment.external_id,
        start_at=shaped.start_at,
        end_at=shaped.end_at,
        group_ext_id=shaped.group_ext_id,
        group_name=shaped.group_name,
        schedule_group_ext_id=shaped.schedule_group_ext_id,
        schedule_group_name=shaped.schedule_group_name,
        owner=owner,
        candidates=linked,
    )


def _default_title(assessment: q.AssessmentRow, start: datetime) -> str:
    """Schedule.Title "generated if not set": the assessment's title and the start."""
    return f"{assessment.title} {start:%Y-%m-%d %H:%M}"[:100]


def link_candidates(
    scope: RequestScope, schedule_pk: int, candidates: list[CandidateIn], origin: str
) -> list[Linked]:
    """Create or update each candidate (by CandidateExtId: the user in Cirrus) and put it
    on the schedule with its own session; a candidate already on it keeps its session
    (an Upsert merges the list: assumed)."""
    if not candidates:
        return []
    sql = scope.sql
    known = {
        row.external_id: row.pk
        for row in sql.all(q.CANDIDATES_BY_EXTERNAL_ID, ids=[c.external_id for c in candidates])
    }
    new = [c for c in candidates if c.external_id not in known]
    new_ids = iter(next_ids(sql, q.CANDIDATES, len(new)) if new else ())
    for candidate in candidates:
        values = dict(
            user_name=candidate.user_name,
            first_name=candidate.first_name,
            last_name=candidate.last_name,
            email=candidate.email,
            password_hash=_password_hash(scope.tenant_id, candidate),
        )
        if candidate.external_id in known:
            sql.run(q.UPDATE_CANDIDATE, candidate_pk=known[candidate.external_id], **values)
        else:
            known[candidate.external_id] = sql.scalar(
                q.INSERT_CANDIDATE,
                id=next(new_ids),
                external_id=candidate.external_id,
                **values,
            )
    on_schedule = {
        row.candidate_pk: row for row in sql.all(q.SITTINGS_OF_SCHEDULE, value=schedule_pk)
    }
    joining = [c for c in candidates if known[c.external_id] not in on_schedule]
    sitting_ids = iter(next_ids(sql, q.SITTINGS, len(joining)) if joining else ())
    linked = []
    for candidate in candidates:
        candidate_pk = known[candidate.external_id]
        sitting_values = dict(
            special_needs=candidate.special_needs,
            adjustment_percentage=candidate.adjustment_percentage,
            attempt_ext_id=candidate.attempt_ext_id,
        )
        if candidate_pk in on_schedule:
            sitting = on_schedule[candidate_pk]
            sql.run(q.UPDATE_SITTING, sitting_pk=sitting.pk, **sitting_values)
            session = sitting.session
        else:
            sitting_id = next(sitting_ids)
            session = session_for(scope.tenant_id, sitting_id)
            sql.run(
                q.INSERT_SITTING,
                id=sitting_id,
                schedule_pk=schedule_pk,
                candidate_pk=candidate_pk,
                session=session,
                **sitting_values,
            )
        linked.append(
            Linked(candidate, session, startup_link(session), launch_url(origin, session))
        )
    return linked


def _password_hash(tenant_id: str, candidate: CandidateIn) -> str | None:
    """ "Stored salted and hashed" (the docs): PBKDF2 salted with the tenant and the id."""
    if candidate.password is None:
        return None
    salt = f"{tenant_id}\x1f{candidate.external_id}".encode()
    return hashlib.pbkdf2_hmac("sha256", candidate.password.encode(), salt, 1000).hex()


def add_candidates(scope: RequestScope, body: dict) -> Scheduled:
    """POST /schedule/add-candidates: the schedule by ``Schedule.ScheduleExtId`` (SCH-1
    when unknown), then the group (S9) and candidate rules (S15-S18) as on /schedule."""
    _added(scope, body)
    scope.write()
    schedule, assessment, candidates = _added(scope, body)
    linked = link_candidates(scope, schedule.pk, candidates, schedule.launch_origin)
    return Scheduled(
        id=schedule.id,
        external_id=schedule.external_id,
        created=False,
        title="",
        assessment_ext_id=assessment.external_id,
        start_at=schedule.start_at,
        end_at=schedule.end_at,
        group_ext_id=None,
        group_name=None,
        schedule_group_ext_id=None,
        schedule_group_name=None,
        owner=scope.settings["owner"] or "",
        candidates=linked,
    )


def _added(scope: RequestScope, body: dict):
    sql, settings = scope.sql, scope.settings
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("Schedule"), dict)
        or not body["Schedule"]
    ):
        raise invalid("S1")
    wanted = body["Schedule"]
    ext_id = wanted.get("ScheduleExtId")
    if blank(ext_id):
        raise invalid("SCH-4", field="Schedule.ScheduleExtId")
    schedule = (
        sql.first(q.SCHEDULE_BY_EXTERNAL_ID, value=ext_id) if isinstance(ext_id, str) else None
    )
    if schedule is None:
        raise invalid("SCH-1")
    checks.text(wanted, "GroupExtId", "Schedule.GroupExtId", 64, required=True)  # S9
    checks.text(wanted, "GroupName", "Schedule.GroupName", 500, required=True)
    candidates = checks.candidates(body, required=True, workflow_name=schedule.workflow)
    _attempts_free(sql, candidates, schedule)
    if not settings["schedulerSet"]:
        raise invalid("S19")
    assessment = sql.first(q.ASSESSMENT_BY_PK, value=schedule.assessment_pk)
    return schedule, assessment, candidates
