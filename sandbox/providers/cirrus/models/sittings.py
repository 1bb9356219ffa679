"""Sitting and publishing, the sandbox's controls (interface page): a candidate on a
schedule sits its assessment (``complete``), and its result is published at once or
held and published later. Publishing fires the "Exam results ready" webhook when the
site has a ``webhookUrl`` (and, with ``webhookOnlySatisfactory``, only for a
SATISFACTORY result). Sitting again is a rescore of the same attempt: published, it
fires the webhook again (the webhooks page: "fires again on rescoring").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from exam_sandbox.core.db import next_id
from exam_sandbox.core.scope import RequestScope

from ..errors import control_conflict, control_not_found
from ..tables import CAssessment, CAttempt, CCandidate, CSchedule, CSitting
from ..webhook import results_ready
from .checks import generated_letters

OUTCOMES = ("SATISFACTORY", "UNSATISFACTORY")


@dataclass(frozen=True, slots=True)
class Sat:
    attempt: CAttempt
    published: bool


def _sitting(scope: RequestScope, schedule_ext_id: str, candidate_ext_id: str):
    found = scope.session.execute(
        select(CSitting, CSchedule, CCandidate)
        .join(CSchedule, CSchedule.pk == CSitting.schedule_pk)
        .join(CCandidate, CCandidate.pk == CSitting.candidate_pk)
        .where(CSchedule.external_id == schedule_ext_id, CCandidate.external_id == candidate_ext_id)
    ).first()
    if found is None:
        raise control_not_found("CTL-1", candidate=candidate_ext_id, schedule=schedule_ext_id)
    return found


def _attempt_of(scope: RequestScope, sitting: CSitting) -> CAttempt | None:
    return scope.session.execute(select(CAttempt).where(CAttempt.sitting_pk == sitting.pk)).scalar()


def seeded_score(seed: int, schedule_ext_id: str, candidate_ext_id: str) -> float:
    """A score from the tenant's seed when the control gives none: 35-95, whole."""
    digest = hashlib.sha256(
        f"cirrus-score\x1f{seed}\x1f{schedule_ext_id}\x1f{candidate_ext_id}".encode()
    ).digest()
    return float(35 + digest[0] % 61)


def complete(
    scope: RequestScope,
    schedule_ext_id: str,
    candidate_ext_id: str,
    *,
    score: float | None,
    outcome: str | None,
    publish: bool,
) -> Sat:
    """Sit (or rescore) the candidate's attempt; the clock must be inside the window."""
    session = scope.session
    sitting, schedule, candidate = _sitting(scope, schedule_ext_id, candidate_ext_id)
    if not schedule.start_at <= scope.now <= schedule.end_at:
        raise control_conflict("CTL-2", now=scope.now.isoformat(timespec="seconds") + "Z")
    assessment = session.get(CAssessment, schedule.assessment_pk)
    if score is None:
        score = seeded_score(scope.seed, schedule.external_id, candidate.external_id)
    if outcome is None:
        outcome = "SATISFACTORY" if score >= assessment.pass_mark else "UNSATISFACTORY"
    attempt = _attempt_of(scope, sitting)
    if attempt is None:
        attempt_id = next_id(session, CAttempt, scope.tenant_id)
        attempt = CAttempt(
            tenant_id=scope.tenant_id,
            id=attempt_id,
            external_id=sitting.attempt_ext_id or _attempt_ext_id(scope, attempt_id),
            sitting_pk=sitting.pk,
            score=score,
            outcome=outcome,
            submitted_at=scope.now,
            published=False,
            published_at=None,
            revision=1,
        )
        session.add(attempt)
    else:  # a rescore
        attempt.score, attempt.outcome = score, outcome
        attempt.submitted_at = scope.now
        attempt.revision += 1
        attempt.published, attempt.published_at = False, None
    session.flush()
    if publish:
        _publish(scope, attempt, schedule, candidate, assessment)
    return Sat(attempt, attempt.published)


def _attempt_ext_id(scope: RequestScope, attempt_id: int) -> str:
    return "ATT-" + generated_letters(f"attempt\x1f{scope.seed}\x1f{attempt_id}", 0, 10)


def publish(scope: RequestScope, schedule_ext_id: str, candidate_ext_id: str) -> Sat:
    """Publish a held result; publishing a published one again changes nothing."""
    session = scope.session
    sitting, schedule, candidate = _sitting(scope, schedule_ext_id, candidate_ext_id)
    attempt = _attempt_of(scope, sitting)
    if attempt is None:
        raise control_conflict("CTL-3", candidate=candidate_ext_id, schedule=schedule_ext_id)
    if not attempt.published:
        _publish(
            scope, attempt, schedule, candidate, session.get(CAssessment, schedule.assessment_pk)
        )
    return Sat(attempt, True)


def _publish(
    scope: RequestScope,
    attempt: CAttempt,
    schedule: CSchedule,
    candidate: CCandidate,
    assessment: CAssessment,
) -> None:
    attempt.published, attempt.published_at = True, scope.now
    scope.session.flush()
    results_ready(
        scope, candidate.external_id, schedule.external_id, attempt, assessment.external_id
    )
