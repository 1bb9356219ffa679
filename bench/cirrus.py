"""Cirrus's part of the bench: a tenant with a published result to read, and its header.

The tenant is made over HTTP like any user's (``POST /_sandbox/tenants``), its clock
frozen inside a schedule's window, the daily results limit raised out of the way (the
bench reads far more than 3,000 results), and one schedule of two candidates booked and
sat with the controls, so ``GET /results`` answers a candidate with a published attempt.
"""

from __future__ import annotations

from .servers import request

NOW = "2030-01-10T09:00:00Z"
SCHEDULE_PATH = "/cirrus/api/v1/integrations/schedule"
RESULTS_PATH = "/cirrus/api/v1/integrations/results?CandidateExtId=bench-c1&ScheduleExtId=BENCH"
SCHEDULE_TABLE = "cirrus_schedule"


def headers(credentials: dict) -> dict:
    return {"Authorization": f"EAPI {credentials['token']}"}


def _ok(status: int, answer, what: str, expect: int = 200) -> None:
    if status != expect:
        raise RuntimeError(f"cirrus: could not {what}: {status} {answer}")


def prepare(port: int, tenant: str) -> dict:
    status, answer = request("POST", port, "/_sandbox/tenants", {"tenant": tenant, "seed": 1})
    _ok(status, answer, f"create tenant {tenant}", 201)
    sent = headers(answer["credentials"]["cirrus"])
    admin = f"/_sandbox/tenants/{tenant}"
    _ok(*request("PUT", port, f"{admin}/clock", {"now": NOW}), "freeze the clock")
    _ok(*request("PATCH", port, f"{admin}/settings/cirrus", {"resultsDailyLimit": 10**9}),
        "raise the results limit")
    body = {
        "Schedule": {"AssessmentExtId": "MATH-101", "ScheduleExtId": "BENCH",
                     "StartDateTime": "2030-01-10T08:30:00Z", "GroupExtId": "bench",
                     "GroupName": "Bench"},
        "Candidates": [
            {"CandidateExtId": f"bench-c{n}", "FirstName": "Bench", "LastName": f"C{n}",
             "Email": f"c{n}@bench.example"}
            for n in (1, 2)
        ],
    }
    _ok(*request("POST", port, SCHEDULE_PATH, body, headers=sent), "schedule")
    for n in (1, 2):
        path = f"{admin}/cirrus/schedules/BENCH/candidates/bench-c{n}/complete"
        _ok(*request("POST", port, path, {"score": 70}), f"sit bench-c{n}")
    status, results = request("GET", port, RESULTS_PATH, headers=sent)
    if status != 200 or len(results["Attempts"]) != 1:
        raise RuntimeError(f"cirrus: expected one published attempt: {status} {results}")
    return sent
