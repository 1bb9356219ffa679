"""Schedules sent at once to a real server (granian, several workers and threads) give
exactly the outcome of sending them one after the other: identical POST /schedule with
one ScheduleExtId give one 200 and S11 for the rest, one schedule, one sitting; schedules
without a ScheduleExtId each get their own generated one (S13). The rules are checked
without the writers' lock and again under it (models/scheduling.py); this proves the
second check is there."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import requests
from stores import serve_args, url_of_serve_args
from support import db_rows
from test_serve import serve

ATTEMPTS = 120
THREADS = 40  # ATTEMPTS is a multiple: every round fills the barrier
PATH = "/cirrus/api/v1/integrations/schedule"


def _body(ext_id: str | None) -> dict:
    schedule = {
        "AssessmentExtId": "MATH-101",
        "StartDateTime": "2030-01-10T09:00:00Z",
        "GroupExtId": "GRP-1",
        "GroupName": "Group one",
    }
    if ext_id is not None:
        schedule["ScheduleExtId"] = ext_id
    candidates = [
        {
            "CandidateExtId": "RACE-1",
            "FirstName": "Ada",
            "LastName": "Race",
            "Email": "race-1@example.com",
        },
    ]
    return {"Schedule": schedule, "Candidates": candidates}


def _send_at_once(base: str, headers: dict, body: dict) -> list[requests.Response]:
    barrier = Barrier(THREADS)

    def one(_) -> requests.Response:
        with requests.Session() as fresh:  # a connection each: spread over the workers
            barrier.wait()
            return fresh.post(base + PATH, json=body, headers=headers, timeout=60)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, range(ATTEMPTS)))


def test_identical_schedules_at_once_give_exactly_one_success(tmp_path):
    store = serve_args(tmp_path)
    served = serve(tmp_path, *store, "--workers", "2", "--threads", "8")
    try:
        created = served.request("POST", "/_sandbox/tenants", json={"seed": 1})
        assert created.status_code == 201, created.text
        tenant = created.json()["tenant"]
        headers = {"Authorization": f"EAPI {created.json()['credentials']['cirrus']['token']}"}
        url = url_of_serve_args(store)

        answers = _send_at_once(served.base, headers, _body("RACE"))
        ok = [a for a in answers if a.status_code == 200]
        refused = [a for a in answers if a.status_code != 200]
        assert len(ok) == 1, [a.text for a in ok]
        for answer in refused:
            assert answer.status_code == 400, answer.text
            assert answer.json() == {
                "Message": "Bad request | Schedule with external id [RACE] already exists"
            }
        assert ok[0].json()["Result"] == "Schedule[RACE] created successfully"
        info = served.request(
            "GET", "/cirrus/api/v1/integrations/external/schedule/RACE", headers=headers
        )
        assert info.status_code == 200, info.text
        assert [c["ExternalId"] for c in info.json()["Content"]["Candidates"]] == ["RACE-1"]
        for table, expected in (
            ("cirrus_schedule", 1),
            ("cirrus_candidate", 1),
            ("cirrus_sitting", 1),
        ):
            sql = f"SELECT count(*) FROM {table} WHERE tenant_id = ?"
            assert db_rows(url, sql, tenant) == [(expected,)], table

        # Without a ScheduleExtId, every one is a schedule of its own, each id generated
        # once (S13): the same candidate, a sitting on each.
        answers = _send_at_once(served.base, headers, _body(None))
        assert [a.status_code for a in answers] == [200] * ATTEMPTS, [
            a.text for a in answers if a.status_code != 200
        ]
        generated = {a.json()["Schedule"]["ScheduleExtId"] for a in answers}
        assert len(generated) == ATTEMPTS
        sessions = {a.json()["Candidates"][0]["StartupLink"] for a in answers}
        assert len(sessions) == ATTEMPTS
        sql = "SELECT count(*) FROM cirrus_schedule WHERE tenant_id = ?"
        assert db_rows(url, sql, tenant) == [(ATTEMPTS + 1,)]
        sql = "SELECT count(*) FROM cirrus_candidate WHERE tenant_id = ?"
        assert db_rows(url, sql, tenant) == [(1,)]
    finally:
        served.kill()
