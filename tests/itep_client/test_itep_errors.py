"""Every iTEP error answer raised by kind, and the assign calls never retried: a retry
after a 5xx or a timeout could assign a second test ID."""

from __future__ import annotations

import socket
import time

import pytest
from itep_samples import ADA, KEY, assigned, refused

import exam_sandbox.client as neutral
from exam_sandbox.client.itep import (
    ApiConnectionError,
    ApiTimeoutError,
    AuthenticationError,
    ErrorCode,
    InvalidApiKeyError,
    ItepClient,
    ItepError,
    MissingApiKeyError,
    NoAvailableTestIdsError,
    NotFoundError,
    ServerError,
    ValidationError,
)
from exam_sandbox.client.itep.errors import ConflictError, error_class

# Every row of the wire page's error table: status, code, class, the neutral kind.
TABLE = [
    (401, "missing_api_key", MissingApiKeyError, neutral.AuthenticationError),
    (401, "invalid_api_key", InvalidApiKeyError, neutral.AuthenticationError),
    (400, "invalid_request", ValidationError, neutral.ValidationError),
    (400, "assigned_to_must_be_json", ValidationError, neutral.ValidationError),
    (400, "assigned_to_incomplete", ValidationError, neutral.ValidationError),
    (400, "candidate_email_required", ValidationError, neutral.ValidationError),
    (400, "invalid_oid", ValidationError, neutral.ValidationError),
    (400, "invalid_tracking_code", ValidationError, neutral.ValidationError),
    (400, "unknown_tracking_code", ValidationError, neutral.ValidationError),
    (409, "no_available_test_ids", NoAvailableTestIdsError, neutral.ConflictError),
    (404, "not_found", NotFoundError, neutral.NotFoundError),
    (405, "method_not_allowed", ItepError, neutral.ApiError),
    (413, "payload_too_large", ItepError, neutral.ApiError),
    (415, "unsupported_media_type", ItepError, neutral.ApiError),
    (500, "internal_error", ServerError, neutral.ServerError),
]


@pytest.mark.parametrize(("status", "code", "cls", "kind"), TABLE)
def test_every_error_of_the_table_is_raised_by_kind_with_its_code(
    vendor, itep, sleeps, status, code, cls, kind
):
    message = f"the sandbox says {code}"
    vendor.reply(status, refused(code, message))
    with pytest.raises(cls) as info:
        itep.assign_test_id(ADA)
    error = info.value
    assert type(error) is cls  # the most specific class, not a parent's
    assert isinstance(error, kind) and isinstance(error, ItepError)
    assert error.status == status
    assert error.code == code and error.code is ErrorCode(code)
    assert error.messages == [message] and error.errors[0].code == code
    assert f"HTTP {status}: {code}: {message}" in str(error)
    assert error.method == "POST" and error.url.endswith("/test-ids/assign")
    assert len(vendor.requests) == 1 and sleeps == []  # never retried


def test_the_two_key_errors_are_distinct_authentication_errors():
    assert issubclass(MissingApiKeyError, AuthenticationError)
    assert issubclass(InvalidApiKeyError, AuthenticationError)
    assert not issubclass(MissingApiKeyError, InvalidApiKeyError)
    assert not issubclass(InvalidApiKeyError, MissingApiKeyError)
    assert issubclass(NoAvailableTestIdsError, ConflictError)
    assert not issubclass(NoAvailableTestIdsError, ValidationError)


def test_the_email_call_without_an_address_is_a_validation_error(vendor, itep):
    vendor.reply(400, refused("candidate_email_required", "assigned_to.email is required"))
    with pytest.raises(neutral.ValidationError) as info:
        itep.assign_and_email({"name": "Ada", "reference": "HR-1"})
    assert info.value.code == ErrorCode.CANDIDATE_EMAIL_REQUIRED
    assert vendor.last.path.endswith("/test-ids/assign-and-email")


def test_an_empty_inventory_is_caught_as_the_vendor_neutral_conflict(vendor, itep):
    vendor.reply(409, refused("no_available_test_ids", "no Ready test ID of AP is unassigned"))
    with pytest.raises(neutral.ConflictError) as info:
        itep.assign_and_email(ADA)
    assert isinstance(info.value, NoAvailableTestIdsError)
    assert info.value.messages == ["no Ready test ID of AP is unassigned"]


def test_an_unknown_code_keeps_its_statuss_kind_and_its_text(vendor, itep):
    vendor.reply(400, refused("oid_taken", "OID HR-1 is used"))
    vendor.reply(401, refused("key_expired", "expired"))
    with pytest.raises(ValidationError) as info:
        itep.assign_test_id(ADA)
    assert info.value.code == "oid_taken" and not isinstance(info.value.code, ErrorCode)
    with pytest.raises(AuthenticationError) as info:
        itep.assign_test_id(ADA)
    assert type(info.value) is AuthenticationError and info.value.code == "key_expired"


def test_a_code_decides_over_the_status_where_it_has_a_class():
    details = [neutral.ErrorDetail("invalid_api_key", "no such key")]
    assert error_class(403, details) is InvalidApiKeyError
    assert error_class(400, [neutral.ErrorDetail("NO_AVAILABLE_TEST_IDS", "")]) is (
        NoAvailableTestIdsError
    )
    assert error_class(400, []) is ValidationError
    assert error_class(502, [neutral.ErrorDetail(None, "Bad Gateway")]) is ServerError


def test_a_body_with_only_a_code_or_a_proxys_text_still_says_what_happened(vendor, itep):
    vendor.reply(401, {"error": "missing_api_key"})
    vendor.reply(502, "Bad Gateway: upstream timed out")
    vendor.reply(503, None)
    with pytest.raises(MissingApiKeyError) as info:
        itep.assign_test_id(ADA)
    assert info.value.messages == ["missing_api_key"]
    assert str(info.value).endswith("HTTP 401: missing_api_key")
    with pytest.raises(ServerError) as info:
        itep.assign_test_id(ADA)
    assert info.value.status == 502 and info.value.code is None
    assert info.value.messages == ["Bad Gateway: upstream timed out"]
    with pytest.raises(ServerError) as info:
        itep.assign_test_id(ADA)
    assert info.value.status == 503 and info.value.messages == []


# ------------------------------------------------------------------ no retries of an assign


@pytest.mark.parametrize("call", ["assign_test_id", "assign_and_email"])
@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_an_assign_is_not_retried_on_a_5xx(vendor, itep, sleeps, call, status):
    vendor.reply(status, refused("internal_error", "boom"))
    vendor.reply(200, assigned())  # would be a second test ID
    with pytest.raises(ServerError):
        getattr(itep, call)(ADA)
    assert len(vendor.requests) == 1 and sleeps == []
    assert len(vendor.script) == 1  # the second answer was never asked for


def test_an_assign_is_not_retried_on_a_429_even_with_a_short_retry_after(vendor, itep, sleeps):
    vendor.reply(
        429, {"error": "rate_limited", "message": "slow down"}, headers={"Retry-After": "1"}
    )
    vendor.reply(200, assigned())
    with pytest.raises(neutral.RateLimitedError) as info:
        itep.assign_test_id(ADA)
    assert info.value.retry_after == 1
    assert len(vendor.requests) == 1 and sleeps == []


def test_a_timed_out_assign_is_a_timeout_error_and_not_retried(vendor, sleeps):
    vendor.reply(200, assigned(), delay=0.8)
    vendor.reply(200, assigned("50613490AP"))
    with ItepClient(vendor.url, KEY, timeout=(2, 0.2), sleep=sleeps.append) as itep:
        began = time.monotonic()
        with pytest.raises(ApiTimeoutError) as info:
            itep.assign_and_email(ADA)
        assert time.monotonic() - began < 0.75
    assert isinstance(info.value, TimeoutError) and isinstance(info.value, neutral.TransportError)
    assert info.value.status is None and info.value.method == "POST"
    assert sleeps == [] and len(vendor.script) == 1  # never sent again


def test_a_per_call_timeout_overrides_the_clients(vendor, itep):
    vendor.reply(200, assigned(), delay=0.8)
    with pytest.raises(ApiTimeoutError):
        itep.assign_test_id(ADA, timeout=(1, 0.2))


def test_idempotent_calls_through_request_are_retried_unlike_the_assigns(vendor, itep, sleeps):
    vendor.reply(503, refused("internal_error", "busy"))
    vendor.reply(200, {"ok": True})
    assert itep.request("GET", "test-ids/available") == {"ok": True}
    assert len(vendor.requests) == 2 and len(sleeps) == 1
    assert all(r.header("X-API-Key") == KEY for r in vendor.requests)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refused_connection_is_a_connection_error():
    itep = ItepClient(f"http://127.0.0.1:{_closed_port()}/itep/api/v1", KEY)
    with itep, pytest.raises(ApiConnectionError) as info:
        itep.assign_test_id(ADA)
    assert isinstance(info.value, ConnectionError) and info.value.status is None


def test_a_query_key_is_struck_from_a_transport_errors_message():
    itep = ItepClient(f"http://127.0.0.1:{_closed_port()}/itep/api/v1", KEY, key_in="query")
    with itep, pytest.raises(ApiConnectionError) as info:
        itep.assign_test_id(ADA)
    error = info.value
    assert KEY not in str(error) and KEY not in (error.url or "")
    assert "api_key=***" in str(error)  # urllib3 names the URL; the key is struck from it
    assert error.__cause__ is None and error.__suppress_context__


def test_a_query_key_is_in_no_status_errors_message_or_url(vendor):
    vendor.reply(401, refused("invalid_api_key", "unknown key"))
    with (
        ItepClient(vendor.url, KEY, key_in="query") as itep,
        pytest.raises(InvalidApiKeyError) as info,
    ):
        itep.assign_test_id(ADA)
    assert vendor.last.query == {"api_key": [KEY]}  # it was sent
    assert KEY not in str(info.value) and KEY not in info.value.url
