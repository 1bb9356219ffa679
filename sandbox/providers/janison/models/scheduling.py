"""Test schedules and resits: the rules that need the database, the settings or the clock.

POST testschedule (JTS-3): the body has passed its schema (JTS-1, JTS-2). Then ENR-2
(testPackageId and testPackage agree), JC-2 (package, centre and candidates resolve),
RET-2 (none retired), ENR-1 (no candidate twice), ENR-3 (not before today) and DUP-1
(reference), in that order; the first failure ends the request and nothing is written
before all have passed. Each candidate gets one enrolment whose id is its
``testSessionId``, and every component of the package a version and a keycode.

POST testschedule is a hot path: its rules read through precompiled statements
(``schedule_sql.py``) without the writers' lock. Once they pass, ``scope.write()`` takes
the lock and the rules run again on the latest data, since another request may have
retired the centre or a candidate, renamed one, or taken the reference meanwhile: of two
schedules with one reference sent at once, the second to take the lock is refused
(DUP-1), as if they had come one after the other. Ids and the derived reference are
chosen under the lock.

POST testschedulecomponent (JTSC-1): a resit. Each listed component of the enrolments
touched gets the next attempt, a new version (another than the one just sat) and a new
keycode, and is no longer completed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import MultipleResultsFound
from sqlalchemy.orm import Session

from exam_sandbox.core.errors import ValidationFailed
from exam_sandbox.core.ids import next_id, next_ids
from exam_sandbox.core.keys import first_free_reference
from exam_sandbox.core.lookups import MAX_ID, by_ref
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.sql import SqlRunner, first_by_ref

from ..allocation import keycode_for, version_for
from ..errors import conflict, invalid, rule
from ..tables import JCandidate, JComponent, JSchedule
from . import schedule_sql as q
from .common import find, ref_text, resolve
from .schedule_sql import CandidateRow, CentreRow, ComponentRow, PackageRow


@dataclass
class Touched:
    """An enrolment and the components a request allocated for it, for the answer: ORM
    rows for a resit, plain rows (``BookedEnrolment``, ``Allocated``) for a booking."""

    enrolment: Any
    components: list


@dataclass(frozen=True, slots=True)
class Booked:
    """The schedule POST testschedule wrote, as the write envelope names it."""

    id: int
    reference: str


@dataclass(frozen=True, slots=True)
class BookedEnrolment:
    id: int  # the testSessionId
    candidate: CandidateRow


@dataclass(frozen=True, slots=True)
class Allocated:
    component: ComponentRow
    version: int
    keycode: str


@dataclass(frozen=True, slots=True)
class Checked:
    """What the rules resolved: the rows a booking is written from."""

    package: PackageRow
    centre: CentreRow
    candidates: list[CandidateRow]


def schedule_test(scope: RequestScope, body: dict) -> tuple[Booked, list[Touched]]:
    _check(scope, body)  # refusals end here, without the writers' lock
    scope.write()
    # Under the lock, the same rules on the latest data (see the module's docstring).
    checked = _check(scope, body)
    return _write(scope, body, checked)


def _check(scope: RequestScope, body: dict) -> Checked:
    """Every rule of POST testschedule in order; the first failure raises."""
    sql = scope.sql
    refs = _candidate_refs(body)
    package = _package(sql, body)
    centre = _resolve(sql, q.CENTRE_BY, body["centre"], "Centre", "centre")
    candidates = _candidates(sql, refs)
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
    if body["testPackageDate"] < today and not scope.settings["allowPastTestPackageDate"]:
        raise invalid("ENR-3", today=today.isoformat(), field="testPackageDate")
    # DUP-1: the reference is the tenant's only schedule of that reference.
    reference = body.get("reference")
    if reference and sql.first(q.SCHEDULE_WITH_REFERENCE, value=reference) is not None:
        raise conflict("DUP-1", resource="test schedule", value=reference, field="reference")
    return Checked(package, centre, candidates)


def _candidate_refs(body: dict) -> list[dict]:
    refs = list(body.get("candidates") or [])
    if body.get("candidate"):
        refs.append(body["candidate"])
    return refs


def _resolve(sql: SqlRunner, statements: dict, ref: dict, what: str, field: str):
    """JC-2: the row ``ref`` names, or a 400 naming it."""
    found = first_by_ref(sql, statements, ref)
    if found is None:
        raise invalid("JC-2", what=what, ref=ref_text(ref), field=field)
    return found


def _package_by(sql: SqlRunner, ref: dict) -> PackageRow | None:
    """The package ``ref`` names; two of one reference fail as the ORM lookup did."""
    if not ref:
        return None
    if ref.get("id") is not None:
        if not 0 < ref["id"] <= MAX_ID:
            return None
        rows = sql.all(q.PACKAGE_BY["id"], value=ref["id"])
    elif ref.get("reference"):
        rows = sql.all(q.PACKAGE_BY["reference"], value=ref["reference"])
    else:
        return None
    if len(rows) > 1:
        raise MultipleResultsFound("Multiple rows were found when one or none was required")
    return rows[0] if rows else None


def _package(sql: SqlRunner, body: dict) -> PackageRow:
    by_number = body.get("testPackageId")
    named = body.get("testPackage")
    package = None
    if by_number is not None:
        package = _package_by(sql, {"id": by_number})
        if package is None:
            raise invalid("JC-2", what="Test package", ref=by_number, field="testPackageId")
    if named:
        other = _package_by(sql, named)
        if other is None:
            raise invalid("JC-2", what="Test package", ref=ref_text(named), field="testPackage")
        # ENR-2: both given, and they name different packages.
        if package is not None and other.pk != package.pk:
            raise invalid("ENR-2", field="testPackage")
        package = other
    return package


def _candidates(sql: SqlRunner, refs: list[dict]) -> list[CandidateRow]:
    """JC-2 for every candidate, all reported together; one row per ref, in order."""
    rows, missing = [], []
    for ref in refs:
        row = first_by_ref(sql, q.CANDIDATE_BY, ref)
        if row is None:
            missing.append(rule("JC-2", what="Candidate", ref=ref_text(ref), field="candidates"))
        rows.append(row)
    if missing:
        raise ValidationFailed(*missing)
    return rows


def derived_schedule_reference(sql: SqlRunner, seed: int, new_id: int) -> str:
    """``TS-`` + 8 hex digits from the seed and the id: the first no schedule of the
    tenant has (``core.keys``' derivation, asked through a precompiled statement)."""
    return first_free_reference(
        lambda reference: sql.first(q.SCHEDULE_WITH_REFERENCE, value=reference) is not None,
        seed, "testschedule", new_id, prefix="TS-", hex_digits=8,
    )


def _write(scope: RequestScope, body: dict, checked: Checked) -> tuple[Booked, list[Touched]]:
    """Insert the schedule, an enrolment per candidate and an allocation per component
    of the package; under the writers' lock (ids and the derived reference)."""
    sql, seed = scope.sql, scope.seed
    components = sql.all(q.COMPONENTS_OF_PACKAGE, value=checked.package.pk)
    schedule_id = next_id(sql, q.SCHEDULES)
    reference = body.get("reference") or derived_schedule_reference(sql, seed, schedule_id)
    schedule_pk = sql.scalar(
        q.INSERT_SCHEDULE,
        id=schedule_id,
        reference=reference,
        package_pk=checked.package.pk,
        centre_pk=checked.centre.pk,
        test_package_date=body["testPackageDate"],
        extend_validity_period=bool(body.get("extendValidityPeriod")),
        room_reference=body.get("roomReference"),
        retired=False,
        created_at=scope.now,
    )
    enrolment_ids = next_ids(sql, q.ENROLMENTS, len(checked.candidates))
    # A package without components allocates nothing: no counter is touched, as before.
    wanted = len(checked.candidates) * len(components)
    allocation_ids = iter(next_ids(sql, q.ALLOCATIONS, wanted) if wanted else ())
    touched = []
    for candidate, enrolment_id in zip(checked.candidates, enrolment_ids, strict=True):
        enrolment_pk = sql.scalar(
            q.INSERT_ENROLMENT,
            id=enrolment_id,
            schedule_pk=schedule_pk,
            candidate_pk=candidate.pk,
            completed=False,
        )
        allocated = [
            _allocate(sql, seed, enrolment_id, enrolment_pk, component, next(allocation_ids))
            for component in components
        ]
        touched.append(Touched(BookedEnrolment(enrolment_id, candidate), allocated))
    return Booked(schedule_id, reference), touched


def _allocate(sql: SqlRunner, seed: int, enrolment_id: int, enrolment_pk: int,
              component: ComponentRow, allocation_id: int) -> Allocated:
    """The first sitting (attempt 0) of ``component`` for an enrolment."""
    version = version_for(seed, enrolment_id, component.id, 0, component.versions)
    keycode = keycode_for(seed, enrolment_id, component.id, 0)
    sql.run(
        q.INSERT_ALLOCATION,
        id=allocation_id,
        enrolment_pk=enrolment_pk,
        component_pk=component.pk,
        version=version,
        keycode=keycode,
        attempt=0,
        completed=False,
    )
    return Allocated(component, version, keycode)


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
