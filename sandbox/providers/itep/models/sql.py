"""The SQL of the two provisioning calls, compiled once (core/sql.py); every statement
carries ``tenant_is`` on each table it touches."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select, update

from exam_sandbox.core.sql import Statement, insert_row, select_by, tenant_is

from ..tables import IMessage, ITest, ITrackingCode

TESTS = ITest.__table__
MESSAGES = IMessage.__table__
TRACKING_CODES = ITrackingCode.__table__


@dataclass(frozen=True, slots=True)
class FreeTest:
    pk: int
    test_id: str


TRACKING_CODE = select_by(TRACKING_CODES, "code", "pk")
# The next available test ID of a product: the lowest id that is Ready and unassigned
# (one read of ix_itep_test_available).
NEXT_AVAILABLE = Statement(
    lambda: (
        select(TESTS.c.pk, TESTS.c.test_id)
        .where(
            tenant_is(TESTS),
            TESTS.c.product_pk == bindparam("product_pk"),
            TESTS.c.available.is_(True),
        )
        .order_by(TESTS.c.id)
        .limit(1)
    ),
    row=FreeTest,
    name="itep next available test id",
)
TEST_WITH_ID = select_by(TESTS, "test_id", "pk")
# I9: taken only if still available, so a test ID is never handed out twice even if two
# writers ever met here (the writers' lock already keeps them apart).
ASSIGN = Statement(
    lambda: (
        update(TESTS)
        .where(tenant_is(TESTS), TESTS.c.pk == bindparam("test_pk"), TESTS.c.available.is_(True))
        .values(
            available=False,
            assigned_to=bindparam("assigned_to"),
            oid=bindparam("oid"),
            tracking_code=bindparam("tracking_code"),
            emailed_to=bindparam("emailed_to"),
            assigned_at=bindparam("assigned_at"),
        )
    ),
    name="itep assign a test id",
)
INSERT_SOLD = Statement(
    lambda: insert_row(
        TESTS,
        "id",
        "test_id",
        "product_pk",
        "status",
        "available",
        "assigned_to",
        "oid",
        "tracking_code",
        "emailed_to",
        "assigned_at",
        "source",
        "status_changed_at",
        "levels",
        "duration",
    ),
    name="itep insert a test id sold at fulfillment",
)
INSERT_MESSAGE = Statement(
    lambda: insert_row(MESSAGES, "id", "recipient", "test_id", "subject", "body", "sent_at"),
    name="itep insert an outbox message",
)
