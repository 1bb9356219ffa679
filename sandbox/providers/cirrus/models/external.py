"""Schedules by external id: POST /external/schedule (not activated, no candidates),
GET, PATCH and DELETE /external/schedule/{externalId}. One namespace per tenant: a
schedule made by POST /schedule is read, patched and deleted here too.

Cold paths, on the ORM session. Errors are the Content envelope's, with the
delete-schedule page's messages (SCH-1, SCH-2, S19) and the update page's PIN rule
(SCH-3: only a schedule that is not activated takes a PIN).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from exam_sandbox.core.db import next_id
from exam_sandbox.core.scope import RequestScope

from ..errors import invalid
from ..tables import CAssessment, CAttempt, CCandidate, CSchedule, CSitting
from ..wire import ASSESSMENT_ID_LIMIT, SCHEDULE_ID_LIMIT
from . import checks
from .scheduling import assessment_for, generated_ext_id
from .sql import AssessmentRow

ROOT_HIERARCHY = "root"
PIN_LIMIT = 64  # create-non-published-schedule: PIN (64)
PATCH_PIN_LIMIT = 4  # update-schedule: PIN string(4)


@dataclass(frozen=True, slots=True)
class ScheduleInfo:
    schedule: CSchedule
    candidates: list[CCandidate]


def find_schedule(scope: RequestScope, external_id: str) -> CSchedule:
    found = scope.session.execute(
        select(CSchedule).where(CSchedule.external_id == external_id)
    ).scalar()
    if found is None:
        raise invalid("SCH-1")
    return found


def schedule_info(scope: RequestScope, external_id: str) -> ScheduleInfo:
    schedule = find_schedule(scope, external_id)
    candidates = list(
        scope.session.execute(
            select(CCandidate)
            .join(CSitting, CSitting.candidate_pk == CCandidate.pk)
            .where(CSitting.schedule_pk == schedule.pk)
            .order_by(CSitting.id)
        ).scalars()
    )
    return ScheduleInfo(schedule, candidates)


def create_external(scope: RequestScope, body, origin: str) -> CSchedule:
    """POST /external/schedule: S2-S5 on AssessmentExternalId, S6-S8 on the window, S10
    and S11 on ScheduleExternalId, then S19; the schedule is not activated."""
    settings = scope.settings
    if not isinstance(body, dict):
        raise invalid("REQ-1", field="request", problem="a JSON object is expected")
    assessment_row = assessment_for(scope.sql, body, "AssessmentExternalId", "AssessmentExternalId")
    start, end = _window(scope, body, assessment_row)
    ext_id = checks.schedule_ext_id(body, "ScheduleExternalId", "ScheduleExternalId")
    title = checks.text(body, "Title", "Title", 100)
    hierarchy = checks.external_id(
        body, "HierarchyExternalId", "HierarchyExternalId", rule="S10", limit=SCHEDULE_ID_LIMIT
    )
    pin = checks.text(body, "PIN", "PIN", PIN_LIMIT)
    use_proctorio = checks.flag(body, "UseProctorIo", "UseProctorIo")
    template = checks.external_id(
        body,
        "ProctorioTemplateExternalId",
        "ProctorioTemplateExternalId",
        rule="S10",
        limit=ASSESSMENT_ID_LIMIT,
    )
    owner = checks.text(body, "Owner", "Owner", 64)
    scope.write()
    session = scope.session
    if ext_id is not None and _taken(session, ext_id):
        raise invalid("S11", id=ext_id)
    if not settings["schedulerSet"]:
        raise invalid("S19")
    schedule_id = next_id(session, CSchedule, scope.tenant_id)
    schedule = CSchedule(
        tenant_id=scope.tenant_id,
        id=schedule_id,
        external_id=ext_id or generated_ext_id(scope.sql, scope.seed, schedule_id),
        assessment_pk=assessment_row.pk,
        title=title or f"{assessment_row.title} {start:%Y-%m-%d %H:%M}"[:100],
        start_at=start,
        end_at=end,
        workflow="DEFAULT",
        hierarchy_ext_id=hierarchy or ROOT_HIERARCHY,
        pin=pin,
        owner=owner or settings["owner"] or "",
        is_activated=False,
        lock_on_connection_loss=False,
        use_proctorio=use_proctorio,
        proctorio_template=template,
        launch_origin=settings["tenantHost"] or origin,
    )
    session.add(schedule)
    session.flush()
    return schedule


def _window(scope: RequestScope, body: dict, assessment_row):
    zone = scope.settings["defaultTimeZone"]
    start = checks.instant(body, "StartDateTime", "StartDateTime", zone, required=True)
    end = checks.instant(body, "EndDateTime", "EndDateTime", zone, required=False)
    return start, checks.window_end(assessment_row, start, end, "EndDateTime")


def _taken(session, external_id: str) -> bool:
    return (
        session.execute(select(CSchedule.pk).where(CSchedule.external_id == external_id)).first()
        is not None
    )


def update_external(scope: RequestScope, external_id: str, body) -> CSchedule:
    """PATCH: StartDateTime is mandatory (SCH-4); a PIN only on a schedule that is not
    activated (SCH-3); the last save wins. The schedule may be renamed (ScheduleExtId,
    or ScheduleExternalId as the docs' sample sends it)."""
    scope.write()
    session = scope.session
    schedule = find_schedule(scope, external_id)
    if not isinstance(body, dict):
        raise invalid("REQ-1", field="request", problem="a JSON object is expected")
    if checks.blank(body.get("StartDateTime")):
        raise invalid("SCH-4", field="StartDateTime")
    assessment = session.get(CAssessment, schedule.assessment_pk)
    row = _as_row(assessment)
    start, end = _window(scope, body, row)
    title = checks.text(body, "Title", "Title", 100)
    rename_key = "ScheduleExtId" if "ScheduleExtId" in body else "ScheduleExternalId"
    new_id = checks.schedule_ext_id(body, rename_key, rename_key)
    hierarchy = checks.external_id(
        body, "HierarchyExternalId", "HierarchyExternalId", rule="S10", limit=SCHEDULE_ID_LIMIT
    )
    pin = body.get("PIN")
    if pin is not None:
        if schedule.is_activated:
            raise invalid("SCH-3")
        if not isinstance(pin, str) or len(pin) > PATCH_PIN_LIMIT:
            raise invalid("SCH-5", limit=PATCH_PIN_LIMIT)
    if new_id is not None and new_id != schedule.external_id and _taken(session, new_id):
        raise invalid("S11", id=new_id)
    if not scope.settings["schedulerSet"]:
        raise invalid("S19")
    schedule.start_at, schedule.end_at = start, end
    if title is not None:
        schedule.title = title
    if new_id is not None:
        schedule.external_id = new_id
    if hierarchy is not None:
        schedule.hierarchy_ext_id = hierarchy
    if pin is not None:
        schedule.pin = pin
    if "UseProctorIo" in body:
        schedule.use_proctorio = checks.flag(body, "UseProctorIo", "UseProctorIo")
    if "ProctorioTemplateExternalId" in body:
        schedule.proctorio_template = checks.external_id(
            body,
            "ProctorioTemplateExternalId",
            "ProctorioTemplateExternalId",
            rule="S10",
            limit=ASSESSMENT_ID_LIMIT,
        )
    session.flush()
    return schedule


def _as_row(assessment: CAssessment) -> AssessmentRow:
    return AssessmentRow(
        assessment.pk,
        assessment.external_id,
        assessment.title,
        assessment.is_published,
        assessment.max_time_per_attempt,
        assessment.extra_time,
    )


def delete_external(scope: RequestScope, external_id: str) -> None:
    """DELETE, refused in the order of the delete-schedule page's list: an unknown
    schedule (SCH-1), one with attempts (SCH-2: assumed trigger), no scheduler (S19)."""
    scope.write()
    session = scope.session
    schedule = find_schedule(scope, external_id)
    attempted = session.execute(
        select(CAttempt.pk)
        .join(CSitting, CSitting.pk == CAttempt.sitting_pk)
        .where(CSitting.schedule_pk == schedule.pk)
        .limit(1)
    ).first()
    if attempted is not None:
        raise invalid("SCH-2")
    if not scope.settings["schedulerSet"]:
        raise invalid("S19")
    session.execute(delete(CSitting).where(CSitting.schedule_pk == schedule.pk))
    session.delete(schedule)
    session.flush()
