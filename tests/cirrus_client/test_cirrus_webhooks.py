"""The receiver's side of "Exam results ready": signature checks and the typed payload."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from exam_sandbox.client.cirrus import (
    SIGNATURE_HEADER,
    CirrusError,
    ResultsReady,
    WebhookError,
    WebhookSignatureError,
    read_results_ready,
    sign,
    verify_signature,
)
from exam_sandbox.client.cirrus.webhooks import signature_of

SECRET = "whsec-7f3a9c"
PAYLOAD = {
    "CandidateExtId": "C-1",
    "ScheduleExtId": "oaOXkn",
    "AttemptExtId": "T-1",
    "AssessmentExtId": "MATHS-1",
}
BODY = json.dumps(PAYLOAD, separators=(",", ":")).encode()


def expected(body: bytes, secret: str = SECRET) -> str:
    """The interface's definition, computed independently of the helper."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def test_sign_is_hmac_sha256_of_the_exact_body_keyed_with_the_secret():
    assert sign(BODY, SECRET) == expected(BODY)
    assert sign(BODY, SECRET.encode()) == expected(BODY)
    assert sign(BODY + b" ", SECRET) != sign(BODY, SECRET)


def test_verify_accepts_the_right_signature_and_refuses_any_other():
    good = expected(BODY)
    assert verify_signature(BODY, good, SECRET)
    assert verify_signature(BODY, good.upper().replace("SHA256=", "sha256="), SECRET)
    assert verify_signature(BODY, "SHA256=" + good[len("sha256=") :], SECRET)
    assert not verify_signature(BODY, expected(BODY, "another-secret"), SECRET)
    assert not verify_signature(BODY.replace(b"T-1", b"T-2"), good, SECRET)
    assert not verify_signature(BODY, good[len("sha256=") :], SECRET)  # no scheme
    assert not verify_signature(BODY, "sha1=" + good[len("sha256=") :], SECRET)
    assert not verify_signature(BODY, "sha256=", SECRET)
    assert not verify_signature(BODY, None, SECRET)
    assert not verify_signature(BODY, "", SECRET)


def test_verify_wants_the_raw_bytes_and_a_secret():
    with pytest.raises(TypeError, match="raw body bytes"):
        verify_signature(PAYLOAD, expected(BODY), SECRET)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="secret"):
        verify_signature(BODY, expected(BODY), "")


def test_a_signed_delivery_is_read_into_the_typed_payload():
    event = read_results_ready(BODY, {SIGNATURE_HEADER: expected(BODY)}, secret=SECRET)
    assert event == ResultsReady(
        candidate_ext_id="C-1",
        schedule_ext_id="oaOXkn",
        attempt_ext_id="T-1",
        assessment_ext_id="MATHS-1",
    )
    assert event.raw == PAYLOAD


@pytest.mark.parametrize(
    "headers",
    [
        {"x-sandbox-signature": expected(BODY)},  # a plain dict, lower case (ASGI, http2)
        {"HTTP_X_SANDBOX_SIGNATURE": expected(BODY)},  # Django's request.META
        [(b"x-sandbox-signature", expected(BODY).encode())],  # ASGI scope["headers"]
        [("X-Sandbox-Signature", expected(BODY))],  # a list of pairs
    ],
)
def test_the_header_is_found_in_any_frameworks_headers(headers):
    assert signature_of(headers) == expected(BODY)
    assert read_results_ready(BODY, headers, secret=SECRET).attempt_ext_id == "T-1"


def test_werkzeug_headers_work_as_flask_gives_them():
    from werkzeug.datastructures import Headers

    headers = Headers([("X-SANDBOX-SIGNATURE", expected(BODY)), ("Content-Type", "x")])
    assert read_results_ready(BODY, headers, secret=SECRET).candidate_ext_id == "C-1"


def test_a_missing_or_wrong_signature_is_refused():
    with pytest.raises(WebhookSignatureError, match="no X-Sandbox-Signature"):
        read_results_ready(BODY, {"Content-Type": "application/json"}, secret=SECRET)
    with pytest.raises(WebhookSignatureError, match="does not match"):
        read_results_ready(BODY, {SIGNATURE_HEADER: expected(BODY, "old")}, secret=SECRET)
    tampered = BODY.replace(b"T-1", b"T-9")
    with pytest.raises(WebhookSignatureError):
        read_results_ready(tampered, {SIGNATURE_HEADER: expected(BODY)}, secret=SECRET)
    assert issubclass(WebhookSignatureError, WebhookError)
    assert issubclass(WebhookError, CirrusError) and issubclass(WebhookError, ValueError)


def test_verification_is_skipped_only_when_asked_for():
    event = read_results_ready(BODY, None, secret=None)
    assert event.schedule_ext_id == "oaOXkn"
    with pytest.raises(TypeError):
        read_results_ready(BODY, {})  # type: ignore[call-arg]  # secret= is required


def test_a_body_that_is_not_a_json_object_is_a_webhook_error():
    for body in (b"data=1", b"[1, 2]", b"\xff\xfe"):
        with pytest.raises(WebhookError) as info:
            read_results_ready(body, {SIGNATURE_HEADER: expected(body)}, secret=SECRET)
        assert not isinstance(info.value, WebhookSignatureError)


def test_unknown_members_are_kept_and_missing_ones_are_none():
    body = json.dumps({"attemptExtId": "T-3", "Rescored": True}).encode()
    event = read_results_ready(body, {SIGNATURE_HEADER: expected(body)}, secret=SECRET)
    assert event.attempt_ext_id == "T-3" and event.candidate_ext_id is None
    assert event.raw["Rescored"] is True
