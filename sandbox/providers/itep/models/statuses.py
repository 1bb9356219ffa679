"""Moving a test through its statuses (a control): the status, optional section levels
and duration, and the results webhook when the move is one of its triggers and the test
has a tracking code."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from exam_sandbox.core.errors import ErrorDetail, ValidationFailed
from exam_sandbox.core.scope import RequestScope

from ..tables import IProduct, ITrackingCode
from ..webhook import fires, payload, send_results
from ..wire import is_available
from .inventory import TestView, find_test


@dataclass(frozen=True, slots=True)
class Moved:
    view: TestView
    previous: str
    webhook: int | None  # the delivery id, when the move fired the webhook


def move(
    scope: RequestScope,
    test_id: str,
    status: str,
    *,
    levels: dict | None,
    duration: int | None,
    report_url: str,
) -> Moved:
    session = scope.session
    view = find_test(scope, test_id)
    test = view.test
    sections = session.execute(
        select(IProduct.sections).where(IProduct.pk == test.product_pk)
    ).scalar()
    if levels:
        unknown = sorted(set(levels) - set(sections))
        if unknown:
            raise ValidationFailed(
                ErrorDetail(
                    400,
                    f"{', '.join(unknown)}: not a section of {view.product_code} "
                    f"({', '.join(sections)})",
                )
            )
        # Levels have one decimal (the wire); the webhook and the report show them so.
        test.levels = {**(test.levels or {}), **{k: round(v, 1) for k, v in levels.items()}}
    if duration is not None:
        test.duration = duration
    previous = test.status
    test.status = status
    test.available = is_available(status, test.assigned_to)
    test.status_changed_at = scope.now
    session.flush()
    delivery = None
    if test.tracking_code is not None:
        code = session.execute(
            select(ITrackingCode).where(ITrackingCode.code == test.tracking_code)
        ).scalar()
        if code is not None and fires(previous, status, code.on_finished):
            data = payload(scope, test, sections, scope.now, report_url)
            delivery = send_results(scope, code.url, data)
    return Moved(view, previous, delivery)
