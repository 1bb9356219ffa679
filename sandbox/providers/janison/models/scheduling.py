"""Test schedules and resits: the rules that need the database, the settings or the clock.

POST testschedule (JTS-3): the body has passed its schema (JTS-1, JTS-2). Then ENR-2
(testPackageId and testPackage agree), JC-2 (package, centre and candidates resolve),
RET-2 (none retired), ENR-1 (no candidate twice), ENR-3 (not before today) and DUP-1
(reference), in that order; the first failure ends the request and nothing is written
before all have passed. Each candidate gets one enrolment whose id is its
``testSessionId``, and every component of the package a version and a keycode.

POST testschedulecomponent (JTSC-1): a resit. Each listed component of the enrolments
touched gets the next attempt, a new version (another than the one just sat) and a new
keycode, and is no longer completed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from exam_sandbox.core.db import next_id
from exam_sandbox.core.errors import ValidationFailed
from exam_sandbox.core.keys import derived_reference
from exam_sandbox.core.lookups import by_id, by_ref
from exam_sandbox.core.scope import RequestScope

from ..allocation import keycode_for, version_for
from ..errors import conflict, invalid, rule
from ..tables import (
    JCandidate,
    JCentre,
    JComponent,
    JEnrolment,
    JEnrolmentComponent,
    JSchedule,
    JTestPackage,
)
from .common import find, ref_text, resolve, unique_reference


@dataclass
class Touched:
    """An enrolment and the components a request allocated for it, for the answer."""

    enrolment: JEnrolment
    components: list[JEnrolmentComponent]


def _package(session: Session, body: dict) -> JTestPackage:
    by_number = body.get("testPackageId")
    named = body.get("testPackage")
    package = None
    if by_number is not None:
        package = by_id(session, JTestPackage, by_number)
        if package is None:
            raise invalid("JC-2", what="Test package", ref=by_number, field="testPackageId")
    if named:
        other = resolve(session, JTestPackage, named, "Test package", "testPackage")
        # ENR-2: both given, and they name different packages.
        if package is not None and other is not package:
            raise invalid("ENR-2", field="testPackage")
        package = other
    return package


def schedule_test(scope: RequestScope, body: dict) -> tuple[JSchedule, list[Touched]]:
    session = scope.session
    refs = list(body.get("candidates") or [])
    if body.get("candidate"):
        refs.append(body["candidate"])
    package = _package(session, body)
    centre = resolve(session, JCentre, body["centre"], "Centre", "centre")
    candidates = _candidates(session, refs)
    # RET-2: a retired centre or candidate cannot be booked.
    if centre.retired:
        raise invalid("RET-2", what="Centre", ref=ref_text(body["centre"]), field="centre")
    retired = [
        rule("RET-2", what="Candidate", ref=ref_text(ref), field="candidates")
        for ref, candidate in zip(refs, candidates, strict=True)
        if candidate.retired
    ]
    if retired:
        raise ValidationFailed(*retired)
    # ENR-1: one enrolment per candidate; the same candidate twice is refused.
    seen: set[int] = set()
    for ref, candidate in zip(refs, candidates, strict=True):
        if candidate.pk in seen:
            raise invalid("ENR-1", ref=ref_text(ref), field="candidates")
        seen.add(candidate.pk)
    # ENR-3: not for a day already past on the tenant's clock, unless the site allows it.
    today = scope.now.date()
    day = body["testPackageDate"]
    if day < today and not scope.settings["allowPastTestPackageDate"]:
        raise invalid("ENR-3", today=today.isoformat(), field="testPackageDate")
    if body.get("reference"):
        unique_reference(session, JSchedule, "test schedule", body["reference"])
    return _write(scope, body, package, centre, candidates)


def _candidates(session: Session, refs: list[dict]) -> list[JCandidate]:
    """JC-2 for every candidate, all reported together; one row per ref, in order."""
    rows, missing = [], []
    for ref in refs:
        row = by_ref(session, JCandidate, ref)
        if row is None:
            missing.append(rule("JC-2", what="Candidate", ref=ref_text(ref), field="candidates"))
        rows.append(row)
    if missing:
        raise ValidationFailed(*missing)
    return rows


def _write(scope, body, package, centre, candidates) -> tuple[JSchedule, list[Touched]]:
    session, tid, seed = scope.session, scope.tenant_id, scope.seed
    new_id = next_id(session, JSchedule, tid)
    schedule = JSchedule(
        tenant_id=tid,
        id=new_id,
        reference=body.get("reference")
        or derived_reference(
            scope, JSchedule, "testschedule", new_id, prefix="TS-", hex_digits=8
        ),
        package_pk=package.pk,
        centre_pk=centre.pk,
        test_package_date=body["testPackageDate"],
        extend_validity_period=bool(body.get("extendValidityPeriod")),
        room_reference=body.get("roomReference"),
        retired=False,
        created_at=scope.now,
    )
    session.add(schedule)
    session.flush()
    touched = []
    for candidate in candidates:
        enrolment = JEnrolment(
            tenant_id=tid,
            id=next_id(session, JEnrolment, tid),
            schedule_pk=schedule.pk,
            candidate_pk=candidate.pk,
            completed=False,
        )
        session.add(enrolment)
        session.flush()
        allocated = [
            JEnrolmentComponent(
                tenant_id=tid,
                id=next_id(session, JEnrolmentComponent, tid),
                enrolment_pk=enrolment.pk,
                component_pk=component.pk,
                version=version_for(seed, enrolment.id, component.id, 0, component.versions),
                keycode=keycode_for(seed, enrolment.id, component.id, 0),
                attempt=0,
                completed=False,
                component=component,
            )
            for component in package.components
        ]
        session.add_all(allocated)
        enrolment.candidate = candidate
        touched.append(Touched(enrolment, allocated))
    session.flush()
    return schedule, touched


def retire_schedule(scope: RequestScope, schedule_id: int) -> JSchedule:
    """JTS-4: DELETE retires the planned schedule; one with completed enrolments is no
    longer planned (ENR-5), and retiring twice is RET-1."""
    session = scope.session
    schedule = find(session, JSchedule, "Test schedule", schedule_id)
    if schedule.retired and scope.settings["retireTwice"] == "conflict":
        raise conflict("RET-1", resource="Test schedule", id=schedule.id)
    if any(e.completed or any(c.completed for c in e.components) for e in schedule.enrolments):
        raise conflict("ENR-5", id=schedule.id)
    schedule.retired = True
    return schedule


def resit(scope: RequestScope, body: dict) -> tuple[JSchedule, list[Touched]]:
    """JTSC-1: reallocate a new version of each listed component for a resit."""
    session = scope.session
    ref = body["testScehdule"]  # the schema takes testSchedule for it too
    schedule = by_ref(session, JSchedule, ref)
    if schedule is None:
        raise invalid("JTSC-1b", ref=ref_text(ref), field="testScehdule")
    if schedule.retired:
        raise conflict("RET-1", resource="Test schedule", id=schedule.id)
    components = _package_components(session, schedule, body["components"])
    enrolments = schedule.enrolments
    if body.get("candidate"):
        candidate = resolve(session, JCandidate, body["candidate"], "Candidate", "candidate")
        enrolments = [e for e in enrolments if e.candidate_pk == candidate.pk]
        if not enrolments:
            raise invalid(
                "ENR-4", ref=ref_text(body["candidate"]), id=schedule.id, field="candidate"
            )
    seed = scope.seed
    touched = []
    for enrolment in enrolments:
        changed = []
        for allocation in enrolment.components:
            if allocation.component_pk not in components:
                continue
            component = allocation.component
            allocation.attempt += 1
            allocation.version = version_for(
                seed,
                enrolment.id,
                component.id,
                allocation.attempt,
                component.versions,
                previous=allocation.version,
            )
            allocation.keycode = keycode_for(seed, enrolment.id, component.id, allocation.attempt)
            allocation.completed = False
            allocation.raw_score = None
            allocation.date_completed = None
            changed.append(allocation)
        enrolment.completed = False
        touched.append(Touched(enrolment, changed))
    session.flush()
    return schedule, touched


def _package_components(session: Session, schedule: JSchedule, refs: list[dict]) -> set[int]:
    """JTSC-1c: every listed component is one of the schedule's package (pks)."""
    package = schedule.package
    wanted = set()
    for ref in refs:
        found = by_ref(session, JComponent, ref)
        if found is None or found.package_pk != package.pk:
            raise invalid(
                "JTSC-1c", ref=ref_text(ref), package=package.reference, field="components"
            )
        wanted.add(found.pk)
    return wanted
