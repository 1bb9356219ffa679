"""Identical schedules sent at once, to a real server (granian, several workers and
threads), give exactly the outcome of sending them one after the other: one success and
TS-26 for the rest, one session, one candidate, no 500. The rules are checked without
the writers' lock and again under it (models/scheduling.py); this is what proves the
second check is there."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import requests
from stores import serve_args
from test_serve import serve

ATTEMPTS = 200
THREADS = 40  # ATTEMPTS is a multiple: every round fills the barrier
OPEN_SCHEDULE = (2026, "Candidate already has an open test schedule for this test")


def _schedule(base: str, auth: tuple, candidate: dict, barrier: Barrier) -> requests.Response:
    body = {
        "test": {"id": 1}, "centre": {"id": 1}, "candidate": candidate,
        "startDate": "01/01/2031", "endDate": "01/01/2031",
        "startTime": "0900", "endTime": "1700",
    }
    headers = {"quickRegisterCandidate": "true", "autoSyncCentreSubject": "true"}
    with requests.Session() as fresh:  # a connection each: spread over the workers
        barrier.wait()
        return fresh.post(f"{base}/surpass/api/v2/TestSchedule", json=body, auth=auth,
                          headers=headers, timeout=60)


def _send_at_once(base: str, auth: tuple, candidate: dict) -> list[requests.Response]:
    # Rounds of THREADS requests released together by the barrier, ATTEMPTS in all.
    barrier = Barrier(THREADS)
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(lambda _: _schedule(base, auth, candidate, barrier),
                             range(ATTEMPTS)))


def _outcome(answers: list[requests.Response]) -> tuple[list, list]:
    ok = [a for a in answers if a.status_code == 200]
    refused = [a for a in answers if a.status_code != 200]
    for answer in refused:
        assert answer.status_code == 400, answer.text
        errors = [(e["ErrorCode"], e["Message"]) for e in answer.json()["errors"]]
        assert errors == [OPEN_SCHEDULE], answer.text
    return ok, refused


def _sessions_of(base: str, auth: tuple, candidate_id: int) -> int:
    found = requests.get(
        f"{base}/surpass/api/v2/TestSession",
        params={"$filter": f"candidate/id eq {candidate_id}"}, auth=auth, timeout=10,
    )
    assert found.status_code == 200, found.text
    return found.json()["count"]


def test_identical_schedules_at_once_give_exactly_one_success(tmp_path):
    served = serve(tmp_path, *serve_args(tmp_path), "--workers", "2", "--threads", "8")
    try:
        created = served.request("POST", "/_sandbox/tenants", json={"seed": 1})
        assert created.status_code == 201, created.text
        login = created.json()["credentials"]["surpass"]
        auth = (login["username"], login["password"])

        # A candidate that exists, with no links yet to the centre or the test's subject:
        # every request also races to link it (autoSyncCentreSubject).
        candidate = served.request("POST", "/surpass/api/v2/Candidate", auth=auth, json={
            "reference": "RACE-1", "firstName": "Ada", "lastName": "Race",
            "dateOfBirth": "2000-01-01",
        })
        assert candidate.status_code == 200, candidate.text
        ok, refused = _outcome(_send_at_once(served.base, auth, {"id": candidate.json()["id"]}))
        assert len(ok) == 1 and len(refused) == ATTEMPTS - 1
        assert _sessions_of(served.base, auth, candidate.json()["id"]) == 1

        # A candidate that does not exist yet: the first request registers it; every
        # other one finds it under the lock, and its open schedule.
        new = {"reference": "RACE-2", "firstName": "Bo", "lastName": "Race",
               "dateOfBirth": "2000-01-01"}
        ok, refused = _outcome(_send_at_once(served.base, auth, new))
        assert len(ok) == 1 and len(refused) == ATTEMPTS - 1
        registered = ok[0].json()["candidate"]
        assert registered["reference"] == "RACE-2"
        same = served.request("GET", "/surpass/api/v2/Candidate",
                              params={"reference": "RACE-2"}, auth=auth)
        assert same.status_code == 200 and same.json()["response"][0]["id"] == registered["id"]
        assert _sessions_of(served.base, auth, registered["id"]) == 1
    finally:
        served.kill()
