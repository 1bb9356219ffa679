"""The vendor-neutral transport on its own."""

from __future__ import annotations

import email.utils
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from exam_sandbox.client.core import errors, http

ROOT = Path(__file__).resolve().parents[2]


def test_parse_retry_after():
    assert http.parse_retry_after(None) is None
    assert http.parse_retry_after("") is None
    assert http.parse_retry_after("12") == 12.0
    assert http.parse_retry_after("1.5") == 1.5
    assert http.parse_retry_after("-3") == 0.0
    assert http.parse_retry_after("soon") is None
    now = 1_700_000_000
    date = email.utils.formatdate(now + 42, usegmt=True)
    assert http.parse_retry_after(date, now=now) == pytest.approx(42)
    assert http.parse_retry_after(email.utils.formatdate(now - 60, usegmt=True), now=now) == 0


def test_encode_query_keeps_dollar_and_odata_punctuation():
    q = http.encode_query({"$top": 40, "$filter": "name eq 'a&b' and x/y eq 1+1",
                           "flag": True, "none": None, "multi": [1, 2]})
    assert q == ("$top=40&$filter=name%20eq%20'a%26b'%20and%20x/y%20eq%201%2B1"
                 "&flag=true&multi=1&multi=2")


def test_error_types_for_status():
    kinds = errors.NEUTRAL
    assert kinds.for_status(400) is errors.ValidationError
    assert kinds.for_status(422) is errors.ValidationError
    assert kinds.for_status(401) is errors.AuthenticationError
    assert kinds.for_status(403) is errors.PermissionDeniedError
    assert kinds.for_status(404) is errors.NotFoundError
    assert kinds.for_status(409) is errors.ConflictError
    assert kinds.for_status(429) is errors.RateLimitedError
    assert kinds.for_status(599) is errors.ServerError


def test_a_status_no_kind_names_is_the_base_error():
    assert errors.NEUTRAL.for_status(405) is errors.ApiError
    assert errors.NEUTRAL.for_status(410) is errors.ApiError


def test_error_detail_carries_an_optional_field_outside_the_tuple():
    detail = errors.ErrorDetail(7, "bad date", "dateOfBirth")
    code, message = detail
    assert (code, message, detail.field) == (7, "bad date", "dateOfBirth")
    assert detail == (7, "bad date") and errors.ErrorDetail(7, "x").field is None
    assert "field='dateOfBirth'" in repr(detail)
    err = errors.ApiError("e", errors=[detail, (8, "other")])
    assert [e.field for e in err.errors] == ["dateOfBirth", None]


def test_neutral_client_maps_errors_and_parses_generic_bodies(server):
    server.reply(404, {"errors": [{"code": "E1", "message": "nope", "field": "id"}]})
    server.reply(409, {"message": "conflict"})
    with http.HttpClient(server.url) as client:
        with pytest.raises(errors.NotFoundError) as info:
            client.request("GET", "/thing/1")
        assert info.value.errors == [("E1", "nope")] and info.value.errors[0].field == "id"
        with pytest.raises(errors.ApiError) as info:
            client.request("POST", "thing", json={"a": 1})
        assert info.value.status == 409 and info.value.messages == ["conflict"]
    assert server.requests[1].json() == {"a": 1}
    assert server.requests[1].header("Content-Type") == "application/json"
    assert server.requests[1].header("User-Agent").startswith("exam-sandbox-client/")


def test_backoff_is_exponential_and_capped(server):
    sleeps = []
    for _ in range(5):
        server.reply(503)
    client = http.HttpClient(server.url, retries=4, backoff_factor=1, backoff_max=3,
                             sleep=sleeps.append, jitter=lambda: 1.0)
    with pytest.raises(errors.ServerError):
        client.request("GET", "x")
    assert sleeps == [1, 2, 3, 3]
    client.close()


def test_jitter_halves_at_most(server):
    sleeps = []
    server.reply(500)
    server.reply(200)
    client = http.HttpClient(server.url, sleep=sleeps.append, jitter=lambda: 0.0)
    assert client.request("HEAD", "x").status_code == 200
    assert sleeps == [0.25]


def test_501_is_not_retried(server):
    sleeps = []
    server.reply(501)
    client = http.HttpClient(server.url, sleep=sleeps.append)
    with pytest.raises(errors.ServerError):
        client.request("GET", "x")
    assert sleeps == [] and len(server.requests) == 1


def test_session_ownership(server):
    session = requests.Session()
    client = http.HttpClient(server.url, session=session, headers={"X-Extra": "1"})
    server.reply(200)
    client.request("GET", "x")
    client.close()
    assert server.requests[0].header("X-Extra") == "1"
    assert "X-Extra" not in session.headers  # the caller's session is not mutated
    server.reply(200)
    session.get(server.url)  # still usable: not closed by the client
    session.close()


def test_argument_validation():
    with pytest.raises(ValueError):
        http.HttpClient("example.com")
    with pytest.raises(ValueError):
        http.HttpClient("http://x", retries=-1)
    with pytest.raises(ValueError):
        http.HttpClient("http://x", timeout=(5, 0))
    assert http.HttpClient("http://x/", timeout=(3, 10)).timeout == (3, 10)
    assert repr(http.HttpClient("http://x/", auth=("u", "secret"))) == (
        "HttpClient(base_url='http://x')")


def test_the_client_never_imports_the_sandbox():
    """The client is the independent implementation the contract tests compare."""
    # exam_sandbox.client lives inside the exam_sandbox package, whose own __init__ is
    # empty; nothing else of exam_sandbox may come along.
    # Every module of the client, walked from its folder, so a new vendor package counts.
    code = ("import importlib, pkgutil, sys, exam_sandbox.client as c; "
            "[importlib.import_module(m.name) for m in "
            "pkgutil.walk_packages(c.__path__, 'exam_sandbox.client.')]; "
            "assert 'exam_sandbox.client.janison.auth' in sys.modules; "
            "bad = sorted(m for m in sys.modules if m.startswith('exam_sandbox.') "
            "and not m.startswith('exam_sandbox.client')); "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=30)
