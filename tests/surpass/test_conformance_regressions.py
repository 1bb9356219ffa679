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
