"""Surpass's console overview (``GET /_sandbox/tenants/<id>/overview/surpass``) and the
``/testsession/<id or keycode>/state`` control its buttons call: sessions and candidates
made through the vendor API appear newest first, each button moves its session along the
sitting, and the vendor API sees the move (TS-26, TestSession). The seed (7) gives ten
sessions, ids 1..10, and 120 candidates.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete
from support import row_of, table_of

from exam_sandbox.providers.surpass.tables import Candidate, candidate_centre, candidate_subject
from exam_sandbox.providers.surpass.tables import TestSession as SessionRow  # not a test class

NOW = "2026-03-01T08:00:00Z"
SEEDED_SESSIONS, SEEDED_CANDIDATES = 10, 120
SESSION_COLUMNS = [
    {"key": "id", "title": "Id", "kind": "text"},
    {"key": "state", "title": "State", "kind": "status"},
    {"key": "keycode", "title": "Keycode", "kind": "code"},
    {"key": "pin", "title": "PIN", "kind": "code"},
    {"key": "candidate", "title": "Candidate", "kind": "text"},
    {"key": "test", "title": "Test", "kind": "text"},
    {"key": "centre", "title": "Centre", "kind": "text"},
    {"key": "scheduledFrom", "title": "Window start", "kind": "text"},
    {"key": "scheduledTo", "title": "Window end", "kind": "text"},
]
CANDIDATE_COLUMNS = [
    {"key": "id", "title": "Id", "kind": "text"},
    {"key": "reference", "title": "Reference", "kind": "code"},
    {"key": "name", "title": "Name", "kind": "text"},
    {"key": "dateOfBirth", "title": "Date of birth", "kind": "text"},
    {"key": "email", "title": "Email", "kind": "text"},
    {"key": "retired", "title": "Retired", "kind": "text"},
]


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


def overview(tenant) -> dict:
    return tenant.overview("surpass")


def table(tenant, name: str) -> dict:
    return table_of(overview(tenant), name)


def row(tenant, name: str, key) -> dict:
    return row_of(table(tenant, name), key)


def schedule(tenant, candidate="CAND00001", day="02/03/2026", headers=None, **extra) -> dict:
    body = {
        "test": {"reference": "MATHS-PRAC"},
        "centre": {"reference": "CEN001"},
        "candidate": {"reference": candidate} if isinstance(candidate, str) else candidate,
        "startDate": day,
        "endDate": day,
        "startTime": "0900",
        "endTime": "1700",
        **extra,
    }
    r = tenant.surpass("POST", "/api/v2/TestSchedule", json=body, headers=headers or {})
    assert r.status_code == 200, r.json
    return r.json


def vendor_session(tenant, key) -> dict:
    r = tenant.surpass("GET", f"/api/v2/TestSession/{key}")
    assert r.status_code == 200, r.json
    return r.json["response"][0]


def named(tenant, resource: str, key: int) -> str:
    item = tenant.surpass("GET", f"/api/v2/{resource}/{key}").json["response"][0]
    name = item.get("name") or " ".join(
        p for p in (item["firstName"], item["middleName"], item["lastName"]) if p
    )
    return f"{name} ({item['reference']})"


def press(tenant, action: dict):
    return tenant.http.open(action["path"], method=action["method"], json=action["body"])


def state_action(tenant_id: str, session_id: int, target: str, label: str) -> dict:
    return {
        "name": f"state-{target}",
        "label": label,
        "method": "POST",
        "path": f"/_sandbox/tenants/{tenant_id}/surpass/testsession/{session_id}/state",
        "body": {"state": target},
    }


def names(actions: list[dict]) -> list[str]:
    return [a["name"] for a in actions]


# --- the tables ------------------------------------------------------------------------


def test_booked_sessions_appear_newest_first_with_what_the_vendor_shows(t):
    first = schedule(t)
    second = schedule(t, candidate="CAND00021", day="03/03/2026")
    view = overview(t)
    assert (view["vendor"], view["title"], view["actions"]) == ("surpass", "Surpass API v2", [])
    sessions = view["tables"][0]
    assert (sessions["name"], sessions["title"]) == ("sessions", "Test sessions")
    assert sessions["columns"] == SESSION_COLUMNS
    assert sessions["total"] == SEEDED_SESSIONS + 2
    assert [r["key"] for r in sessions["rows"]] == [str(i) for i in range(12, 0, -1)]
    test, centre = "Practice Quiz (MATHS-PRAC)", named(t, "Centre", 1)
    for booked, r, day in ((second, sessions["rows"][0], "2026-03-03"),
                           (first, sessions["rows"][1], "2026-03-02")):
        assert r["cells"] == {
            "id": booked["id"],
            "state": "ScheduledButNotCreated",
            "keycode": booked["keycode"],
            "pin": booked["pin"],
            "candidate": named(t, "Candidate", booked["candidate"]["id"]),
            "test": test,
            "centre": centre,
            "scheduledFrom": f"{day}T09:00:00",
            "scheduledTo": f"{day}T17:00:00",
        }
        shown = vendor_session(t, booked["keycode"])
        assert (shown["stateName"], shown["pin"], shown["scheduledFrom"], shown["scheduledTo"]) == (
            r["cells"]["state"], r["cells"]["pin"], r["cells"]["scheduledFrom"],
            r["cells"]["scheduledTo"])
        assert r["actions"] == [
            state_action(t.id, booked["id"], "Ready", "Download"),
            state_action(t.id, booked["id"], "Finished", "Finish"),
        ]


def test_each_seeded_state_gets_the_buttons_of_its_next_step(t):
    rows = {r["cells"]["state"]: r for r in table(t, "sessions")["rows"]}
    assert {state: names(r["actions"]) for state, r in rows.items()} == {
        "ScheduledButNotCreated": ["state-Ready", "state-Finished"],
        "ScheduledButNotDownloaded": ["state-Ready", "state-Finished"],
        "Ready": ["state-InProgress", "state-Finished"],
        "LockedForInvigilator": ["state-InProgress", "state-Finished"],
        "LockedByPin": ["state-InProgress", "state-Finished"],
        "InProgress": ["state-Finished"],
        "Paused": ["state-Finished"],
        "Finished": ["state-Marked"],
        "Marked": [],
        "Voided": [],
    }


def test_candidates_table_shows_the_newest_50_and_counts_all(t):
    created = t.surpass("POST", "/api/v2/Candidate", json={
        "reference": "NEW-1", "firstName": "Ada", "middleName": "M", "lastName": "Lovelace",
        "dateOfBirth": "1990-12-10", "email": "ada@example.com"})
    assert created.status_code == 200, created.json
    candidates = table(t, "candidates")
    assert (candidates["title"], candidates["columns"]) == ("Candidates", CANDIDATE_COLUMNS)
    assert candidates["total"] == SEEDED_CANDIDATES + 1
    assert [r["key"] for r in candidates["rows"]] == [str(i) for i in range(121, 71, -1)]
    assert candidates["rows"][0] == {
        "key": "121",
        "cells": {"id": 121, "reference": "NEW-1", "name": "Ada M Lovelace",
                  "dateOfBirth": "1990-12-10T00:00:00", "email": "ada@example.com",
                  "retired": False},
        "actions": [],
    }
    seeded = t.surpass("GET", "/api/v2/Candidate/120").json["response"][0]
    assert candidates["rows"][1]["cells"]["dateOfBirth"] == seeded["dateOfBirth"]


def test_a_quick_registered_candidate_is_shown_on_its_session_and_in_candidates(t):
    booked = schedule(t, candidate={"reference": "QUICK-1", "firstName": "Grace",
                                    "lastName": "Hopper", "dateOfBirth": "1980-01-01"},
                      headers={"quickRegisterCandidate": "true"})
    assert row(t, "sessions", booked["id"])["cells"]["candidate"] == "Grace Hopper (QUICK-1)"
    assert table(t, "candidates")["rows"][0]["cells"]["reference"] == "QUICK-1"


def test_an_empty_tenant_shows_empty_tables(t):
    context = t.http.application.extensions["exam_sandbox"]
    with context.db.session(write=True) as db:
        for table_ in (SessionRow.__table__, candidate_centre, candidate_subject,
                       Candidate.__table__):
            db.execute(delete(table_).where(table_.c.tenant_id == t.id))
    view = overview(t)
    assert [(x["name"], x["rows"], x["total"], x["empty"]) for x in view["tables"]] == [
        ("sessions", [], 0, "No test sessions yet: book one with POST TestSchedule"),
        ("candidates", [], 0, "No candidates yet: create one with POST Candidate"),
    ]


def test_another_tenants_records_never_appear(t, http):
    booked = schedule(t)
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json["tenant"]
    try:
        r = http.get(f"/_sandbox/tenants/{other}/overview/surpass")
        sessions, candidates = r.json["tables"]
        assert (sessions["total"], candidates["total"]) == (SEEDED_SESSIONS, SEEDED_CANDIDATES)
        assert booked["keycode"] not in {x["cells"]["keycode"] for x in sessions["rows"]}
        assert all(t.id not in a["path"] for x in sessions["rows"] for a in x["actions"])
    finally:
        http.delete(f"/_sandbox/tenants/{other}")


def test_unknown_tenant_is_404(http):
    r = http.get("/_sandbox/tenants/t-nobody/overview/surpass")
    assert r.status_code == 404
    assert r.json == {"error": {"status": 404, "message": "No tenant 't-nobody'"}}


# --- the buttons: the /state control ---------------------------------------------------


def test_pressing_the_buttons_sits_the_session_and_the_api_sees_it(t):
    booked = schedule(t)
    steps = [
        ("state-Ready", "Ready", ["state-InProgress", "state-Finished"]),
        ("state-InProgress", "InProgress", ["state-Finished"]),
        ("state-Finished", "Finished", ["state-Marked"]),
        ("state-Marked", "Marked", []),
    ]
    for name, state, after in steps:
        action = next(a for a in row(t, "sessions", booked["id"])["actions"] if a["name"] == name)
        r = press(t, action)
        assert r.status_code == 200, r.json
        assert (r.json["id"], r.json["keycode"], r.json["stateName"]) == (
            booked["id"], booked["keycode"], state)
        now = row(t, "sessions", booked["id"])
        assert (now["cells"]["state"], names(now["actions"])) == (state, after)
        assert vendor_session(t, booked["id"])["stateName"] == state


def test_finish_jumps_there_and_frees_the_candidate_for_a_resit(t):
    booked = schedule(t)
    # TS-26: an open session for the test refuses a second booking.
    again = t.surpass("POST", "/api/v2/TestSchedule", json={
        "test": {"reference": "MATHS-PRAC"}, "centre": {"reference": "CEN001"},
        "candidate": {"reference": "CAND00001"}, "startDate": "09/03/2026",
        "endDate": "09/03/2026", "startTime": "0900", "endTime": "1700"})
    assert again.status_code == 400 and again.json["errors"][0]["ErrorCode"] == 2026
    finish = row(t, "sessions", booked["id"])["actions"][1]
    r = press(t, finish)
    assert r.status_code == 200, r.json
    assert (r.json["previousStateName"], r.json["stateName"]) == (
        "ScheduledButNotCreated", "Finished")
    resit = schedule(t, day="09/03/2026")
    assert [x["key"] for x in table(t, "sessions")["rows"][:2]] == [
        str(resit["id"]), str(booked["id"])]


def test_the_control_takes_a_keycode_and_answers_the_move(t):
    booked = schedule(t)
    r = t.admin("POST", f"/surpass/testsession/{booked['keycode'].lower()}/state",
                json={"state": "ScheduledButNotDownloaded"})
    assert r.status_code == 200, r.json
    assert r.json == {"id": booked["id"], "keycode": booked["keycode"], "state": 2,
                      "stateName": "ScheduledButNotDownloaded", "previousState": 1,
                      "previousStateName": "ScheduledButNotCreated"}


@pytest.mark.parametrize(("seeded_state", "target"), [
    ("Finished", "InProgress"),  # never back
    ("InProgress", "InProgress"),  # nor where it is
    ("Voided", "Finished"),  # nor on after a void
    ("Marked", "Marked"),
])
def test_the_control_refuses_a_move_that_is_not_forward(t, seeded_state, target):
    session = next(r for r in table(t, "sessions")["rows"]
                   if r["cells"]["state"] == seeded_state)
    r = t.admin("POST", f"/surpass/testsession/{session['key']}/state", json={"state": target})
    assert r.status_code == 409
    assert r.json["error"]["message"].startswith(
        f"Test session {session['key']} is {seeded_state}: it cannot move to {target}")
    assert row(t, "sessions", session["key"])["cells"]["state"] == seeded_state


@pytest.mark.parametrize(
    "body", [{}, {"state": "Voided"}, {"state": 9}, {"state": "Ready", "x": 1}]
)
def test_the_control_refuses_a_bad_body(t, body):
    r = t.admin("POST", "/surpass/testsession/1/state", json=body)
    assert r.status_code == 400
    assert set(r.json["error"]) >= {"status", "message"}


def test_the_control_404s_for_no_session_or_no_tenant(t, http):
    r = t.admin("POST", "/surpass/testsession/999/state", json={"state": "Ready"})
    assert (r.status_code, r.json) == (404, {"error": {"status": 404,
                                                       "message": "No test session '999'"}})
    r = http.post("/_sandbox/tenants/t-nobody/surpass/testsession/1/state",
                  json={"state": "Ready"})
    assert (r.status_code, r.json) == (404, {"error": {"status": 404,
                                                       "message": "No tenant 't-nobody'"}})


def test_another_tenants_session_cannot_be_moved(t, http):
    booked = schedule(t)
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json["tenant"]
    try:
        r = http.post(f"/_sandbox/tenants/{other}/surpass/testsession/{booked['keycode']}/state",
                      json={"state": "Ready"})
        assert r.status_code == 404
    finally:
        http.delete(f"/_sandbox/tenants/{other}")
    assert vendor_session(t, booked["id"])["stateName"] == "ScheduledButNotCreated"
