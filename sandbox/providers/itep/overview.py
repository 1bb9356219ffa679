"""What iTEP's Local Administrator screens would show of a tenant (core/overview.py):
the inventory per product code (available, assigned, total) and the test IDs with their
status and Assigned-to, newest touched first, with the controls of ``admin.py`` as
buttons: move an assigned test to a status, add test IDs.

Read only, through the scope's session (the tenant criterion adds the tenant to every
statement): one statement for the inventory's counts, one for the test IDs shown. A
test is "touched" when it is assigned or its status changes; the untouched (the seeded
and added inventory) follow, those not available first, then by id, newest first.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import and_, case, func, select

from exam_sandbox.core.overview import (
    ROWS_SHOWN,
    Action,
    Column,
    Overview,
    Row,
    Table,
    control_path,
)
from exam_sandbox.core.scope import RequestScope

from .description import DESCRIPTION
from .tables import IProduct, ITest
from .wire import PRODUCTS, READY, label

VENDOR = DESCRIPTION.name
ADDED = 10  # the "Add 10 test IDs" buttons
ASSIGNED_TO_SHOWN = 120  # characters of an Assigned-to without a name or an e-mail

INVENTORY_COLUMNS = (
    Column("product", "Product code", "code"),
    Column("name", "Product"),
    Column("available", "Available"),
    Column("assigned", "Assigned"),
    Column("total", "Total"),
)
TEST_COLUMNS = (
    Column("test_id", "Test ID", "code"),
    Column("product", "Product", "code"),
    Column("status", "Status", "status"),
    Column("assigned_to", "Assigned to"),
    Column("oid", "OID"),
    Column("tracking_code", "Tracking code", "code"),
    Column("assigned_at", "Assigned at (UTC)"),
)
# The buttons on an assigned test: (name, the stored status it moves to, label, the
# stored statuses it is offered from). The control takes either status list's labels;
# each button sends the label the site shows (``statusLabels``).
MOVES = (
    ("status-Started", "Incomplete", "Start", {READY}),
    ("status-Complete", "Complete", "Complete", {READY, "Incomplete", "Finished", "Review"}),
    ("status-Ready", READY, "Reset to Ready", None),  # None: from any status but Ready
)


def overview(scope: RequestScope) -> Overview:
    inventory = _inventory(scope)
    total = sum(r.cells["total"] for r in inventory)
    return Overview(
        vendor=VENDOR,
        title=DESCRIPTION.title,
        tables=(
            Table(
                "inventory",
                "Inventory",
                INVENTORY_COLUMNS,
                inventory,
                len(inventory),
                empty="No product codes.",
            ),
            Table(
                "tests",
                "Test IDs",
                TEST_COLUMNS,
                _test_rows(scope),
                total,
                empty="No test IDs: add some to the inventory.",
            ),
        ),
        actions=tuple(
            Action(
                f"add-{code}",
                f"Add {ADDED} {code} test IDs",
                "POST",
                control_path(scope.tenant_id, VENDOR, "inventory"),
                {"product_code": code, "count": ADDED},
            )
            for code in PRODUCTS
        ),
    )


def _inventory(scope: RequestScope) -> tuple[Row, ...]:
    """Per product code: available (Ready, empty Assigned-to), assigned, total."""
    assigned = ITest.assigned_to.is_not(None)
    found = scope.session.execute(
        select(
            IProduct.code,
            IProduct.name,
            func.count(ITest.pk),
            func.coalesce(func.sum(case((ITest.available.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((assigned, 1), else_=0)), 0),
        )
        .outerjoin(ITest, ITest.product_pk == IProduct.pk)
        .group_by(IProduct.id, IProduct.code, IProduct.name)
        .order_by(IProduct.id)
    ).all()
    return tuple(
        Row(
            key=code,
            cells={
                "product": code,
                "name": name,
                "available": int(available),
                "assigned": int(assigned_count),
                "total": int(total),
            },
        )
        for code, name, total, available, assigned_count in found
    )


def _test_rows(scope: RequestScope) -> tuple[Row, ...]:
    # The later of the assignment and the last status change (None: never touched);
    # spelled as a CASE, the same on every store.
    touched = case(
        (ITest.status_changed_at.is_(None), ITest.assigned_at),
        (ITest.assigned_at.is_(None), ITest.status_changed_at),
        (ITest.status_changed_at > ITest.assigned_at, ITest.status_changed_at),
        else_=ITest.assigned_at,
    )
    found = scope.session.execute(
        select(
            ITest.test_id,
            IProduct.code,
            ITest.status,
            ITest.assigned_to,
            ITest.oid,
            ITest.tracking_code,
            ITest.assigned_at,
        )
        .join(IProduct, IProduct.pk == ITest.product_pk)
        .order_by(
            case(
                (and_(ITest.status_changed_at.is_(None), ITest.assigned_at.is_(None)), 1), else_=0
            ),
            touched.desc(),
            ITest.available,
            ITest.id.desc(),
        )
        .limit(ROWS_SHOWN)
    ).all()
    vocabulary = scope.settings["statusLabels"]
    return tuple(_test_row(scope, vocabulary, *row) for row in found)


def _test_row(
    scope: RequestScope,
    vocabulary: str,
    test_id: str,
    product: str,
    status: str,
    assigned_to,
    oid: str | None,
    tracking_code: str | None,
    assigned_at: datetime | None,
) -> Row:
    actions = ()
    if assigned_to:  # the buttons are for a candidate's test, not the inventory's
        path = control_path(scope.tenant_id, VENDOR, "tests", test_id, "status")
        actions = tuple(
            Action(name, text, "POST", path, {"status": label(target, vocabulary)})
            for name, target, text, sources in MOVES
            if (status in sources if sources is not None else status != READY)
        )
    return Row(
        key=test_id,
        cells={
            "test_id": test_id,
            "product": product,
            "status": label(status, vocabulary),
            "assigned_to": assigned_to_text(assigned_to),
            "oid": oid,
            "tracking_code": tracking_code,
            "assigned_at": None if assigned_at is None else f"{assigned_at:%Y-%m-%dT%H:%M:%SZ}",
        },
        actions=actions,
    )


def assigned_to_text(value) -> str | None:
    """``Name <email>`` (or the one of them there is); any other object as its JSON."""
    if not value:
        return None
    if isinstance(value, dict):
        name, email = value.get("name"), value.get("email")
        name = name.strip() if isinstance(name, str) else None
        email = email.strip() if isinstance(email, str) else None
        if name and email:
            return f"{name} <{email}>"
        if name or email:
            return name or email
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= ASSIGNED_TO_SHOWN else text[: ASSIGNED_TO_SHOWN - 1] + "…"
