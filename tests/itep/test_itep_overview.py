"""iTEP's console panel, ``GET /_sandbox/tenants/<id>/overview/itep``: the inventory per
product code and the test IDs (status, Assigned-to), newest touched first, and its
buttons, which are iTEP's documented controls: each is pressed here and changes the
panel."""

from __future__ import annotations

import pytest
from isupport import (
    CANDIDATE,
    NOW,
    SEEDED_ASSIGNED,
    SEEDED_AVAILABLE,
    assigned,
    every_test_id,
    read_test,
    tracking_code,
)
from support import table_of

from exam_sandbox.core.overview import ROWS_SHOWN

LATER = "2027-03-07T11:00:00Z"
LATEST = "2027-03-07T12:00:00Z"
SEEDED_OTHER = 7  # one test in each status but Ready, per product
SEEDED_TOTAL = SEEDED_AVAILABLE + SEEDED_ASSIGNED + SEEDED_OTHER


def overview(t) -> dict:
    return t.overview("itep")


def listed_rows(t) -> list[dict]:
    return table_of(overview(t), "tests")["rows"]


def row(t, test_id: str) -> dict:
    return next(r for r in listed_rows(t) if r["key"] == test_id)


def inventory(t) -> dict[str, dict]:
    return {r["key"]: r["cells"] for r in table_of(overview(t), "inventory")["rows"]}


def names(found: dict) -> list[str]:
    return [a["name"] for a in found["actions"]]


def press(t, button: dict):
    """Call the button's control as the console would: its method, path and JSON body."""
    response = t.http.open(button["path"], method=button["method"], json=button["body"])
    assert 200 <= response.status_code < 300, response.json
    return response.json


def press_on(t, found: dict, name: str):
    return press(t, next(a for a in found["actions"] if a["name"] == name))


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


def test_a_seeded_tenant(t):
    view = overview(t)
    assert view["vendor"] == "itep"
    assert view["title"] == "iTEP"
    assert [x["name"] for x in view["tables"]] == ["inventory", "tests"]
    stock = table_of(view, "inventory")
    assert stock["total"] == 2
    assert stock["rows"] == [
        {
            "key": code,
            "cells": {
                "product": code,
                "name": name,
                "available": SEEDED_AVAILABLE,
                "assigned": SEEDED_ASSIGNED + SEEDED_OTHER,
                "total": SEEDED_TOTAL,
            },
            "actions": [],
        }
        for code, name in (("AP", "Academic-Plus"), ("BP", "Business-Plus"))
    ]
    listed = table_of(view, "tests")
    assert listed["title"] == "Test IDs"
    assert [(c["key"], c["kind"]) for c in listed["columns"]] == [
        ("test_id", "code"),
        ("product", "code"),
        ("status", "status"),
        ("assigned_to", "text"),
        ("oid", "text"),
        ("tracking_code", "code"),
        ("assigned_at", "text"),
    ]
    assert listed["total"] == 2 * SEEDED_TOTAL
    # Nothing touched yet: those not available first (BP's, then AP's), then the
    # available ones, newest first.
    ids = every_test_id(t)  # by id: AP's 32, then BP's 32
    ap, bp = ids[:SEEDED_TOTAL], ids[SEEDED_TOTAL:]
    expected = (
        bp[SEEDED_AVAILABLE:][::-1]
        + ap[SEEDED_AVAILABLE:][::-1]
        + bp[:SEEDED_AVAILABLE][::-1]
        + ap[:SEEDED_AVAILABLE][::-1]
    )[:ROWS_SHOWN]
    assert [r["key"] for r in listed["rows"]] == expected
    first_available = listed["rows"][2 * (SEEDED_ASSIGNED + SEEDED_OTHER)]
    assert first_available == {
        "key": bp[SEEDED_AVAILABLE - 1],
        "cells": {
            "test_id": bp[SEEDED_AVAILABLE - 1],
            "product": "BP",
            "status": "Ready",
            "assigned_to": None,
            "oid": None,
            "tracking_code": None,
            "assigned_at": None,
        },
        "actions": [],  # the inventory's own tests have no buttons
    }
    seeded_complete = next(r for r in listed["rows"] if r["cells"]["status"] == "Complete")
    assert seeded_complete["cells"]["assigned_to"] == "Past Candidate <past@example.com>"
    assert names(seeded_complete) == ["status-Ready"]


def test_an_assigned_test_comes_first_with_its_buttons(t):
    tracking_code(t, "ACME")
    got = assigned(t, {"assigned_to": CANDIDATE, "oid": "ENR-1", "tracking_code": "ACME"})
    listed = table_of(overview(t), "tests")
    assert listed["total"] == 2 * SEEDED_TOTAL
    first = listed["rows"][0]
    path = f"/_sandbox/tenants/{t.id}/itep/tests/{got['test_id']}/status"
    assert first == {
        "key": got["test_id"],
        "cells": {
            "test_id": got["test_id"],
            "product": "AP",
            "status": "Ready",
            "assigned_to": "Ada Lovelace <ada@example.com>",
            "oid": "ENR-1",
            "tracking_code": "ACME",
            "assigned_at": "2027-03-07T10:00:00Z",
        },
        "actions": [
            {
                "name": "status-Started",
                "label": "Start",
                "method": "POST",
                "path": path,
                "body": {"status": "Incomplete"},
            },
            {
                "name": "status-Complete",
                "label": "Complete",
                "method": "POST",
                "path": path,
                "body": {"status": "Complete"},
            },
        ],
    }
    stock = inventory(t)["AP"]
    assert (stock["available"], stock["assigned"], stock["total"]) == (
        SEEDED_AVAILABLE - 1,
        SEEDED_ASSIGNED + SEEDED_OTHER + 1,
        SEEDED_TOTAL,
    )
    assert inventory(t)["BP"]["available"] == SEEDED_AVAILABLE


def test_the_status_buttons_move_the_test(t):
    test_id = assigned(t)["test_id"]
    press_on(t, row(t, test_id), "status-Started")
    started = row(t, test_id)
    assert started["cells"]["status"] == "Incomplete"
    assert names(started) == ["status-Complete", "status-Ready"]
    assert read_test(t, test_id)["status"] == "Incomplete"

    press_on(t, started, "status-Complete")
    complete = row(t, test_id)
    assert complete["cells"]["status"] == "Complete"
    assert names(complete) == ["status-Ready"]
    test = read_test(t, test_id)
    assert test["status"] == "Complete"
    assert set(test["levels"] or {}) <= {"Grammar", "Listening", "Reading", "Writing", "Speaking"}

    press_on(t, complete, "status-Ready")
    reset = row(t, test_id)
    assert reset["cells"]["status"] == "Ready"
    assert reset["cells"]["assigned_to"] == "Ada Lovelace <ada@example.com>"
    assert names(reset) == ["status-Started", "status-Complete"]


def test_newest_touched_first(t):
    first = assigned(t, {"assigned_to": {**CANDIDATE, "reference": "A"}})["test_id"]
    t.freeze(LATER)
    second = assigned(t, {"assigned_to": {"employee": 7}})["test_id"]
    assert [r["key"] for r in listed_rows(t)[:2]] == [second, first]
    assert row(t, second)["cells"]["assigned_to"] == '{"employee": 7}'
    assert row(t, second)["cells"]["assigned_at"] == "2027-03-07T11:00:00Z"
    # A status change touches the test: it comes first, its assignment time kept.
    t.freeze(LATEST)
    press_on(t, row(t, first), "status-Started")
    listed = listed_rows(t)
    assert [r["key"] for r in listed[:2]] == [first, second]
    assert listed[0]["cells"]["assigned_at"] == "2027-03-07T10:00:00Z"


def test_the_add_buttons_add_ten_test_ids(t):
    view = overview(t)
    path = f"/_sandbox/tenants/{t.id}/itep/inventory"
    assert view["actions"] == [
        {
            "name": f"add-{code}",
            "label": f"Add 10 {code} test IDs",
            "method": "POST",
            "path": path,
            "body": {"product_code": code, "count": 10},
        }
        for code in ("AP", "BP")
    ]
    added = press(t, view["actions"][0])["test_ids"]
    assert len(added) == 10
    stock = inventory(t)
    assert stock["AP"]["available"] == SEEDED_AVAILABLE + 10
    assert stock["AP"]["total"] == SEEDED_TOTAL + 10
    assert stock["BP"]["total"] == SEEDED_TOTAL
    listed = table_of(overview(t), "tests")
    assert listed["total"] == 2 * SEEDED_TOTAL + 10
    # Untouched: after the tests not available, the newest available first.
    unavailable = 2 * (SEEDED_ASSIGNED + SEEDED_OTHER)
    keys = [r["key"] for r in listed["rows"]]
    assert keys[unavailable : unavailable + 10] == added[::-1]


def test_the_site_status_labels(t):
    t.settings("itep", statusLabels="descriptive")
    test_id = assigned(t)["test_id"]
    found = row(t, test_id)
    assert [a["body"] for a in found["actions"]] == [{"status": "Started"}, {"status": "Completed"}]
    press_on(t, found, "status-Started")
    started = row(t, test_id)
    assert started["cells"]["status"] == "Started"
    press_on(t, started, "status-Complete")
    assert row(t, test_id)["cells"]["status"] == "Completed"
    problem = next(r for r in listed_rows(t) if r["cells"]["status"] == "Technical Difficulty")
    assert names(problem) == ["status-Ready"]


def test_another_tenants_records_never_appear(t, http):
    mine = assigned(t)["test_id"]
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json["tenant"]
    try:
        response = http.get(f"/_sandbox/tenants/{other}/overview/itep")
        assert response.status_code == 200
        view = response.json
        assert table_of(view, "tests")["total"] == 2 * SEEDED_TOTAL
        stock = {r["key"]: r["cells"] for r in table_of(view, "inventory")["rows"]}
        assert stock["AP"]["available"] == SEEDED_AVAILABLE
        assert all(r["cells"]["assigned_at"] is None for r in table_of(view, "tests")["rows"])
        paths = [a["path"] for r in table_of(view, "tests")["rows"] for a in r["actions"]]
        paths += [a["path"] for a in view["actions"]]
        assert all(p.startswith(f"/_sandbox/tenants/{other}/") for p in paths)
    finally:
        http.delete(f"/_sandbox/tenants/{other}")
    assert row(t, mine)["cells"]["assigned_at"] == "2027-03-07T10:00:00Z"


def test_an_unknown_tenant_is_404(http):
    response = http.get("/_sandbox/tenants/t-nope/overview/itep")
    assert response.status_code == 404
    assert set(response.json) == {"error"}
    assert response.json["error"]["status"] == 404
