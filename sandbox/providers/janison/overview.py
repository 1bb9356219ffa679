"""What Janison's admin screen would show of a tenant (core/overview.py): its test
schedules with how many candidates are enrolled and completed, and the enrolments with
their results, newest first; the buttons sit them through the ``/complete`` control
(admin.py), a schedule's every enrolment or one candidate's.

Read only, in six queries whatever the tenant's size: for each table a count and a page
of 50 joined to what it names, plus one grouped read of the page's enrolment counts
(schedules) or attempts (enrolments). Through the ORM session, so the tenant criterion
(core/tenant_criterion.py) limits every table of every statement, outer joins included.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from exam_sandbox.core.overview import (
    ROWS_SHOWN,
    Action,
    Column,
    Overview,
    Row,
    Table,
    control_path,
    count_rows,
    with_reference,
)
from exam_sandbox.core.scope import RequestScope

from .description import DESCRIPTION
from .tables import (
    JCandidate,
    JCentre,
    JEnrolment,
    JEnrolmentComponent,
    JResult,
    JSchedule,
    JTestPackage,
)

SCHEDULE_COLUMNS = (
    Column("id", "Id"),
    Column("reference", "Reference", "code"),
    Column("testPackage", "Test package"),
    Column("centre", "Centre"),
    Column("testPackageDate", "Date"),
    Column("status", "Status", "status"),
    Column("enrolled", "Enrolled"),
    Column("completed", "Completed"),
)
ENROLMENT_COLUMNS = (
    Column("testSessionId", "Test session"),
    Column("testSchedule", "Schedule"),
    Column("candidate", "Candidate"),
    Column("status", "Status", "status"),
    Column("attempt", "Attempt"),
    Column("result", "Result", "code"),
    Column("finalScaleScore", "Scale score"),
    Column("overallCEFRGrade", "CEFR grade"),
)


def overview_of(scope: RequestScope) -> Overview:
    return Overview(
        vendor=DESCRIPTION.name,
        title=DESCRIPTION.title,
        tables=(_schedules(scope), _enrolments(scope)),
    )



def _complete(tenant_id: str, schedule_id: int, body: dict, label: str) -> Action:
    path = control_path(tenant_id, DESCRIPTION.name, "testschedule", schedule_id, "complete")
    return Action("complete", label, "POST", path, body)


def schedule_status(retired: bool, enrolled: int, completed: int) -> str:
    if retired:
        return "Retired"
    if enrolled and completed == enrolled:
        return "Completed"
    return "Partly completed" if completed else "Planned"


def _schedules(scope: RequestScope) -> Table:
    db = scope.session
    total = count_rows(db, JSchedule)
    page = db.execute(
        select(
            JSchedule.pk,
            JSchedule.id,
            JSchedule.reference,
            JSchedule.test_package_date,
            JSchedule.retired,
            JTestPackage.reference,
            JTestPackage.name,
            JCentre.reference,
            JCentre.name,
        )
        .join(JTestPackage, JSchedule.package_pk == JTestPackage.pk)
        .join(JCentre, JSchedule.centre_pk == JCentre.pk)
        .order_by(JSchedule.id.desc())
        .limit(ROWS_SHOWN)
    ).all()
    counts = {}
    if page:
        counts = {
            pk: (enrolled, completed or 0)
            for pk, enrolled, completed in db.execute(
                select(
                    JEnrolment.schedule_pk,
                    func.count(),
                    func.sum(case((JEnrolment.completed, 1), else_=0)),
                )
                .where(JEnrolment.schedule_pk.in_([row[0] for row in page]))
                .group_by(JEnrolment.schedule_pk)
            ).all()
        }
    rows = []
    for pk, sid, reference, day, retired, pref, pname, cref, cname in page:
        enrolled, completed = counts.get(pk, (0, 0))
        sittable = not retired and completed < enrolled
        rows.append(
            Row(
                key=str(sid),
                cells={
                    "id": sid,
                    "reference": reference,
                    "testPackage": with_reference(pname, pref),
                    "centre": with_reference(cname, cref),
                    "testPackageDate": day.isoformat(),
                    "status": schedule_status(retired, enrolled, completed),
                    "enrolled": enrolled,
                    "completed": completed,
                },
                actions=(_complete(scope.tenant_id, sid, {}, "Complete"),) if sittable else (),
            )
        )
    return Table(
        name="schedules",
        title="Test schedules",
        columns=SCHEDULE_COLUMNS,
        rows=tuple(rows),
        total=total,
        empty="No test schedules yet: book one with POST testschedule",
    )


def enrolment_status(completed: bool, attempt: int) -> str:
    if completed:
        return "Completed"
    return "Resit booked" if attempt > 1 else "Enrolled"


def _enrolments(scope: RequestScope) -> Table:
    db = scope.session
    total = count_rows(db, JEnrolment)
    page = db.execute(
        select(
            JEnrolment.pk,
            JEnrolment.id,
            JEnrolment.completed,
            JSchedule.id,
            JSchedule.retired,
            JCandidate.id,
            JCandidate.reference,
            JCandidate.first_name,
            JCandidate.middle_name,
            JCandidate.last_name,
            JResult.reference,
            JResult.final_scale_score,
            JResult.overall_cefr_grade,
        )
        .join(JSchedule, JEnrolment.schedule_pk == JSchedule.pk)
        .join(JCandidate, JEnrolment.candidate_pk == JCandidate.pk)
        .outerjoin(JResult, JResult.enrolment_pk == JEnrolment.pk)
        .order_by(JEnrolment.id.desc())
        .limit(ROWS_SHOWN)
    ).all()
    attempts = {}
    if page:
        # A sitting is attempt 0 of every component; each resit of one adds 1 to it.
        attempts = dict(
            db.execute(
                select(JEnrolmentComponent.enrolment_pk, func.max(JEnrolmentComponent.attempt))
                .where(JEnrolmentComponent.enrolment_pk.in_([row[0] for row in page]))
                .group_by(JEnrolmentComponent.enrolment_pk)
            ).all()
        )
    rows = []
    for (pk, eid, completed, sid, retired, cid, cref, first, middle, last, result, score,
         grade) in page:
        attempt = (attempts.get(pk) or 0) + 1
        name = " ".join(part for part in (first, middle, last) if part)
        sittable = not retired and not completed
        rows.append(
            Row(
                key=str(eid),
                cells={
                    "testSessionId": eid,
                    "testSchedule": sid,
                    "candidate": with_reference(name, cref),
                    "status": enrolment_status(completed, attempt),
                    "attempt": attempt,
                    "result": result,
                    "finalScaleScore": score,
                    "overallCEFRGrade": grade,
                },
                actions=(
                    (_complete(scope.tenant_id, sid, {"candidates": [cid]}, "Complete"),)
                    if sittable
                    else ()
                ),
            )
        )
    return Table(
        name="enrolments",
        title="Enrolments & results",
        columns=ENROLMENT_COLUMNS,
        rows=tuple(rows),
        total=total,
        empty="No enrolments yet: a test schedule enrols its candidates",
    )
