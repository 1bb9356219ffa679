"""Completing enrolments and writing their results (the sandbox's ``/complete`` control).

Each selected enrolment's components not yet completed are completed at the tenant's
clock, with the raw score the caller gives for the component's reference, or else one
derived from the tenant's seed. The enrolment's result (one per enrolment, written the
first time and rewritten after a resit) then holds every component's scale score and
CEFR grade and the overall, as ``scoring`` defines them.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from exam_sandbox.core.db import next_id
from exam_sandbox.core.errors import ErrorDetail, ValidationFailed
from exam_sandbox.core.scope import RequestScope

from .. import scoring
from ..allocation import derived_raw_score
from ..errors import conflict
from ..tables import JEnrolment, JResult, JResultComponent, JSchedule
from .common import find


def complete_schedule(
    scope: RequestScope, schedule_id: int, scores: dict, candidate_ids: list[int] | None
) -> list[tuple[JEnrolment, JResult]]:
    session = scope.session
    schedule = find(session, JSchedule, "Test schedule", schedule_id)
    if schedule.retired:
        raise conflict("RET-1", resource="Test schedule", id=schedule.id)
    references = {c.reference for c in schedule.package.components}
    unknown = sorted(set(scores) - references)
    if unknown:
        raise ValidationFailed(
            ErrorDetail(
                400,
                f"Not a component of test package '{schedule.package.reference}': "
                f"{', '.join(unknown)}",
            )
        )
    enrolments = schedule.enrolments
    if candidate_ids is not None:
        enrolled = {e.candidate.id: e for e in enrolments}
        missing = [c for c in candidate_ids if c not in enrolled]
        if missing:
            raise ValidationFailed(
                ErrorDetail(
                    400,
                    f"Not enrolled in test schedule {schedule.id}: {', '.join(map(str, missing))}",
                )
            )
        enrolments = [e for e in enrolments if e.candidate.id in set(candidate_ids)]
    now = scope.now.replace(microsecond=0)
    return [(e, _complete(scope, schedule, e, scores, now)) for e in enrolments]


def _complete(scope: RequestScope, schedule, enrolment: JEnrolment, scores: dict, now) -> JResult:
    session, tenant_id = scope.session, scope.tenant_id
    for allocation in enrolment.components:
        if allocation.completed:
            continue
        component = allocation.component
        raw = scores.get(component.reference)
        if raw is None:
            raw = derived_raw_score(scope.seed, enrolment.id, component.id, allocation.attempt)
        allocation.raw_score = raw
        allocation.completed = True
        allocation.date_completed = now
    enrolment.completed = True
    result = (
        session.execute(select(JResult).where(JResult.enrolment_pk == enrolment.pk))
        .unique()
        .scalar_one_or_none()
    )
    if result is None:
        result_id = next_id(session, JResult, tenant_id)
        result = JResult(
            tenant_id=tenant_id,
            id=result_id,
            reference=f"RES{result_id:05d}",
            enrolment_pk=enrolment.pk,
            candidate_pk=enrolment.candidate_pk,
            package_pk=schedule.package_pk,
            centre_pk=schedule.centre_pk,
        )
        session.add(result)
        session.flush()
    else:
        session.execute(delete(JResultComponent).where(JResultComponent.result_pk == result.pk))
    included = []
    for allocation in enrolment.components:
        scale = scoring.scale_score(allocation.raw_score)
        if allocation.component.included_in_total:
            included.append(scale)
        session.add(
            JResultComponent(
                tenant_id=tenant_id,
                id=next_id(session, JResultComponent, tenant_id),
                result_pk=result.pk,
                component_pk=allocation.component_pk,
                raw_score=allocation.raw_score,
                scale_score=str(scale),
                cefr_grade=scoring.cefr_grade(scale),
                date_completed=allocation.date_completed,
                keycode=allocation.keycode,
                included_in_total=allocation.component.included_in_total,
                completed=True,
                voided=False,
            )
        )
    final = scoring.overall(included)
    result.final_scale_score = None if final is None else str(final)
    result.overall_cefr_grade = None if final is None else scoring.cefr_grade(final)
    result.completion_date = max((a.date_completed for a in enrolment.components), default=now)
    result.completed = True
    result.voided = False
    session.flush()
    session.expire(result, ["components"])
    return result
