"""The SQL of POST testschedule, compiled once (core/sql.py), and the rows it reads.

Each statement is limited to the request's tenant by ``tenant_is`` on every table it
touches (compiling one without it raises). Rows are plain frozen dataclasses holding
only what the rules and the answer read: a schedule loads no ORM object, relationship
or identity map.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from exam_sandbox.core.sql import Statement, insert_row, select_by, tenant_is

from ..tables import (
    JCandidate,
    JCentre,
    JComponent,
    JEnrolment,
    JEnrolmentComponent,
    JSchedule,
    JTestPackage,
)

PACKAGES = JTestPackage.__table__
COMPONENTS = JComponent.__table__
CENTRES = JCentre.__table__
CANDIDATES = JCandidate.__table__
SCHEDULES = JSchedule.__table__
ENROLMENTS = JEnrolment.__table__
ALLOCATIONS = JEnrolmentComponent.__table__


@dataclass(frozen=True, slots=True)
class PackageRow:
    pk: int
    id: int
    reference: str


@dataclass(frozen=True, slots=True)
class ComponentRow:
    """A component of the package: the answer names it by ``id`` and ``reference``."""

    pk: int
    id: int
    reference: str
    versions: int


@dataclass(frozen=True, slots=True)
class CentreRow:
    pk: int
    id: int
    retired: bool


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """A candidate: the answer names it by ``id`` and ``reference``."""

    pk: int
    id: int
    reference: str
    retired: bool


PACKAGE_BY = {
    # Package references are not unique by constraint: two rows are read so a clash is
    # seen (as the ORM's scalar_one_or_none saw it) rather than one picked at random.
    key: select_by(PACKAGES, key, "pk", "id", "reference", row=PackageRow, order="id", limit=2)
    for key in ("id", "reference")
}
COMPONENTS_OF_PACKAGE = select_by(
    COMPONENTS, "package_pk", "pk", "id", "reference", "versions", row=ComponentRow, order="id"
)
CENTRE_BY = {
    key: select_by(CENTRES, key, "pk", "id", "retired", row=CentreRow)
    for key in ("id", "reference")
}
CANDIDATE_BY = {
    key: select_by(CANDIDATES, key, "pk", "id", "reference", "retired", row=CandidateRow)
    for key in ("id", "reference")
}
CENTRE_BY_PK = select_by(CENTRES, "pk", "pk", "id", "retired", row=CentreRow)
CANDIDATES_BY_PK = Statement(
    lambda: select(
        CANDIDATES.c.pk, CANDIDATES.c.id, CANDIDATES.c.reference, CANDIDATES.c.retired
    ).where(tenant_is(CANDIDATES), CANDIDATES.c.pk.in_(bindparam("pks", expanding=True))),
    row=CandidateRow,
    expanding=["pks"],
    name="janison candidates by pk",
)
SCHEDULE_WITH_REFERENCE = select_by(SCHEDULES, "reference", "pk", limit=1)

SCHEDULE_COLUMNS = (
    "id", "reference", "package_pk", "centre_pk", "test_package_date",
    "extend_validity_period", "room_reference", "retired", "created_at",
)
INSERT_SCHEDULE = Statement(
    lambda: insert_row(SCHEDULES, *SCHEDULE_COLUMNS).returning(SCHEDULES.c.pk),
    name="insert janison test schedule",
)
INSERT_ENROLMENT = Statement(
    lambda: insert_row(ENROLMENTS, "id", "schedule_pk", "candidate_pk", "completed").returning(
        ENROLMENTS.c.pk
    ),
    name="insert janison enrolment",
)
INSERT_ALLOCATION = Statement(
    lambda: insert_row(
        ALLOCATIONS, "id", "enrolment_pk", "component_pk", "version", "keycode", "attempt",
        "completed",
    ),
    name="insert janison enrolment component",
)
