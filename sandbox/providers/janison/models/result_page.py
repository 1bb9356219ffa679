"""GET ``/api/result`` without ``$filter`` or ``$orderBy`` (the default page), on
precompiled SQL: one count, one page of results with the ids and references of their
candidate, package and centre, and one query for the components of every result of the
page. The ORM loaded each result with its candidate, package and centre and, through
their eager relationships, the candidate's centres and tests and more, none of which the
page shows.

The rows feed ``ResultSchema`` unchanged: plain objects with the attributes it reads.
A filtered or reordered page still goes through core's listing (``envelopes.page``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select

from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.sql import Statement, tenant_check, tenant_is

from ..tables import JCandidate, JCentre, JComponent, JResult, JResultComponent, JTestPackage

RESULTS = JResult.__table__
RESULT_COMPONENTS = JResultComponent.__table__
CANDIDATES = JCandidate.__table__
PACKAGES = JTestPackage.__table__
CENTRES = JCentre.__table__
COMPONENTS = JComponent.__table__


@dataclass(frozen=True, slots=True)
class Ref:
    """A row named in the answer: ``{id, reference, href}``."""

    id: int
    reference: str


@dataclass(frozen=True, slots=True)
class ComponentRef:
    id: int
    reference: str
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class ResultRow:
    pk: int
    id: int
    reference: str
    final_scale_score: str | None
    overall_cefr_grade: str | None
    completion_date: datetime | None
    completed: bool
    voided: bool
    candidate_id: int
    candidate_reference: str
    package_id: int
    package_reference: str
    centre_id: int
    centre_reference: str


@dataclass(frozen=True, slots=True)
class ResultComponentRow:
    result_pk: int
    scale_score: str
    cefr_grade: str
    date_completed: datetime
    keycode: str
    included_in_total: bool
    raw_score: int
    completed: bool
    voided: bool
    component_id: int
    component_reference: str
    component_name: str
    component_type: str


@dataclass(frozen=True, slots=True)
class ResultComponent:
    """What ``ResultComponentSchema`` reads of a result's component."""

    scale_score: str
    cefr_grade: str
    date_completed: datetime
    keycode: str
    included_in_total: bool
    raw_score: int
    completed: bool
    voided: bool
    component: ComponentRef


@dataclass(frozen=True, slots=True)
class Result:
    """What ``ResultSchema`` reads of a result."""

    id: int
    reference: str
    candidate: Ref
    package: Ref
    centre: Ref
    components: list[ResultComponent]
    final_scale_score: str | None
    overall_cefr_grade: str | None
    completion_date: datetime | None
    completed: bool
    voided: bool


COUNT = Statement(
    lambda: select(func.count(RESULTS.c.pk)).where(tenant_is(RESULTS)),
    name="janison result count",
)
PAGE = Statement(
    lambda: select(
        RESULTS.c.pk,
        RESULTS.c.id,
        RESULTS.c.reference,
        RESULTS.c.final_scale_score,
        RESULTS.c.overall_cefr_grade,
        RESULTS.c.completion_date,
        RESULTS.c.completed,
        RESULTS.c.voided,
        CANDIDATES.c.id.label("candidate_id"),
        CANDIDATES.c.reference.label("candidate_reference"),
        PACKAGES.c.id.label("package_id"),
        PACKAGES.c.reference.label("package_reference"),
        CENTRES.c.id.label("centre_id"),
        CENTRES.c.reference.label("centre_reference"),
    )
    .join(CANDIDATES, CANDIDATES.c.pk == RESULTS.c.candidate_pk)
    .join(PACKAGES, PACKAGES.c.pk == RESULTS.c.package_pk)
    .join(CENTRES, CENTRES.c.pk == RESULTS.c.centre_pk)
    .where(tenant_is(RESULTS), tenant_is(CANDIDATES), tenant_is(PACKAGES), tenant_is(CENTRES))
    .order_by(RESULTS.c.id)
    .limit(bindparam("top"))
    .offset(bindparam("skip")),
    row=ResultRow,
    name="janison result page",
)
COMPONENTS_OF = Statement(
    lambda: select(
        RESULT_COMPONENTS.c.result_pk,
        RESULT_COMPONENTS.c.scale_score,
        RESULT_COMPONENTS.c.cefr_grade,
        RESULT_COMPONENTS.c.date_completed,
        RESULT_COMPONENTS.c.keycode,
        RESULT_COMPONENTS.c.included_in_total,
        RESULT_COMPONENTS.c.raw_score,
        RESULT_COMPONENTS.c.completed,
        RESULT_COMPONENTS.c.voided,
        COMPONENTS.c.id.label("component_id"),
        COMPONENTS.c.reference.label("component_reference"),
        COMPONENTS.c.name.label("component_name"),
        COMPONENTS.c.type.label("component_type"),
    )
    .join(COMPONENTS, COMPONENTS.c.pk == RESULT_COMPONENTS.c.component_pk)
    .where(
        # Found by their results' pks: tenant_check, or SQLite walks every result
        # component of the tenant by its (tenant_id, id) index instead of the page's.
        tenant_check(RESULT_COMPONENTS),
        tenant_check(COMPONENTS),
        RESULT_COMPONENTS.c.result_pk.in_(bindparam("result_pks", expanding=True)),
    )
    # Each result's components in id order, as JResult.components orders them.
    .order_by(RESULT_COMPONENTS.c.result_pk, RESULT_COMPONENTS.c.id),
    row=ResultComponentRow,
    expanding=["result_pks"],
    name="janison components of results",
)


def default_page(scope: RequestScope, top: int, skip: int) -> tuple[int, list[Result]]:
    """How many results the tenant has, and those of the page ``top``/``skip`` in id
    order with their components."""
    count = scope.sql.scalar(COUNT)
    rows = scope.sql.all(PAGE, top=top, skip=skip)
    if not rows:
        return count, []
    components = _components_of(scope, [row.pk for row in rows])
    return count, [_result(row, components.get(row.pk, [])) for row in rows]


def _components_of(scope: RequestScope, result_pks: list[int]) -> dict[int, list]:
    found: dict[int, list[ResultComponent]] = {}
    for row in scope.sql.all(COMPONENTS_OF, result_pks=result_pks):
        found.setdefault(row.result_pk, []).append(
            ResultComponent(
                row.scale_score,
                row.cefr_grade,
                row.date_completed,
                row.keycode,
                row.included_in_total,
                row.raw_score,
                row.completed,
                row.voided,
                ComponentRef(
                    row.component_id,
                    row.component_reference,
                    row.component_name,
                    row.component_type,
                ),
            )
        )
    return found


def _result(row: ResultRow, components: list[ResultComponent]) -> Result:
    return Result(
        id=row.id,
        reference=row.reference,
        candidate=Ref(row.candidate_id, row.candidate_reference),
        package=Ref(row.package_id, row.package_reference),
        centre=Ref(row.centre_id, row.centre_reference),
        components=components,
        final_scale_score=row.final_scale_score,
        overall_cefr_grade=row.overall_cefr_grade,
        completion_date=row.completion_date,
        completed=row.completed,
        voided=row.voided,
    )
