"""Cirrus's console panel, ``GET /_sandbox/tenants/<id>/overview/cirrus``: its schedules,
sittings (launch link, attempt, result) and assessments, newest first, and its buttons,
which are Cirrus's documented controls: each is pressed here and changes the panel."""

from __future__ import annotations

import pytest
from csupport import (
    IN_WINDOW,
    NOW,
    assessment,
    candidate,
    made,
    schedule_body,
)
from support import table_of

from exam_sandbox.core.overview import ROWS_SHOWN

SEEDED = ["LAW-900", "DRAFT-1", "NURS-310", "SAFETY-1", "ENG-201", "MATH-101"]
AFTER_WINDOW = "2030-01-12T00:00:00Z"


def overview(t) -> dict:
    return t.overview("cirrus")


def rows(t, name: str) -> list[dict]:
    return table_of(overview(t), name)["rows"]


def row(t, name: str, key: str) -> dict:
    return next(r for r in rows(t, name) if r["key"] == key)


def action(found: dict, name: str) -> dict:
    return next(a for a in found["actions"] if a["name"] == name)


def press(t, found: dict, name: str):
    """Call the button's control as the console would: its method, path and JSON body."""
    button = action(found, name)
    response = t.http.open(button["path"], method=button["method"], json=button["body"])
    assert 200 <= response.status_code < 300, response.json
    return response.json


def window_end(t, assessment_ext_id: str = "MATH-101") -> str:
    minutes = assessment(t, assessment_ext_id)["MaxTimePerAttempt"] + 60
    return f"2030-01-10T{9 + minutes // 60:02d}:{minutes % 60:02d}:00Z"


@pytest.fixture()
def booked(tenant):
    """SCH-1 (CAN-1, CAN-2) then SCH-2 (CAN-3), made before their window opens."""
    tenant.freeze(NOW)
    first = made(tenant, schedule_body(candidates=[candidate("CAN-1"), candidate("CAN-2")]))
    second = made(
        tenant,
        schedule_body(
            {"ScheduleExtId": "SCH-2", "AssessmentExtId": "ENG-201", "Title": "English"},
            candidates=[candidate("CAN-3", FirstName="Grace", LastName="Hopper")],
        ),
    )
    tenant.links = {
        c["CandidateExtId"]: c["LaunchUrl"] for c in first["Candidates"] + second["Candidates"]
    }
    return tenant


def test_the_panel_lists_schedules_newest_first(booked):
    t = booked
    view = overview(t)
    assert view["vendor"] == "cirrus"
    assert view["title"] == "Cirrus Assessment"
    assert view["actions"] == []
    assert [x["name"] for x in view["tables"]] == ["schedules", "sittings", "assessments"]
    schedules = table_of(view, "schedules")
    assert schedules["title"] == "Schedules"
    assert [(c["key"], c["kind"]) for c in schedules["columns"]] == [
        ("schedule", "code"),
        ("title", "text"),
        ("assessment", "code"),
        ("start", "text"),
        ("end", "text"),
        ("window", "status"),
        ("candidates", "text"),
    ]
    assert schedules["total"] == 2
    assert [r["key"] for r in schedules["rows"]] == ["SCH-2", "SCH-1"]
    assert schedules["rows"][1] == {
        "key": "SCH-1",
        "cells": {
            "schedule": "SCH-1",
            "title": made_title(t, "SCH-1"),
            "assessment": "MATH-101",
            "start": "2030-01-10T09:00:00Z",
            "end": window_end(t),
            "window": "Upcoming",
            "candidates": 2,
        },
        "actions": [],
    }
    assert schedules["rows"][0]["cells"]["title"] == "English"
    assert schedules["rows"][0]["cells"]["candidates"] == 1


def made_title(t, ext_id: str) -> str:
    return t.cirrus("GET", f"/api/v1/integrations/external/schedule/{ext_id}").json["Content"][
        "Title"
    ]


def test_sittings_before_the_window_have_launch_links_and_no_buttons(booked):
    t = booked
    sittings = table_of(overview(t), "sittings")
    assert sittings["total"] == 3
    assert [r["key"] for r in sittings["rows"]] == ["SCH-2/CAN-3", "SCH-1/CAN-2", "SCH-1/CAN-1"]
    assert sittings["rows"][0] == {
        "key": "SCH-2/CAN-3",
        "cells": {
            "schedule": "SCH-2",
            "candidate": "CAN-3",
            "name": "Grace Hopper",
            "launch": t.links["CAN-3"],
            "state": "Scheduled",
            "attempt": None,
            "score": None,
            "outcome": None,
            "published": None,
        },
        "actions": [],
    }
    launch = table_of(overview(t), "sittings")["columns"][3]
    assert launch == {"key": "launch", "title": "Launch link", "kind": "link"}
    # The link is the candidate's page on the sandbox.
    page = t.http.get(t.links["CAN-1"].removeprefix("http://localhost"))
    assert page.status_code == 200


def test_in_the_window_complete_sits_and_publishes(booked):
    t = booked
    t.freeze(IN_WINDOW)
    found = row(t, "sittings", "SCH-1/CAN-1")
    assert found["cells"]["state"] == "Open"
    assert [a["name"] for a in found["actions"]] == ["complete", "complete-held"]
    base = f"/_sandbox/tenants/{t.id}/cirrus/schedules/SCH-1/candidates/CAN-1"
    assert found["actions"][0] == {
        "name": "complete",
        "label": "Sit",
        "method": "POST",
        "path": f"{base}/complete",
        "body": {},
    }
    assert found["actions"][1]["body"] == {"publish": False}
    assert row(t, "schedules", "SCH-1")["cells"]["window"] == "Open"

    sat = press(t, found, "complete")
    after = row(t, "sittings", "SCH-1/CAN-1")
    assert after["cells"] == {
        **found["cells"],
        "state": "Sat",
        "attempt": sat["AttemptExtId"],
        "score": sat["score"],
        "outcome": sat["outcome"],
        "published": "yes",
    }
    assert after["actions"] == []
    # The result the panel shows is the one /results gives.
    results = t.cirrus(
        "GET", "/api/v1/integrations/results", query_string={"CandidateExtId": "CAN-1"}
    ).json
    assert [(a["AttemptExtId"], a["Score"]) for a in results["Attempts"]] == [
        (sat["AttemptExtId"], sat["score"])
    ]


def test_complete_held_then_publish(booked):
    t = booked
    t.freeze(IN_WINDOW)
    sat = press(t, row(t, "sittings", "SCH-1/CAN-2"), "complete-held")
    assert sat["published"] is False
    held = row(t, "sittings", "SCH-1/CAN-2")
    assert held["cells"]["state"] == "Sat"
    assert held["cells"]["published"] == "no"
    assert held["cells"]["attempt"] == sat["AttemptExtId"]
    assert [a["name"] for a in held["actions"]] == ["publish"]
    assert action(held, "publish") == {
        "name": "publish",
        "label": "Publish result",
        "method": "POST",
        "path": f"/_sandbox/tenants/{t.id}/cirrus/schedules/SCH-1/candidates/CAN-2/publish",
        "body": {},
    }
    press(t, held, "publish")
    published = row(t, "sittings", "SCH-1/CAN-2")
    assert published["cells"]["published"] == "yes"
    assert published["actions"] == []
    # The other candidates are untouched.
    assert row(t, "sittings", "SCH-1/CAN-1")["cells"]["state"] == "Open"


def test_after_the_window_a_sitting_is_missed(booked):
    t = booked
    t.freeze(AFTER_WINDOW)
    assert row(t, "schedules", "SCH-1")["cells"]["window"] == "Closed"
    missed = row(t, "sittings", "SCH-1/CAN-1")
    assert missed["cells"]["state"] == "Missed"
    assert missed["actions"] == []


def test_assessments_with_publish_buttons_on_the_unpublished(tenant):
    t = tenant
    assessments = table_of(overview(t), "assessments")
    assert assessments["total"] == len(SEEDED)
    assert [r["key"] for r in assessments["rows"]] == SEEDED
    draft = assessments["rows"][1]
    assert draft["cells"] == {
        "assessment": "DRAFT-1",
        "title": "Chemistry mock (draft)",
        "purpose": "Formative",
        "minutes": assessment(t, "DRAFT-1")["MaxTimePerAttempt"],
        "attempts": None,
        "published": "Unpublished",
    }
    with_buttons = [r["key"] for r in assessments["rows"] if r["actions"]]
    assert with_buttons == ["LAW-900", "DRAFT-1"]
    assert draft["actions"] == [
        {
            "name": "publish",
            "label": "Publish",
            "method": "POST",
            "path": f"/_sandbox/tenants/{t.id}/cirrus/assessments/DRAFT-1/publish",
            "body": {},
        }
    ]
    press(t, draft, "publish")
    after = row(t, "assessments", "DRAFT-1")
    assert after["cells"]["published"] == "Published"
    assert after["actions"] == []
    assert assessment(t, "DRAFT-1")["IsPublished"] is True
    # One made through the API is the newest.
    made_one = t.cirrus(
        "POST",
        "/api/v1/integrations/assessment",
        json={"ExternalId": "NEW-1", "Title": "New one", "Purpose": 3, "Code": "NEW-1"},
    )
    assert made_one.status_code == 200, made_one.json
    newest = rows(t, "assessments")[0]
    assert newest["key"] == "NEW-1"
    assert newest["cells"]["purpose"] == "Mixed"
    assert [a["name"] for a in newest["actions"]] == ["publish"]


def test_an_empty_tenant(tenant):
    view = overview(tenant)
    for name in ("schedules", "sittings"):
        found = table_of(view, name)
        assert found["rows"] == [] and found["total"] == 0
        assert found["empty"].startswith("No ")
    assert table_of(view, "assessments")["total"] == len(SEEDED)


def test_another_tenants_records_never_appear(booked, http):
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json["tenant"]
    try:
        response = http.get(f"/_sandbox/tenants/{other}/overview/cirrus")
        assert response.status_code == 200
        view = response.json
        assert table_of(view, "schedules")["total"] == 0
        assert table_of(view, "sittings")["total"] == 0
        assert table_of(view, "schedules")["rows"] == table_of(view, "sittings")["rows"] == []
        assert table_of(view, "assessments")["total"] == len(SEEDED)
        publish = [a["path"] for r in table_of(view, "assessments")["rows"] for a in r["actions"]]
        assert all(path.startswith(f"/_sandbox/tenants/{other}/") for path in publish)
    finally:
        http.delete(f"/_sandbox/tenants/{other}")
    assert table_of(overview(booked), "sittings")["total"] == 3


def test_only_the_newest_rows_are_shown(tenant):
    t = tenant
    t.freeze(NOW)
    many = [candidate(f"C-{n:03d}") for n in range(ROWS_SHOWN + 2)]
    made(t, schedule_body(candidates=many))
    view = overview(t)
    sittings = table_of(view, "sittings")
    assert sittings["total"] == ROWS_SHOWN + 2
    assert len(sittings["rows"]) == ROWS_SHOWN
    assert sittings["rows"][0]["key"] == f"SCH-1/C-{ROWS_SHOWN + 1:03d}"
    assert sittings["rows"][-1]["key"] == "SCH-1/C-002"
    assert table_of(view, "schedules")["rows"][0]["cells"]["candidates"] == ROWS_SHOWN + 2


def test_an_unknown_tenant_is_404(http):
    response = http.get("/_sandbox/tenants/t-nope/overview/cirrus")
    assert response.status_code == 404
    assert set(response.json) == {"error"}
    assert response.json["error"]["status"] == 404
