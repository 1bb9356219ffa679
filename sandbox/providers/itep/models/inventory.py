"""The inventory controls: add test IDs, the AVAILABLE TESTS panel's export, the outbox,
a test read back, the tracking codes and a key's revocation. Cold paths, on the ORM
session of a control's scope."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from exam_sandbox.core.auth_cache import bump
from exam_sandbox.core.db import bulk_insert, next_id
from exam_sandbox.core.errors import ErrorDetail, NotFound, ValidationFailed
from exam_sandbox.core.ids import next_ids
from exam_sandbox.core.scope import RequestScope

from ..tables import IMessage, IProduct, ITest, ITrackingCode
from ..wire import READY, TEXT_LIMIT, test_id_for


@dataclass(frozen=True, slots=True)
class TestView:
    test: ITest
    product_code: str


def product(scope: RequestScope, code: str) -> IProduct:
    found = scope.session.execute(select(IProduct).where(IProduct.code == code)).scalar()
    if found is None:
        raise NotFound(ErrorDetail(404, f"No product code '{code}'"))
    return found


def add_inventory(scope: RequestScope, product_code: str, count: int) -> list[str]:
    """``count`` new test IDs, Ready and unassigned: assignable at once. Written in one
    bulk insert; the IDs follow the seed, as seeded ones do."""
    session = scope.session
    owner = product(scope, product_code)
    numbers = next_ids(scope.sql, ITest.__table__, count)
    taken = set(session.execute(select(ITest.test_id)).scalars())
    made = []
    for number in numbers:
        test_id = next(
            t
            for a in range(100)
            if (t := test_id_for(scope.seed, product_code, number, a)) not in taken
        )
        taken.add(test_id)
        made.append(test_id)
    bulk_insert(
        session,
        ITest,
        [
            {
                "tenant_id": scope.tenant_id,
                "id": number,
                "test_id": test_id,
                "product_pk": owner.pk,
                "status": READY,
                "available": True,
                "assigned_to": None,
                "oid": None,
                "tracking_code": None,
                "emailed_to": None,
                "assigned_at": None,
                "source": "inventory",
                "status_changed_at": None,
                "levels": None,
                "duration": None,
            }
            for number, test_id in zip(numbers, made, strict=True)
        ],
    )
    return made


def available(scope: RequestScope, product_code: str | None) -> list[TestView]:
    """Exactly the available test IDs (Ready and an empty Assigned-to), by id."""
    query = (
        select(ITest, IProduct.code)
        .join(IProduct, IProduct.pk == ITest.product_pk)
        .where(ITest.available.is_(True))
        .order_by(ITest.id)
    )
    if product_code is not None:
        query = query.where(IProduct.code == product(scope, product_code).code)
    return [TestView(test, code) for test, code in scope.session.execute(query)]


def find_test(scope: RequestScope, test_id: str) -> TestView:
    found = scope.session.execute(
        select(ITest, IProduct.code)
        .join(IProduct, IProduct.pk == ITest.product_pk)
        .where(ITest.test_id == test_id)
    ).first()
    if found is None:
        raise NotFound(ErrorDetail(404, f"No test ID '{test_id}' in this tenant"))
    return TestView(*found)


def outbox(scope: RequestScope) -> list[IMessage]:
    return list(scope.session.execute(select(IMessage).order_by(IMessage.id)).scalars())


def put_tracking_code(
    scope: RequestScope, code: str, url: str, on_finished: bool
) -> tuple[ITrackingCode, bool]:
    """Create or replace a tracking code; whether it was created. The code is one an
    assign call can name: 1 to 100 characters (TRK-1)."""
    if not 1 <= len(code) <= TEXT_LIMIT:
        raise ValidationFailed(
            ErrorDetail(400, f"a tracking code has 1 to {TEXT_LIMIT} characters")
        )
    session = scope.session
    found = session.execute(select(ITrackingCode).where(ITrackingCode.code == code)).scalar()
    created = found is None
    if created:
        found = ITrackingCode(
            tenant_id=scope.tenant_id,
            id=next_id(session, ITrackingCode, scope.tenant_id),
            code=code,
        )
        session.add(found)
    found.url, found.on_finished = url, on_finished
    session.flush()
    return found, created


def tracking_codes(scope: RequestScope) -> list[ITrackingCode]:
    return list(scope.session.execute(select(ITrackingCode).order_by(ITrackingCode.id)).scalars())


def set_key_revoked(scope: RequestScope, product_code: str, revoked: bool) -> IProduct:
    """Revoke (or restore) a product's API key (I2); every worker's cached key goes."""
    owner = product(scope, product_code)
    owner.key_revoked = revoked
    bump(scope.session, scope.tenant_id)
    scope.session.flush()
    return owner
