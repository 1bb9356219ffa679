"""Retry-After, bounded retries and timeouts, against a real local HTTP server.

Cirrus throttles ``GET /results`` (3,000 calls a day per token, reset at 13:30 UTC):
past the limit it answers 429 with ``Retry-After`` = the seconds until the reset.
Idempotent calls (GET, DELETE) wait a short ``Retry-After`` and try again; a long one
(beyond ``retry_after_max``) is raised at once with ``retry_after`` for the caller.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import socket
import time

import pytest
import requests
from cirrus_samples import TOKEN, failed, ok

import exam_sandbox.client as neutral
from exam_sandbox.client.cirrus import (
    ApiConnectionError,
    ApiTimeoutError,
    Candidate,
    CirrusClient,
    RateLimitedError,
)

RESULTS = {"CandidateExtId": "C-1", "Attempts": [{"AttemptExtId": "T-1", "Score": 50}]}
LIMIT = failed("Daily limit of calls reached")


def test_a_short_retry_after_on_get_is_waited_for_and_the_call_retried(vendor, cirrus, sleeps):
    vendor.reply(429, LIMIT, headers={"Retry-After": "2"})
    vendor.reply(200, RESULTS)
    results = cirrus.get_results(candidate_ext_id="C-1")
    assert results.attempts[0].score == 50
    assert sleeps == [2.0] and len(vendor.requests) == 2
    assert vendor.requests[0].target == vendor.requests[1].target


def test_the_daily_limit_is_raised_at_once_with_the_seconds_to_the_reset(vendor, cirrus, sleeps):
    vendor.reply(429, LIMIT, headers={"Retry-After": "41400"})  # 11.5 h to 13:30 UTC
    with pytest.raises(RateLimitedError) as info:
        cirrus.get_results(candidate_ext_id="C-1")
    assert info.value.retry_after == 41400 and info.value.status == 429
    assert info.value.messages == ["Daily limit of calls reached"]
    assert isinstance(info.value, neutral.RateLimitedError)
    assert sleeps == [] and len(vendor.requests) == 1


def test_retry_after_max_is_configurable(vendor, sleeps):
    vendor.reply(429, LIMIT, headers={"Retry-After": "90"})
    vendor.reply(200, RESULTS)
    with CirrusClient(vendor.url, TOKEN, retry_after_max=120, sleep=sleeps.append) as cirrus:
        cirrus.get_results(candidate_ext_id="C-1")
    assert sleeps == [90.0]


def test_retries_are_bounded(vendor, sleeps):
    for _ in range(5):
        vendor.reply(429, LIMIT, headers={"Retry-After": "1"})
    cirrus = CirrusClient(vendor.url, TOKEN, retries=2, sleep=sleeps.append)
    with cirrus, pytest.raises(RateLimitedError) as info:
        cirrus.get_schedule("S-1")
    assert info.value.retry_after == 1
    assert sleeps == [1.0, 1.0] and len(vendor.requests) == 3


def test_an_http_date_retry_after_is_understood(vendor, cirrus, sleeps):
    soon = email.utils.formatdate(time.time() + 5, usegmt=True)
    vendor.reply(429, LIMIT, headers={"Retry-After": soon})
    vendor.reply(200, {"Success": True, "Errors": None})
    assert cirrus.delete_schedule("S-1").success is True
    assert len(sleeps) == 1 and 3 <= sleeps[0] <= 5
    assert [r.method for r in vendor.requests] == ["DELETE", "DELETE"]


def test_a_post_is_never_retried_even_with_a_short_retry_after(vendor, cirrus, sleeps):
    vendor.reply(429, LIMIT, headers={"Retry-After": "1"})
    with pytest.raises(RateLimitedError) as info:
        cirrus.schedule_test(
            assessment_ext_id="A",
            start=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
            group_ext_id="G",
            group_name="G",
            candidates=Candidate("C", "F", "L", "e@example.org"),
        )
    assert info.value.retry_after == 1 and sleeps == [] and len(vendor.requests) == 1


def test_retry_after_really_waits_with_the_default_sleep(vendor):
    vendor.reply(429, LIMIT, headers={"Retry-After": "1"})
    vendor.reply(200, ok({"ExternalId": "A"}))
    with CirrusClient(vendor.url, TOKEN) as cirrus:
        began = time.monotonic()
        assert cirrus.get_assessment("A").external_id == "A"
        waited = time.monotonic() - began
    assert 1.0 <= waited < 5


# ------------------------------------------------------------------ timeouts


class RecordingSession(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.timeouts: list[object] = []

    def request(self, method, url, **kwargs):  # type: ignore[override]
        self.timeouts.append(kwargs.get("timeout"))
        return super().request(method, url, **kwargs)


def test_every_call_has_a_connect_and_read_timeout(vendor):
    session = RecordingSession()
    vendor.reply(200, ok({}))
    vendor.reply(200, {"Success": True, "Errors": None})
    vendor.reply(200, ok({}))
    with CirrusClient(vendor.url, TOKEN, session=session) as cirrus:
        cirrus.get_assessment("A")
        cirrus.delete_schedule("S")
        cirrus.get_schedule("S", timeout=2.5)
    assert session.timeouts == [(5.0, 30.0), (5.0, 30.0), 2.5]
    session.close()


def test_a_slow_answer_times_out_as_a_timeout_error(vendor):
    vendor.reply(200, ok({}), delay=1.0)
    with CirrusClient(vendor.url, TOKEN, timeout=(2, 0.2), retries=0) as cirrus:
        began = time.monotonic()
        with pytest.raises(ApiTimeoutError) as info:
            cirrus.get_assessment("A")
        assert time.monotonic() - began < 0.9
    assert isinstance(info.value, TimeoutError) and isinstance(info.value, neutral.TransportError)
    assert info.value.status is None and info.value.method == "GET"


def test_a_timed_out_get_is_retried_but_a_timed_out_post_is_not(vendor, sleeps):
    vendor.reply(200, ok({}), delay=0.6)
    vendor.reply(200, ok({"ExternalId": "A"}))
    vendor.reply(200, ok("X"), delay=0.6)
    with CirrusClient(vendor.url, TOKEN, timeout=0.2, sleep=sleeps.append) as cirrus:
        assert cirrus.get_assessment("A").external_id == "A"
        assert len(vendor.requests) == 2 and len(sleeps) == 1
        with pytest.raises(ApiTimeoutError):
            cirrus.create_assessment(title="T", purpose=1, code="C")
    assert len(vendor.requests) == 3 and len(sleeps) == 1


def test_a_per_call_timeout_overrides_the_clients(vendor, cirrus):
    vendor.reply(200, ok({}), delay=0.8)
    with pytest.raises(ApiTimeoutError):
        cirrus.create_schedule(
            assessment_ext_id="A", start="2030-01-01T09:00:00Z", timeout=(1, 0.2)
        )


def test_a_refused_connection_is_a_connection_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cirrus = CirrusClient(f"http://127.0.0.1:{port}/cirrus/api/v1/integrations", TOKEN, retries=0)
    with cirrus, pytest.raises(ApiConnectionError) as info:
        cirrus.get_assessment("A")
    assert isinstance(info.value, ConnectionError) and info.value.status is None
