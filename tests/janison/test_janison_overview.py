"""Janison's console overview (``GET /_sandbox/tenants/<id>/overview/janison``): test
schedules with their enrolled and completed counts, and enrolments with their results,
newest first; the ``complete`` buttons (the ``/complete`` control) sit a schedule or one
candidate, and the results the vendor API serves are the ones shown. The seed (7) gives
four schedules (three completed, one planned with three candidates) and 13 enrolments.
"""

from __future__ import annotations

import pytest
from jsupport import one
from sqlalchemy import delete
from support import row_of, table_of

from exam_sandbox.providers.janison.tables import (
    JEnrolment,
    JEnrolmentComponent,
    JResult,
    JResultComponent,
    JSchedule,
)

NOW = "2030-01-01T08:00:00Z"
SEEDED_SCHEDULES, SEEDED_ENROLMENTS = 4, 13
SCHEDULE_COLUMNS = [
    {"key": "id", "title": "Id", "kind": "text"},
    {"key": "reference", "title": "Reference", "kind": "code"},
    {"key": "testPackage", "title": "Test package", "kind": "text"},
    {"key": "centre", "title": "Centre", "kind": "text"},
    {"key": "testPackageDate", "title": "Date", "kind": "text"},
    {"key": "status", "title": "Status", "kind": "status"},
    {"key": "enrolled", "title": "Enrolled", "kind": "text"},
    {"key": "completed", "title": "Completed", "kind": "text"},
]
ENROLMENT_COLUMNS = [
    {"key": "testSessionId", "title": "Test session", "kind": "text"},
    {"key": "testSchedule", "title": "Schedule", "kind": "text"},
    {"key": "candidate", "title": "Candidate", "kind": "text"},
    {"key": "status", "title": "Status", "kind": "status"},
    {"key": "attempt", "title": "Attempt", "kind": "text"},
    {"key": "result", "title": "Result", "kind": "code"},
    {"key": "finalScaleScore", "title": "Scale score", "kind": "text"},
    {"key": "overallCEFRGrade", "title": "CEFR grade", "kind": "text"},
]


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


def overview(tenant) -> dict:
    return tenant.overview("janison")


def table(tenant, name: str) -> dict:
    return table_of(overview(tenant), name)


def row(tenant, name: str, key) -> dict:
    return row_of(table(tenant, name), key)


def book(tenant, *candidates: str, package="ENG-GEN-LR", centre="CTR002") -> dict:
    r = tenant.janison("POST", "/api/testschedule", json={
        "testPackage": {"reference": package},
        "centre": {"reference": centre},
        "candidates": [{"reference": c} for c in candidates],
        "testPackageDate": "2030-01-10",
    })
    assert r.status_code == 200, r.json
    return r.json


def press(tenant, action: dict):
    return tenant.http.open(action["path"], method=action["method"], json=action["body"])


def complete_action(tenant_id: str, schedule_id: int, body: dict) -> dict:
    return {
        "name": "complete",
        "label": "Complete",
        "method": "POST",
        "path": f"/_sandbox/tenants/{tenant_id}/janison/testschedule/{schedule_id}/complete",
        "body": body,
    }


def named(tenant, resource: str, item_id: int) -> str:
    item = one(tenant, f"/api/{resource}/{item_id}")
    name = item.get("name") or " ".join(
        p for p in (item["firstName"], item["middleName"], item["lastName"]) if p
    )
    return f"{name} ({item['reference']})"


def states(tenant) -> dict:
    """Each schedule's (status, enrolled, completed, action names), by id."""
    return {
        r["cells"]["id"]: (r["cells"]["status"], r["cells"]["enrolled"], r["cells"]["completed"],
                           [a["name"] for a in r["actions"]])
        for r in table(tenant, "schedules")["rows"]
    }


# --- the tables ------------------------------------------------------------------------


def test_a_booked_schedule_and_its_enrolments_appear_newest_first(t):
    booked = book(t, "CAN0034", "CAN0035")
    view = overview(t)
    assert (view["vendor"], view["title"], view["actions"]) == (
        "janison", "Janison Insights", [])
    schedules, enrolments = view["tables"]
    assert (schedules["name"], schedules["title"], schedules["columns"]) == (
        "schedules", "Test schedules", SCHEDULE_COLUMNS)
    assert (enrolments["name"], enrolments["title"], enrolments["columns"]) == (
        "enrolments", "Enrolments & results", ENROLMENT_COLUMNS)
    assert schedules["total"] == SEEDED_SCHEDULES + 1
    assert [r["key"] for r in schedules["rows"]] == ["5", "4", "3", "2", "1"]
    assert schedules["rows"][0] == {
        "key": "5",
        "cells": {
            "id": 5,
            "reference": booked["reference"],
            "testPackage": "General English: listening and reading (ENG-GEN-LR)",
            "centre": named(t, "centre", 2),
            "testPackageDate": "2030-01-10",
            "status": "Planned",
            "enrolled": 2,
            "completed": 0,
        },
        "actions": [complete_action(t.id, 5, {})],
    }
    assert states(t) == {
        5: ("Planned", 2, 0, ["complete"]),
        4: ("Planned", 3, 0, ["complete"]),
        3: ("Completed", 3, 3, []),
        2: ("Completed", 3, 3, []),
        1: ("Completed", 4, 4, []),
    }
    assert enrolments["total"] == SEEDED_ENROLMENTS + 2
    assert [r["key"] for r in enrolments["rows"]] == [str(i) for i in range(15, 0, -1)]
    for r, enrolment in zip(enrolments["rows"][:2], reversed(booked["enrolments"]), strict=True):
        candidate = enrolment["candidate"]
        assert r == {
            "key": str(enrolment["testSessionId"]),
            "cells": {
                "testSessionId": enrolment["testSessionId"],
                "testSchedule": 5,
                "candidate": named(t, "candidate", candidate["id"]),
                "status": "Enrolled",
                "attempt": 1,
                "result": None,
                "finalScaleScore": None,
                "overallCEFRGrade": None,
            },
            "actions": [complete_action(t.id, 5, {"candidates": [candidate["id"]]})],
        }


def test_seeded_results_are_shown_as_the_api_serves_them(t):
    for r in table(t, "enrolments")["rows"]:
        if r["cells"]["result"] is None:
            continue
        result_id = int(r["cells"]["result"].removeprefix("RES"))
        served = one(t, f"/api/result/{result_id}")
        assert (r["cells"]["finalScaleScore"], r["cells"]["overallCEFRGrade"]) == (
            served["finalScaleScore"], served["overallCEFRGrade"])
        assert r["cells"]["status"] == "Completed" and r["actions"] == []


def test_an_empty_tenant_shows_empty_tables(t):
    context = t.http.application.extensions["exam_sandbox"]
    with context.db.session(write=True) as db:
        for model in (JResultComponent, JResult, JEnrolmentComponent, JEnrolment, JSchedule):
            db.execute(delete(model.__table__).where(model.__table__.c.tenant_id == t.id))
    assert [(x["name"], x["rows"], x["total"], x["empty"]) for x in overview(t)["tables"]] == [
        ("schedules", [], 0, "No test schedules yet: book one with POST testschedule"),
        ("enrolments", [], 0, "No enrolments yet: a test schedule enrols its candidates"),
    ]


def test_another_tenants_records_never_appear(t, http):
    book(t, "CAN0034")
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json["tenant"]
    try:
        schedules, enrolments = http.get(f"/_sandbox/tenants/{other}/overview/janison").json[
            "tables"]
        assert (schedules["total"], enrolments["total"]) == (SEEDED_SCHEDULES, SEEDED_ENROLMENTS)
        assert [r["key"] for r in schedules["rows"]] == ["4", "3", "2", "1"]
        assert all(t.id not in a["path"] for x in (schedules, enrolments)
                   for r in x["rows"] for a in r["actions"])
    finally:
        http.delete(f"/_sandbox/tenants/{other}")


def test_unknown_tenant_is_404(http):
    r = http.get("/_sandbox/tenants/t-nobody/overview/janison")
    assert r.status_code == 404
    assert r.json == {"error": {"status": 404, "message": "No tenant 't-nobody'"}}


# --- the buttons -----------------------------------------------------------------------


def test_complete_on_a_schedule_writes_results_the_api_serves(t):
    booked = book(t, "CAN0034", "CAN0035")
    r = press(t, row(t, "schedules", booked["id"])["actions"][0])
    assert r.status_code == 200, r.json
    assert states(t)[5] == ("Completed", 2, 2, [])
    for enrolment, written in zip(booked["enrolments"], r.json["results"], strict=True):
        shown = row(t, "enrolments", enrolment["testSessionId"])
        served = one(t, f"/api/result/{written['id']}")
        assert shown["cells"] | {"candidate": None} == {
            "testSessionId": enrolment["testSessionId"],
            "testSchedule": 5,
            "candidate": None,
            "status": "Completed",
            "attempt": 1,
            "result": served["reference"],
            "finalScaleScore": served["finalScaleScore"],
            "overallCEFRGrade": served["overallCEFRGrade"],
        }
        assert shown["actions"] == []


def test_complete_on_an_enrolment_sits_that_candidate_alone(t):
    booked = book(t, "CAN0034", "CAN0035")
    first, second = (e["testSessionId"] for e in booked["enrolments"])
    r = press(t, row(t, "enrolments", second)["actions"][0])
    assert r.status_code == 200, r.json
    assert [x["testSessionId"] for x in r.json["results"]] == [second]
    assert states(t)[5] == ("Partly completed", 2, 1, ["complete"])
    assert row(t, "enrolments", second)["cells"]["status"] == "Completed"
    assert row(t, "enrolments", first)["cells"]["status"] == "Enrolled"


def test_a_resit_is_shown_until_it_is_sat_and_its_result_rewritten(t):
    booked = book(t, "CAN0034", "CAN0035")
    session = booked["enrolments"][1]["testSessionId"]
    press(t, row(t, "schedules", 5)["actions"][0])
    before = row(t, "enrolments", session)["cells"]
    r = t.janison("POST", "/api/testschedulecomponent", json={
        "testScehdule": {"id": 5}, "components": [{"reference": "ENG-GEN-LR-R"}],
        "candidate": {"reference": "CAN0035"}})
    assert r.status_code == 200, r.json
    resat = row(t, "enrolments", session)
    assert resat["cells"] == {**before, "status": "Resit booked", "attempt": 2}
    assert resat["actions"] == [complete_action(t.id, 5, {"candidates": [
        booked["enrolments"][1]["candidate"]["id"]]})]
    assert states(t)[5] == ("Partly completed", 2, 1, ["complete"])
    done = press(t, {**resat["actions"][0], "body": {**resat["actions"][0]["body"],
                                                     "scores": {"ENG-GEN-LR-R": 100}}})
    assert done.status_code == 200, done.json
    after = row(t, "enrolments", session)["cells"]
    served = one(t, f"/api/result/{done.json['results'][0]['id']}")
    assert (after["status"], after["attempt"], after["result"]) == (
        "Completed", 2, before["result"])
    assert (after["finalScaleScore"], after["overallCEFRGrade"]) == (
        served["finalScaleScore"], served["overallCEFRGrade"])
    assert states(t)[5] == ("Completed", 2, 2, [])


def test_a_retired_schedule_has_no_buttons(t):
    booked = book(t, "CAN0034")
    assert t.janison("DELETE", f"/api/testschedule/{booked['id']}").status_code == 200
    assert states(t)[5] == ("Retired", 1, 0, [])
    enrolment = row(t, "enrolments", booked["enrolments"][0]["testSessionId"])
    assert (enrolment["cells"]["status"], enrolment["actions"]) == ("Enrolled", [])
