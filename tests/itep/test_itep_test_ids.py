"""Test IDs: 8 characters of ``[A-Z0-9]`` then the product code, for seeded IDs, IDs added
with the inventory control and IDs sold at fulfillment; the same seed gives the same IDs
(seeded, added and sold alike), another seed others; no ID twice in a tenant."""

from __future__ import annotations

import pytest
from isupport import (
    OTHER_STATUSES,
    SEEDED_ASSIGNED,
    SEEDED_AVAILABLE,
    TEST_ID,
    assigned,
    available,
    every_test_id,
    exhaust,
    read_test,
)


def _add(t, product: str, count: int) -> list[str]:
    response = t.admin("POST", "/itep/inventory", json={"product_code": product, "count": count})
    assert response.status_code == 201, response.json
    return response.json["test_ids"]


def _sell(t, count: int) -> list[str]:
    exhaust(t, "AP")
    t.settings("itep", saleAtFulfillment={"AP": True})
    return [assigned(t)["test_id"] for _ in range(count)]


@pytest.fixture()
def twin(http, tenant):
    """Another tenant of the same seed (7) as ``tenant``."""
    created = http.post("/_sandbox/tenants", json={"seed": 7})
    assert created.status_code == 201, created.json
    handle = type(tenant)(created.json["tenant"], created.json["credentials"], http)
    yield handle
    http.delete(f"/_sandbox/tenants/{handle.id}")


def test_seeded_ids_have_the_format_and_the_products_suffix(tenant):
    ids = every_test_id(tenant)
    per_product = SEEDED_AVAILABLE + SEEDED_ASSIGNED + len(OTHER_STATUSES) + 1  # + Disabled
    assert len(ids) == 2 * per_product
    for test_id in ids:
        assert TEST_ID.fullmatch(test_id), test_id
        assert read_test(tenant, test_id)["product_code"] == test_id[-2:]
    assert sum(i.endswith("AP") for i in ids) == sum(i.endswith("BP") for i in ids) == per_product


def test_seeded_statuses(tenant):
    shown = [read_test(tenant, test_id) for test_id in every_test_id(tenant)]
    for product in ("AP", "BP"):
        mine = [s for s in shown if s["product_code"] == product]
        ready = [s for s in mine if s["status"] == "Ready"]
        assert len([s for s in ready if s["available"]]) == SEEDED_AVAILABLE
        assert len([s for s in ready if s["assigned_to"]]) == SEEDED_ASSIGNED
        others = sorted(s["status"] for s in mine if s["status"] != "Ready")
        assert others == sorted([*OTHER_STATUSES, "Disabled"])
        for s in mine:
            assert s["available"] == (s["status"] == "Ready" and s["assigned_to"] is None)
            assert s["source"] == "inventory"
    assert len(available(tenant, "AP")) == len(available(tenant, "BP")) == SEEDED_AVAILABLE


def test_added_and_sold_ids_have_the_format(tenant):
    for product in ("AP", "BP"):
        for test_id in _add(tenant, product, 50):
            assert TEST_ID.fullmatch(test_id) and test_id.endswith(product), test_id
    for test_id in _sell(tenant, 5):
        assert TEST_ID.fullmatch(test_id) and test_id.endswith("AP"), test_id


def test_one_seed_gives_the_same_ids(tenant, twin):
    assert every_test_id(tenant) == every_test_id(twin)
    assert available(tenant) == available(twin)
    assert _add(tenant, "AP", 10) == _add(twin, "AP", 10)
    assert _add(tenant, "BP", 3) == _add(twin, "BP", 3)
    assert _sell(tenant, 3) == _sell(twin, 3)
    # The same order of calls hands out the same IDs.
    assert every_test_id(tenant) == every_test_id(twin)


def test_another_seed_gives_other_ids(http, tenant):
    created = http.post("/_sandbox/tenants", json={"seed": 8})
    try:
        other = created.json["tenant"]
        sql_ids = set(every_test_id(tenant))
        shown = http.get(f"/_sandbox/tenants/{other}/itep/available-tests").json["test_ids"]
        theirs = {row["test_id"] for row in shown}
        assert len(theirs) == 2 * SEEDED_AVAILABLE
        assert not theirs & sql_ids
    finally:
        http.delete(f"/_sandbox/tenants/{other}")


def test_ids_are_unique_in_a_tenant(tenant):
    _add(tenant, "AP", 500)
    _add(tenant, "BP", 500)
    _sell(tenant, 10)
    ids = every_test_id(tenant)
    assert len(ids) == len(set(ids)) == 64 + 1000 + 10
    assert all(TEST_ID.fullmatch(i) for i in ids)
