"""Deterministic seed data (interface page): one Local Administrator; product codes AP
and BP, each with its API key; per product 20 available test IDs, 5 assigned (Ready, but
Assigned-to filled in: not available) and one in each other status. Test IDs come from
the seed, so the same seed gives the same inventory."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session

from exam_sandbox.core.db import bulk_insert

from .tables import IAdministrator, IProduct, ITest
from .wire import PRODUCTS, READY, STATUSES, test_id_for

AVAILABLE = 20
ASSIGNED = 5
OTHER_STATUSES = [s for s in STATUSES if s != READY]


def seed_tenant(
    session: Session, tenant_id: str, seed: int, administrator: str, keys: dict[str, str]
) -> None:
    bulk_insert(
        session,
        IAdministrator,
        [
            {
                "tenant_id": tenant_id,
                "id": 1,
                "name": administrator,
                "email": "la@sandbox.example",
            }
        ],
    )
    product_pks = bulk_insert(
        session,
        IProduct,
        [
            {
                "tenant_id": tenant_id,
                "id": n,
                "code": code,
                "name": name,
                "sections": list(sections),
                "api_key": keys[code],
                "key_revoked": False,
            }
            for n, (code, (name, sections)) in enumerate(PRODUCTS.items(), 1)
        ],
    )
    rows = [
        {"tenant_id": tenant_id, "product_pk": product_pks[product_index], **row}
        for product_index, row in seeded_tests(seed)
    ]
    bulk_insert(session, ITest, rows)


@lru_cache(maxsize=32)
def seeded_tests(seed: int) -> tuple[tuple[int, dict], ...]:
    """The seed's test rows (which product, then the row's values), made once per seed:
    deriving 64 test IDs costs more than writing them. Rows are copied by the caller."""
    made, number, taken = [], 0, set()
    for product_index, code in enumerate(PRODUCTS):
        plan = (
            [(READY, None)] * AVAILABLE
            + [
                (
                    READY,
                    {
                        "name": f"Seeded Candidate {i}",
                        "email": f"seeded{i}@example.com",
                        "reference": f"SEED-{code}-{i}",
                    },
                )
                for i in range(1, ASSIGNED + 1)
            ]
            + [
                (
                    status,
                    {
                        "name": "Past Candidate",
                        "email": "past@example.com",
                        "reference": f"PAST-{code}-{status}",
                    },
                )
                for status in OTHER_STATUSES
            ]
        )
        for status, assigned in plan:
            number += 1
            test_id = next(
                t for a in range(100) if (t := test_id_for(seed, code, number, a)) not in taken
            )
            taken.add(test_id)
            made.append(
                (
                    product_index,
                    {
                        "id": number,
                        "test_id": test_id,
                        "status": status,
                        "available": status == READY and not assigned,
                        "assigned_to": assigned,
                        "oid": None,
                        "tracking_code": None,
                        "emailed_to": None,
                        "assigned_at": None,
                        "source": "inventory",
                        "status_changed_at": None,
                        "levels": None,
                        "duration": None,
                    },
                )
            )
    return tuple(made)
