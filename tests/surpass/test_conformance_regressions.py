"""Regressions found by the provider conformance run (contracts/test_surpass_provider.py):
one test per sandbox bug schemathesis found, named by the rule it broke."""

from __future__ import annotations

from support import errors_of


def test_REQ_5_405_names_the_allowed_methods(tenant):
    # RFC 9110 15.5.6: a 405 carries Allow; schemathesis' unsupported_method check found
    # it missing. Sorted, so the header is the same in every process.
    r = tenant.surpass("DELETE", "/api/v2/Candidate/1")
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD, OPTIONS, PUT"
    assert errors_of(r) == [
        (1004, "The requested resource does not support http method 'DELETE'.")
    ]
    r = tenant.surpass("TRACE", "/api/v2/TestSchedule")
    assert r.status_code == 405
    assert r.headers["Allow"] == "OPTIONS, POST"


# --- TestSchedule windows at the ends of the calendar ------------------------------------

SCHEDULE = {
    "test": {"reference": "MATHS-PRAC"},
    "centre": {"reference": "CEN001"},
    "candidate": {"reference": "CAND00001"},
    "startTime": "0900",
    "endTime": "1700",
}


def _scheduled(tenant, **changes) -> dict:
    tenant.freeze("2026-03-01T08:00:00Z")
    r = tenant.surpass("POST", "/api/v2/TestSchedule", json={**SCHEDULE, **changes})
    assert r.status_code == 200, r.json
    got = tenant.surpass("GET", f"/api/v2/TestSession/{r.json['id']}")
    assert got.status_code == 200, got.json
    return got.json["response"][0]


def test_TS_5_a_year_before_1000_is_written_with_four_digits(tenant):
    # strftime("%Y") writes 800, not 0800: the answer broke its own DD/MM/YYYY format.
    found = _scheduled(tenant, startDate="29/02/0800", endDate="02/03/2026")
    assert (found["startDate"], found["endDate"]) == ("29/02/0800", "02/03/2026")
    assert found["scheduledFrom"] == "0800-02-29T09:00:00"


def test_enforce_times_window_at_the_end_of_the_calendar_is_not_a_500(tenant):
    # 31/12/9999 23:59 plus the 12-hour buffer overflowed datetime: a 500.
    found = _scheduled(
        tenant, startDate="01/01/0001", endDate="31/12/9999", enforceTimes=True
    )
    assert found["scheduledFrom"] == "0001-01-01T00:00:00"
    assert found["scheduledTo"] == "9999-12-31T23:59:59"
