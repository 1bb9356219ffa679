"""Consumer conformance: the iTEP client against the committed contract, both ways.

* Requests: every request the client sends during a run of every client method against
  a served sandbox is recorded at the transport and validated against
  ``contracts/openapi/itep.json``: the path and method are an operation, every query
  parameter is declared and valid, the API key is there (one of the contract's security
  schemes: ``X-API-Key``, or ``?api_key=``), the JSON body validates against the
  operation's request schema. Every operation is sent, both ways of sending the key and
  both encodings of ``assigned_to``.
* Responses: for every operation and every response status of the contract, bodies are
  generated from the response schema and served to the client through a stub transport
  standing in for iTEP. The client must return its typed result, or raise the typed
  error for the code or status (``missing_api_key``, ``invalid_api_key``,
  ``no_available_test_ids`` by code; the rest by status) with the code and message
  sent, and never crash while parsing.

The machinery is every vendor's: ``conformance.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from conformance import (
    Recorder,
    RequestChecker,
    ResponseCases,
    StubVendor,
    examples,
    stub_session,
)
from conformance import unsent_operations as unsent
from contract import Contract, Operation
from hypothesis import given
from hypothesis import strategies as st

from exam_sandbox.client.itep import (
    Assignment,
    AuthenticationError,
    Candidate,
    ConflictError,
    InvalidApiKeyError,
    ItepClient,
    ItepError,
    MissingApiKeyError,
    NoAvailableTestIdsError,
    NotFoundError,
    ServerError,
    TestStatus,
    ValidationError,
)

CONTRACT = Contract.load("itep")
BASE = "http://itep.invalid/itep/api/v1"
JSON = "application/json; charset=utf-8"
violations = RequestChecker(CONTRACT).violations


# --------------------------------------------------------------------------- requests


def every_client_method(client: ItepClient, tenant) -> None:
    """A realistic run of every client method against a seeded sandbox tenant."""
    tenant.itep_tracking_code("CONTRACT-TRACK", "http://127.0.0.1:9/itep/results")
    ada = Candidate("Ada Lovelace", "ada@example.org", "CON-ADA", department="R&D")
    # Assign: every field; the JSON text of the object; a plain mapping, nothing else.
    made = client.assign_test_id(ada, oid="CON-OID-1", tracking_code="CONTRACT-TRACK")
    assert (made.oid, made.tracking_code) == ("CON-OID-1", "CONTRACT-TRACK")
    as_text = client.assign_test_id(ada, oid="CON-OID-2", assigned_to_as="text")
    assert as_text.assigned_to == ada.to_wire()
    client.assign_test_id({"name": "Alan Turing", "reference": "CON-ALAN"})
    # Assign and e-mail: every field, then the fewest, as text.
    mailed = client.assign_and_email(ada, oid="CON-OID-3", tracking_code="CONTRACT-TRACK")
    assert mailed.emailed_to == "ada@example.org"
    client.assign_and_email({"email": "grace@example.org"}, assigned_to_as="text")


def test_every_request_the_client_sends_conforms(sandbox_tenant):
    recorder = Recorder()
    with requests.Session() as session:
        session.mount("http://", recorder)
        with sandbox_tenant.itep_client(session=session, retries=0) as client:
            every_client_method(client, sandbox_tenant)
        # The key as a query parameter (the contract's other security scheme).
        with sandbox_tenant.itep_client(key_in="query", session=session) as by_query:
            assert by_query.assign_test_id(Candidate("Edsger", "e@example.org", "CON-E")).test_id
            assert by_query.assign_and_email(Candidate(email="k@example.org")).emailed_to

    assert any("api_key=" in r.url for r in recorder.sent)
    assert any("X-API-Key" in r.headers for r in recorder.sent)
    problems = {f"{r.method} {r.url}": found for r in recorder.sent if (found := violations(r))}
    assert not problems, json.dumps(problems, indent=2)
    never = unsent(CONTRACT, recorder.sent)
    assert not never, f"the client never sent these operations: {never}"


def test_a_request_outside_the_contract_is_caught():
    assign = f"{BASE}/test-ids/assign"
    keyless = requests.Request("POST", assign, json={"assigned_to": {"name": "A"}}).prepare()
    found = violations(keyless)
    assert any("no X-API-Key header" in p for p in found), found
    assert any("no api_key query parameter" in p for p in found), found
    key = {"X-API-Key": "k"}
    extra = requests.Request(
        "POST", f"{assign}?colour=red", json={"assigned_to": {}}, headers={**key, "X-Trace": "1"}
    ).prepare()
    assert any("'colour' is not declared" in p for p in violations(extra)), violations(extra)
    assert any("'X-Trace' is not declared" in p for p in violations(extra)), violations(extra)
    bad = requests.Request(
        "POST", assign, json={"assigned_to": 1, "oid": "", "extra": 1}, headers=key
    ).prepare()
    found = violations(bad)
    assert any("body['assigned_to']" in p for p in found), found
    assert any("body['oid']" in p for p in found), found
    assert any("'extra' was unexpected" in p for p in found), found
    assert violations(requests.Request("GET", assign, headers=key).prepare())
    by_query = requests.Request("POST", f"{assign}?api_key=k", json={"assigned_to": "{}"})
    assert not violations(by_query.prepare())


# --------------------------------------------------------------------------- responses


@dataclass(frozen=True)
class Call:
    """How to make the client send one operation, and what it returns on success."""

    run: Callable[[ItepClient], Any]
    returns: type


ADA = Candidate("Ada Lovelace", "ada@example.org", "HR-1")
CALLS: dict[str, Call] = {
    "POST /api/v1/test-ids/assign": Call(
        lambda c: c.assign_test_id(ADA, oid="HR-1", tracking_code="T"), Assignment
    ),
    "POST /api/v1/test-ids/assign-and-email": Call(
        lambda c: c.assign_and_email(ADA, oid="HR-1"), Assignment
    ),
}

# The statuses a 'default' response stands for: any other iTEP may send (the wire
# format's 404, 405, 413, 415 and 500).
DEFAULT_STATUSES = (404, 405, 413, 415, 500)
BY_STATUS = {
    400: ValidationError,
    401: AuthenticationError,
    404: NotFoundError,
    409: ConflictError,
    500: ServerError,
}
# A code with a kind of its own decides the kind, whatever the status.
BY_CODE = {
    "missing_api_key": MissingApiKeyError,
    "invalid_api_key": InvalidApiKeyError,
    "no_available_test_ids": NoAvailableTestIdsError,
}
CASES = ResponseCases(CONTRACT, DEFAULT_STATUSES)


def test_every_operation_of_the_contract_has_a_client_call():
    assert sorted(CALLS) == sorted(op.id for op in CONTRACT.operations)


def answer(op: Operation, status: int, body: Any) -> tuple[Any, StubVendor]:
    """Serve ``body`` once to the client call for ``op``; its result or its exception."""
    vendor = StubVendor(status, json.dumps(body).encode(), JSON)
    with stub_session(vendor) as session, ItepClient(BASE, "k", session=session) as client:
        try:
            return CALLS[op.id].run(client), vendor
        except ItepError as exc:
            return exc, vendor


def check(op: Operation, status: int, body: Any, outcome: Any) -> None:
    if status >= 300:
        assert isinstance(outcome, ItepError), f"{op.id} {status}: returned {outcome!r}"
        code = body["error"]
        expected = BY_CODE.get(code) or BY_STATUS.get(status, ItepError)
        assert type(outcome) is expected or (
            expected is ItepError and isinstance(outcome, ItepError)
        ), f"{op.id} {status} {code}: {type(outcome).__name__}"
        assert outcome.status == status
        assert outcome.code == code  # an ErrorCode is the text it stands for
        [detail] = outcome.errors
        assert detail.message == (body["message"].strip() or code)
        return
    assert isinstance(outcome, CALLS[op.id].returns), f"{op.id}: {outcome!r}"
    assert (outcome.test_id, outcome.product_code, outcome.source) == (
        body["test_id"],
        body["product_code"],
        body["source"],
    )
    assert (outcome.oid, outcome.tracking_code) == (body["oid"], body["tracking_code"])
    assert outcome.status == TestStatus(body["status"])
    assert outcome.assigned_to == body["assigned_to"]
    assert outcome.emailed_to == body.get("emailed_to")
    assert outcome.raw == body


SUCCESSES, FAILURES = CASES.successes, CASES.failures


def served_to_the_client(op: Operation, status: int, data: st.DataObject) -> None:
    body = CASES.draw(op, status, data)
    outcome, vendor = answer(op, status, body)
    check(op, status, body, outcome)
    for sent in vendor.requests:
        assert not violations(sent), violations(sent)


@pytest.mark.parametrize(("op", "status"), SUCCESSES, ids=CASES.ids(SUCCESSES))
@examples(25)
@given(data=st.data())
def test_the_client_parses_every_success_the_contract_allows(op, status, data):
    served_to_the_client(op, status, data)


@pytest.mark.parametrize(("op", "status"), FAILURES, ids=CASES.ids(FAILURES))
@examples(10)
@given(data=st.data())
def test_the_client_raises_a_typed_error_for_every_failure(op, status, data):
    # One error schema and one parser, with a code that picks the kind: a few more
    # examples than one per code would need.
    served_to_the_client(op, status, data)
