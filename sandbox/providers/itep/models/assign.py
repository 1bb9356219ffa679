"""``POST /test-ids/assign`` and ``/test-ids/assign-and-email``: one body, rules I3-I8 in
the order of docs/providers/itep-wire.md, then I5 (an available test ID, or a sale at
fulfillment), I6 (an assigned one is never chosen) and I7 (Assigned-to set, status still
Ready). A refused call uses no ID and sends no e-mail.

I9, never the same test ID twice: the checks read without the writers' lock; then
``scope.write()`` takes it (one writer at a time, across every worker of the server),
the tracking code is checked again, and the lowest available ID is read and taken by an
UPDATE that requires it to be still available, in the same transaction. A second caller
waits for the lock and, once it has it, reads the state the first one committed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from exam_sandbox.core.ids import next_id
from exam_sandbox.core.scope import RequestScope

from ..errors import NoneAvailable, invalid, rule
from ..wire import READY, TEXT_LIMIT, is_email, test_id_for
from . import sql as q

CANDIDATE_DETAILS = ("name", "email", "reference")


@dataclass(frozen=True, slots=True)
class Request:
    assigned_to: dict
    oid: str | None
    tracking_code: str | None
    email: str | None  # the address the email call sends to


@dataclass(frozen=True, slots=True)
class Assigned:
    test_id: str
    product_code: str
    assigned_to: dict
    oid: str | None
    tracking_code: str | None
    source: str  # "inventory" or "sale"
    emailed_to: str | None


def assign(scope: RequestScope, body, *, email: bool) -> Assigned:
    product = scope.user  # the key's product (auth.ProductKey)
    wanted = _checked(scope, body, email=email)  # refusals end here, without the lock
    scope.write()
    _known_tracking_code(scope, wanted.tracking_code)  # again, on the latest data
    sql = scope.sql
    free = sql.first(q.NEXT_AVAILABLE, product_pk=product.product_pk)
    values = dict(
        assigned_to=wanted.assigned_to,
        oid=wanted.oid,
        tracking_code=wanted.tracking_code,
        emailed_to=wanted.email,
        assigned_at=scope.now,
    )
    if free is not None:
        taken = sql.run(q.ASSIGN, test_pk=free.pk, **values)
        if taken != 1:  # unreachable while writes hold the lock; never hand it out twice
            raise RuntimeError(f"test ID {free.test_id} was taken meanwhile")
        test_id, source = free.test_id, "inventory"
    elif scope.settings["saleAtFulfillment"].get(product.code):
        test_id, source = _sell(scope, product, values), "sale"
    else:
        raise NoneAvailable(rule("I5", product=product.code))
    if wanted.email is not None:
        _send(scope, wanted, test_id)
    return Assigned(
        test_id,
        product.code,
        wanted.assigned_to,
        wanted.oid,
        wanted.tracking_code,
        source,
        wanted.email,
    )


def _checked(scope: RequestScope, body, *, email: bool) -> Request:
    if not isinstance(body, dict):
        raise invalid("REQ-1", field="request", problem="the body must be a JSON object")
    assigned_to = _assigned_to(body.get("assigned_to"))  # I3
    if scope.settings["requireCandidateDetails"]:  # I4
        missing = [k for k in CANDIDATE_DETAILS if not _text(assigned_to.get(k))]
        if missing:
            raise invalid("I4", missing=", ".join(missing))
    oid = _optional_text(body.get("oid"), "OID-1")
    tracking_code = _optional_text(body.get("tracking_code"), "TRK-1")
    _known_tracking_code(scope, tracking_code)
    address = None
    if email:  # I8
        address = assigned_to.get("email")
        address = address.strip() if isinstance(address, str) else address
        if not is_email(address):
            raise invalid("I8")
    return Request(assigned_to, oid, tracking_code, address)


def _assigned_to(value) -> dict:
    """I3: a JSON object, or the JSON text of one, and not empty: an empty Assigned-to is
    what makes a Ready test ID available (I6), so an assigned one must never have it."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise invalid("I3") from None
    if not isinstance(value, dict) or not value:
        raise invalid("I3")
    return value


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _optional_text(value, rule_id: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= TEXT_LIMIT:
        raise invalid(rule_id)
    return value


def _known_tracking_code(scope: RequestScope, code: str | None) -> None:
    if code is not None and scope.sql.first(q.TRACKING_CODE, value=code) is None:
        raise invalid("TRK-2", code=code)


def _sell(scope: RequestScope, product, values: dict) -> str:
    """A sale at fulfillment: a new test ID, assigned at once."""
    sql = scope.sql
    number = next_id(sql, q.TESTS)
    test_id = free_test_id(scope, product.code, number)
    sql.run(
        q.INSERT_SOLD,
        id=number,
        test_id=test_id,
        product_pk=product.product_pk,
        status=READY,
        available=False,
        source="sale",
        status_changed_at=None,
        levels=None,
        duration=None,
        **values,
    )
    return test_id


def free_test_id(scope: RequestScope, product_code: str, number: int) -> str:
    """The seed's test ID for ``number``, or the next candidate if the tenant has it."""
    for attempt in range(100):
        test_id = test_id_for(scope.seed, product_code, number, attempt)
        if scope.sql.first(q.TEST_WITH_ID, value=test_id) is None:
            return test_id
    raise RuntimeError("no free test ID")  # 36**8 candidates: unreachable


def _send(scope: RequestScope, wanted: Request, test_id: str) -> None:
    """The email call: iTEP mails the test ID and test material; here, the outbox."""
    name = wanted.assigned_to.get("name")
    greeting = f"Dear {name}," if isinstance(name, str) and name.strip() else "Hello,"
    scope.sql.run(
        q.INSERT_MESSAGE,
        id=next_id(scope.sql, q.MESSAGES),
        recipient=wanted.email,
        test_id=test_id,
        subject=f"Your iTEP test ID: {test_id}",
        body=f"{greeting}\n\nYour iTEP test ID is {test_id}. Use it to sign in at "
        "iteponline.com and take your test.\n",
        sent_at=scope.now,
    )
