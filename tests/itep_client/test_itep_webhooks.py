"""The receiver's side of iTEP's results webhook: a form with one field ``data`` holding
JSON, the sandbox's signature, and the typed result (dates, levels, sections)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

import pytest
import requests
from itep_samples import RESULT

from exam_sandbox.client.itep import (
    SIGNATURE_HEADER,
    ItepError,
    SectionScore,
    TestStatus,
    WebhookError,
    WebhookSignatureError,
    data_of,
    read_results,
    results_body,
    sign,
    verify_signature,
)
from exam_sandbox.client.itep.models import TestResult
from exam_sandbox.client.itep.webhooks import signature_of

SECRET = "whsec-itep-4c1d"


def form(payload: dict[str, Any]) -> bytes:
    """The body as iTEP's docs describe it, built without the helper under test."""
    return ("data=" + quote(json.dumps(payload), safe="")).encode("ascii")


BODY = form(RESULT)


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    """The interface's definition of the header, computed independently of the helper."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return {SIGNATURE_HEADER: "sha256=" + digest, "Content-Type": "x"}


# ------------------------------------------------------------------ the typed result


def test_a_signed_delivery_is_read_into_the_typed_result():
    result = read_results(BODY, signed(BODY), secret=SECRET)
    assert result == TestResult(
        oid="HR-1",
        test_id="123982B8AP",
        duration=74,
        test_date=dt.date(2027, 3, 7),
        score_report_url="http://127.0.0.1:8080/itep/reports/123982B8AP",
        overall_level=3.4,
        overall_cefr="B1",
        status=TestStatus.COMPLETE,
        sections={
            "Grammar": SectionScore(3.6, "B1"),
            "Listening": SectionScore(3.1, "B1"),
            "Reading": SectionScore(3.3, "B1"),
            "Writing": SectionScore(3.0, "B1"),
            "Speaking": SectionScore(3.9, "B1"),
        },
    )
    assert list(result.sections) == ["Grammar", "Listening", "Reading", "Writing", "Speaking"]
    assert isinstance(result.sections["Writing"].level, float)
    level, cefr = result.sections["Speaking"]
    assert (level, cefr) == (3.9, "B1")
    assert result.raw == RESULT and result.test_date_text == "3/7/2027"


def test_levels_sent_as_text_are_floats_and_sections_are_every_pair_sent():
    payload = {
        **{k: v for k, v in RESULT.items() if not k.startswith(("Grammar", "Listening"))},
        "Overall_Level": "4",
        "Reading_Level": "3.3",
        "Writing_cefr": "A2",  # no Writing_Level
        "Writing_Level": None,
        "speaking_level": 5.1,  # another case
        "Speaking_cefr": "C1",
    }
    del payload["Speaking_Level"]
    result = read_results(form(payload), None, secret=None)
    assert result.overall_level == 4.0 and isinstance(result.overall_level, float)
    assert result.sections == {
        "Reading": SectionScore(3.3, "B1"),
        "Writing": SectionScore(None, "A2"),
        "Speaking": SectionScore(5.1, "C1"),
    }
    assert "Overall" not in result.sections


def test_an_unknown_status_is_kept_as_its_text_and_a_known_one_read_in_any_case():
    labels = {"Completed": "Completed", "invalidated": TestStatus.INVALIDATED, "PROBLEM": "Problem"}
    for sent, expected in labels.items():
        result = read_results(form({**RESULT, "Status": sent}), None, secret=None)
        assert result.status == expected
    assert not isinstance(
        read_results(form({**RESULT, "Status": "Completed"}), None, secret=None).status,
        TestStatus,
    )


@pytest.mark.parametrize(
    ("text", "parts", "day"),
    [
        ("3/7/2027", (3, 7, 2027), dt.date(2027, 3, 7)),
        ("12/31/2026", (12, 31, 2026), dt.date(2026, 12, 31)),
        ("1/1/1901", (1, 1, 1901), dt.date(1901, 1, 1)),
        ("03/07/2027", (3, 7, 2027), dt.date(2027, 3, 7)),  # padded: read all the same
        ("2/29/2028", ("2", "29", "2028"), dt.date(2028, 2, 29)),  # parts as text
    ],
)
def test_test_date_is_m_d_yyyy_checked_against_its_parts(text, parts, day):
    month, dd, year = parts
    payload = {**RESULT, "TestDate": text, "TestMonth": month, "TestDay": dd, "TestYear": year}
    assert read_results(form(payload), None, secret=None).test_date == day


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"TestDate": "2027-03-07"}, "not M/D/YYYY"),
        ({"TestDate": "7.3.2027"}, "not M/D/YYYY"),
        ({"TestDate": "3/7/27"}, "not M/D/YYYY"),
        ({"TestDate": 20270307}, "not M/D/YYYY"),
        ({"TestDate": "2/30/2027", "TestDay": 30, "TestMonth": 2}, "day is out of range"),
        ({"TestDate": "13/7/2027"}, "month must be in 1..12"),
        ({"TestDay": 8}, "disagrees with TestDay 8"),
        ({"TestDate": "7/3/2027"}, "disagrees with TestMonth 3"),  # D/M/YYYY read as M/D
        ({"TestYear": 2026}, "disagrees with TestYear 2026"),
        ({"TestMonth": "March"}, "TestMonth is not a whole number"),
    ],
)
def test_a_date_that_cannot_be_read_or_disagrees_is_a_webhook_error(changes, match):
    body = form({**RESULT, **changes})
    with pytest.raises(WebhookError, match=match) as info:
        read_results(body, signed(body), secret=SECRET)
    assert not isinstance(info.value, WebhookSignatureError)


def test_without_test_date_the_parts_make_it_and_without_either_it_is_none():
    bare = {k: v for k, v in RESULT.items() if not k.startswith("Test") or k == "TestID"}
    assert read_results(form(bare), None, secret=None).test_date is None
    parts = {**bare, "TestMonth": 11, "TestDay": 5, "TestYear": 2026}
    assert read_results(form(parts), None, secret=None).test_date == dt.date(2026, 11, 5)
    with pytest.raises(WebhookError, match="make no date"):
        read_results(form({**parts, "TestDay": 31}), None, secret=None)


# ------------------------------------------------------------------ signatures


def test_sign_is_hmac_sha256_of_the_exact_body_keyed_with_the_secret():
    assert sign(BODY, SECRET) == signed(BODY)[SIGNATURE_HEADER]
    assert sign(BODY, SECRET.encode()) == sign(BODY, SECRET)
    assert sign(BODY + b"&", SECRET) != sign(BODY, SECRET)


def test_verify_accepts_the_right_signature_and_refuses_any_other():
    good = signed(BODY)[SIGNATURE_HEADER]
    digest = good[len("sha256=") :]
    assert verify_signature(BODY, good, SECRET)
    assert verify_signature(BODY, "SHA256=" + digest.upper(), SECRET)
    assert not verify_signature(BODY, signed(BODY, "another")[SIGNATURE_HEADER], SECRET)
    assert not verify_signature(BODY.replace(b"HR-1", b"HR-2"), good, SECRET)
    assert not verify_signature(BODY, digest, SECRET)  # no scheme
    assert not verify_signature(BODY, "sha1=" + digest, SECRET)
    assert not verify_signature(BODY, "sha256=", SECRET)
    assert not verify_signature(BODY, None, SECRET)
    with pytest.raises(TypeError, match="raw body bytes"):
        verify_signature(RESULT, good, SECRET)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="secret"):
        verify_signature(BODY, good, "")


def test_a_missing_or_wrong_signature_is_refused_before_the_body_is_read():
    with pytest.raises(WebhookSignatureError, match="no X-Sandbox-Signature"):
        read_results(BODY, {"Content-Type": "application/x-www-form-urlencoded"}, secret=SECRET)
    with pytest.raises(WebhookSignatureError, match="no X-Sandbox-Signature"):
        read_results(BODY, None, secret=SECRET)
    with pytest.raises(WebhookSignatureError, match="does not match"):
        read_results(BODY, signed(BODY, "old-secret"), secret=SECRET)
    tampered = form({**RESULT, "Overall_Level": 6.0})
    with pytest.raises(WebhookSignatureError):
        read_results(tampered, signed(BODY), secret=SECRET)
    with pytest.raises(WebhookSignatureError):  # malformed, but the signature fails first
        read_results(b"not a form", signed(BODY), secret=SECRET)
    assert issubclass(WebhookSignatureError, WebhookError)
    assert issubclass(WebhookError, ItepError) and issubclass(WebhookError, ValueError)


def test_verification_is_skipped_only_when_asked_for():
    assert read_results(BODY, None, secret=None).test_id == "123982B8AP"
    with pytest.raises(TypeError):
        read_results(BODY, signed(BODY))  # type: ignore[call-arg]  # secret= is required


@pytest.mark.parametrize(
    "headers",
    [
        {"x-sandbox-signature": sign(BODY, SECRET)},  # lower case (ASGI, HTTP/2)
        {"HTTP_X_SANDBOX_SIGNATURE": sign(BODY, SECRET)},  # Django's request.META
        [(b"x-sandbox-signature", sign(BODY, SECRET).encode())],  # ASGI scope["headers"]
    ],
)
def test_the_header_is_found_in_any_frameworks_headers(headers):
    assert signature_of(headers) == sign(BODY, SECRET)
    assert read_results(BODY, headers, secret=SECRET).oid == "HR-1"


# ------------------------------------------------------------------ malformed bodies


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"", "exactly one field 'data'; it has 0"),
        (form(RESULT) + b"&tracking=ACME", "it has 2: \\['data', 'tracking'\\]"),
        (form(RESULT) + b"&" + form(RESULT), "it has 2: \\['data', 'data'\\]"),
        (b"payload=" + form(RESULT)[5:], "it has 1: \\['payload'\\]"),
        (b"DATA=" + form(RESULT)[5:], "\\['DATA'\\]"),
        (json.dumps(RESULT).encode(), "not a form|exactly one field"),  # JSON, not a form
        (b"data", "not a form"),  # a field without '='
        (b"data=%FF%FE", "not a form"),  # not UTF-8 once decoded
        (b"\xff\xfe=1", "not a form"),
        (b"data=", "'data' is not JSON"),
        (b"data=HR-1", "'data' is not JSON"),
        (form([RESULT]), "'data' is a JSON list, not an object"),  # type: ignore[arg-type]
        (b'data="3.4"', "'data' is a JSON str, not an object"),
    ],
)
def test_a_malformed_body_is_a_webhook_error(body, match):
    with pytest.raises(WebhookError, match=match) as info:
        read_results(body, signed(body), secret=SECRET)
    assert not isinstance(info.value, WebhookSignatureError)


def test_results_body_is_one_form_field_holding_the_json():
    body = results_body(RESULT)
    assert parse_qs(body.decode("ascii")) == {"data": [json.dumps(RESULT, separators=(",", ":"))]}
    assert data_of(body) == RESULT == data_of(form(RESULT))
    # space as '+', as HTML forms encode it, reads the same
    spaced = urlencode({"data": json.dumps({**RESULT, "OID": "HR 1"})}).encode()
    assert b"+" in spaced and data_of(spaced)["OID"] == "HR 1"


# ------------------------------------------------------------------ a real receiver


class Receiver:
    """A real HTTP receiver built on ``read_results``, as a user's own would be."""

    def __init__(self, secret: str) -> None:
        self.got: list[Any] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    outer.got.append(read_results(body, self.headers, secret=secret))
                    status = 200
                except WebhookSignatureError:
                    status = 401
                except WebhookError:
                    status = 400
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/itep-results"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def receiver():
    server = Receiver(SECRET)
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_a_receiver_reads_a_form_that_requests_encoded_and_refuses_the_rest(receiver):
    with requests.Session() as http:
        # requests form-encodes the field itself; the signature is over the bytes it sends
        prepared = http.prepare_request(
            requests.Request("POST", receiver.url, data={"data": json.dumps(RESULT)})
        )
        assert prepared.headers["Content-Type"] == "application/x-www-form-urlencoded"
        prepared.headers[SIGNATURE_HEADER] = sign(prepared.body.encode(), SECRET)
        assert http.send(prepared, timeout=5).status_code == 200

        unsigned = http.post(receiver.url, data={"data": json.dumps(RESULT)}, timeout=5)
        assert unsigned.status_code == 401
        two = {"data": json.dumps(RESULT), "extra": "1"}
        body = urlencode(two).encode()
        headers = {SIGNATURE_HEADER: sign(body, SECRET)}
        assert http.post(receiver.url, data=body, headers=headers, timeout=5).status_code == 400
    assert [r.test_id for r in receiver.got] == ["123982B8AP"]
    assert receiver.got[0].sections["Grammar"] == (3.6, "B1")
