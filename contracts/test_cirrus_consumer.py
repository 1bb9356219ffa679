"""Consumer conformance: the Cirrus client against the committed contract, both ways.

* Requests: every request the client sends during a run of every client method against
  a served sandbox is recorded at the transport and validated against
  ``contracts/openapi/cirrus.json``: the path and method are an operation, every query
  parameter is declared and valid, the EAPI token is there (the contract's security
  scheme, ``Authorization``), the JSON body validates against the operation's request
  schema. Every operation is sent.
* Responses: for every operation and every response status of the contract, bodies are
  generated from the response schema and served to the client through a stub transport
  standing in for Cirrus. The client must return its typed result, or raise the typed
  error for the status (or for a 2xx that says it failed: ``Success: false``, or
  ``Errors``), and never crash while parsing.

The machinery is every vendor's: ``conformance.py``.
"""

from __future__ import annotations

import datetime as dt
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

from exam_sandbox.client.cirrus import (
    Assessment,
    Candidate,
    CandidateResults,
    CirrusClient,
    CirrusError,
    NotAllowedError,
    NotFoundError,
    Purpose,
    RateLimitedError,
    ScheduleInfo,
    ScheduleResult,
    ServerError,
    ValidationError,
    Workflow,
    WriteResult,
)

CONTRACT = Contract.load("cirrus")
BASE = "http://cirrus.invalid/cirrus/api/v1/integrations"
JSON = "application/json; charset=utf-8"
UTC = dt.UTC
violations = RequestChecker(CONTRACT).violations


# --------------------------------------------------------------------------- requests


def every_client_method(client: CirrusClient, tenant) -> None:
    """A realistic run of every client method against a seeded sandbox tenant."""
    start = dt.datetime(2030, 7, 1, 9, tzinfo=UTC)
    end = start + dt.timedelta(hours=8)
    # Assessments: create with every field and with the fewest, read back
    made = client.create_assessment(
        title="Contract assessment",
        purpose=Purpose.FORMATIVE,
        code="CON-ASM",
        external_id="CONTRACT-ASM",
        owner="sandbox-author",
        max_time_per_attempt=60,
        extra_time=10,
    )
    assert client.create_assessment(title="Generated id", purpose="summative", code="GEN")
    assert client.get_assessment(made).external_id == "CONTRACT-ASM"
    # POST /schedule: every field, a mapping candidate, then an upsert by ?type=json
    ada = Candidate(
        "CON-ADA",
        "Ada",
        "Lovelace",
        "ada@example.org",
        user_name="ada.l",
        password="s3cret-pw",
        special_needs=True,
        reasonable_adjustment_percentage=25,
    )
    alan = {
        "candidate_ext_id": "CON-ALAN",
        "first_name": "Alan",
        "last_name": "Turing",
        "email": "alan@example.org",
    }
    booked = client.schedule_test(
        assessment_ext_id="MATH-101",
        start=start,
        end=end,
        group_ext_id="CLASS-7",
        group_name="Class 7",
        title="Contract schedule",
        schedule_ext_id="CON-SCH",
        schedule_group_ext_id="TERM-1",
        schedule_group_name="Term 1",
        lock_exam_on_connection_loss=True,
        workflow=Workflow.DEFAULT,
        candidates=[ada, alan],
    )
    assert sorted(booked.launch_urls) == ["CON-ADA", "CON-ALAN"]
    client.schedule_test(
        assessment_ext_id="MATH-101",
        start=start,
        group_ext_id="CLASS-7",
        group_name="Class 7",
        schedule_ext_id="CON-SCH",
        upsert=True,
        type_json=True,
        candidates=ada,
    )
    # External attempts, and an id Cirrus makes up
    other = client.schedule_test(
        assessment_ext_id="ENG-201",
        start=start,
        group_ext_id="G-2",
        group_name="Group 2",
        workflow="EXTERNAL_ATTEMPTS",
        candidates=[
            Candidate(
                "CON-GRACE", "Grace", "Hopper", "grace@example.org", attempt_ext_id="CON-ATT-1"
            )
        ],
    )
    assert other.schedule_ext_id
    client.add_candidates(
        "CON-SCH",
        group_ext_id="CLASS-7",
        group_name="Class 7",
        candidates=[Candidate("CON-EDSGER", "Edsger", "Dijkstra", "edsger@example.org")],
    )
    # /external/schedule: create with every field, read, change every field, delete
    external = client.create_schedule(
        assessment_ext_id="ENG-201",
        start=start,
        end=end,
        title="Not published",
        schedule_ext_id="CON-EXT",
        hierarchy_ext_id="H-1",
        pin="1234",
        use_proctorio=False,
        proctorio_template_ext_id="TPL-1",
        owner="sandbox-scheduler",
    )
    client.create_schedule(assessment_ext_id="ENG-201", start=start)
    assert client.get_schedule(external).is_activated is False
    client.update_schedule(
        external,
        start=start,
        end=end + dt.timedelta(hours=1),
        title="Renamed",
        new_schedule_ext_id="CON-EXT-2",
        hierarchy_ext_id="H-2",
        pin="9876",
        use_proctorio=True,
        proctorio_template_ext_id="TPL-2",
    )
    client.update_schedule("CON-SCH", start=start)
    client.delete_schedule("CON-EXT-2")
    # Results: sit one (a control), read by candidate and schedule, by candidate, by attempt
    tenant.clock.freeze(start + dt.timedelta(hours=1))
    sat = tenant.cirrus_complete("CON-SCH", "CON-ADA", score=72)
    assert client.get_results(candidate_ext_id="CON-ADA", schedule_ext_id="CON-SCH").attempts
    client.get_results(candidate_ext_id="CON-ALAN")
    assert client.get_results(attempt_ext_id=sat.attempt_ext_id).attempts[0].score == 72


def test_every_request_the_client_sends_conforms(sandbox_tenant):
    recorder = Recorder()
    with requests.Session() as session:
        session.mount("http://", recorder)
        with sandbox_tenant.cirrus_client(session=session, retries=0) as client:
            every_client_method(client, sandbox_tenant)
        # The header without its space, as real integrations send it: the same contract.
        with sandbox_tenant.cirrus_client(auth_style="nospace", session=session) as bare:
            assert bare.get_assessment("MATH-101").is_published is True

    problems = {f"{r.method} {r.url}": found for r in recorder.sent if (found := violations(r))}
    assert not problems, json.dumps(problems, indent=2)
    never = unsent(CONTRACT, recorder.sent)
    assert not never, f"the client never sent these operations: {never}"


def test_a_request_outside_the_contract_is_caught():
    results = requests.Request(
        "GET", f"{BASE}/results?CandidateExtId=C1&colour=red", headers={"X-Trace": "1"}
    ).prepare()
    found = violations(results)
    assert any("'colour' is not declared" in p for p in found), found
    assert any("'X-Trace' is not declared" in p for p in found), found
    assert any("no Authorization header" in p for p in found), found
    token = {"Authorization": "EAPI t"}
    patch = requests.Request(
        "PATCH",
        f"{BASE}/external/schedule/S1",
        json={"StartDateTime": "2030-07-01T09:00:00Z", "PIN": "123456"},
        headers=token,
    ).prepare()
    assert any("body['PIN']" in p for p in violations(patch)), violations(patch)
    schedule = requests.Request(
        "POST", f"{BASE}/schedule", json={"Schedule": {}}, headers=token
    ).prepare()
    assert any("'Candidates' is a required property" in p for p in violations(schedule))
    assert violations(requests.Request("DELETE", f"{BASE}/assessment/A1", headers=token).prepare())
    assert not violations(
        requests.Request("GET", f"{BASE}/results?AttemptExtId=A1", headers=token).prepare()
    )


# --------------------------------------------------------------------------- responses


@dataclass(frozen=True)
class Call:
    """How to make the client send one operation, and what it returns on success."""

    run: Callable[[CirrusClient], Any]
    returns: type


START = dt.datetime(2030, 7, 1, 9, tzinfo=UTC)
CALLS: dict[str, Call] = {
    "POST /api/v1/integrations/schedule": Call(
        lambda c: c.schedule_test(
            assessment_ext_id="A1",
            start=START,
            group_ext_id="G",
            group_name="G",
            candidates=Candidate("C1", "A", "B", "a@b.c"),
        ),
        ScheduleResult,
    ),
    "POST /api/v1/integrations/schedule/add-candidates": Call(
        lambda c: c.add_candidates(
            "S1", group_ext_id="G", group_name="G", candidates=Candidate("C2", "A", "B", "a@b.c")
        ),
        ScheduleResult,
    ),
    "POST /api/v1/integrations/external/schedule": Call(
        lambda c: c.create_schedule(assessment_ext_id="A1", start=START, schedule_ext_id="S1"), str
    ),
    "GET /api/v1/integrations/external/schedule/{external_id}": Call(
        lambda c: c.get_schedule("S1"), ScheduleInfo
    ),
    "PATCH /api/v1/integrations/external/schedule/{external_id}": Call(
        lambda c: c.update_schedule("S1", start=START), WriteResult
    ),
    "DELETE /api/v1/integrations/external/schedule/{external_id}": Call(
        lambda c: c.delete_schedule("S1"), WriteResult
    ),
    "GET /api/v1/integrations/results": Call(
        lambda c: c.get_results(candidate_ext_id="C1", schedule_ext_id="S1"), CandidateResults
    ),
    "POST /api/v1/integrations/assessment": Call(
        lambda c: c.create_assessment(title="T", purpose=1, code="C", external_id="A1"), str
    ),
    "GET /api/v1/integrations/assessment/{external_id}": Call(
        lambda c: c.get_assessment("A1"), Assessment
    ),
}
GIVEN_ID = {
    "POST /api/v1/integrations/external/schedule": "S1",
    "POST /api/v1/integrations/assessment": "A1",
}

# The statuses a 'default' response stands for: any other Cirrus may send (REQ-3..REQ-7).
DEFAULT_STATUSES = (404, 405, 413, 415, 500)
EXPECTED_ERROR = {
    400: ValidationError,
    403: NotAllowedError,
    404: NotFoundError,
    429: RateLimitedError,
    500: ServerError,
}
CASES = ResponseCases(CONTRACT, DEFAULT_STATUSES)


def test_every_operation_of_the_contract_has_a_client_call():
    assert sorted(CALLS) == sorted(op.id for op in CONTRACT.operations)


def answer(op: Operation, status: int, body: Any) -> tuple[Any, StubVendor]:
    """Serve ``body`` once to the client call for ``op``; its result or its exception."""
    vendor = StubVendor(status, json.dumps(body).encode(), JSON)
    with (
        stub_session(vendor) as session,
        CirrusClient(BASE, "t", session=session, retries=0) as client,
    ):
        try:
            return CALLS[op.id].run(client), vendor
        except CirrusError as exc:
            return exc, vendor


def says_failed(body: Any) -> bool:
    """A 2xx body that fails all the same: ``Success: false``, or ``Errors`` given."""
    return isinstance(body, dict) and (
        body.get("Success") is False or body.get("Errors") not in (None, "", [])
    )


def sent_messages(body: Any) -> list[str]:
    """The messages of an error body, either shape (``Errors``, else ``Message``)."""
    if not isinstance(body, dict):
        return []
    listed = body.get("Errors")
    if isinstance(listed, list) and any(m not in (None, "") for m in listed):
        return [str(m) for m in listed if m not in (None, "")]
    message = body.get("Message")
    return [message] if isinstance(message, str) and message.strip() else []


def check(op: Operation, status: int, body: Any, outcome: Any) -> None:
    call = CALLS[op.id]
    if status >= 300 or says_failed(body):
        assert isinstance(outcome, CirrusError), f"{op.id} {status}: returned {outcome!r}"
        expected = EXPECTED_ERROR.get(status, CirrusError) if status >= 300 else ValidationError
        assert isinstance(outcome, expected), f"{op.id} {status}: {type(outcome).__name__}"
        assert outcome.status == status
        sent = sent_messages(body)
        reported = [e.message for e in outcome.errors]
        if sent:  # each as sent, less a "Bad request | " prefix and blanks
            assert len(reported) == len(sent), (reported, sent)
            assert all(s.strip().endswith(r) for s, r in zip(sent, reported, strict=True)), (
                reported,
                sent,
            )
        return
    assert isinstance(outcome, call.returns), f"{op.id}: {outcome!r}"
    content = body.get("Content", body) if "Success" in body else body
    if call.returns is str:  # a create: the id Cirrus answered, else the one sent
        assert outcome == (str(content) if content != "" else GIVEN_ID[op.id])
    elif call.returns is ScheduleResult:
        assert [c.candidate_ext_id for c in outcome.candidates] == [
            c["CandidateExtId"] for c in body["Candidates"]
        ]
        assert [c.launch_url for c in outcome.candidates] == [
            c["LaunchUrl"] for c in body["Candidates"]
        ]
        if "Schedule" in body:
            made = body["Schedule"]["ScheduleExtId"]
            assert outcome.schedule.schedule_ext_id == made
            if made:  # an empty one is none: the id is then read from Result
                assert outcome.schedule_ext_id == made
    elif call.returns is ScheduleInfo:
        assert outcome.external_id == content["ExternalId"]
        assert outcome.candidate_ext_ids == [c["ExternalId"] for c in content["Candidates"]]
        assert outcome.is_activated is content["IsActivated"]
    elif call.returns is Assessment:
        assert (outcome.external_id, outcome.title) == (content["ExternalId"], content["Title"])
        assert outcome.is_published is content["IsPublished"]
    elif call.returns is CandidateResults:
        assert outcome.candidate_ext_id == body["CandidateExtId"]
        assert outcome.candidate_info.external_id == body["CandidateInfo"]["ExternalId"]
        assert [a.attempt_ext_id for a in outcome.attempts] == [
            a["AttemptExtId"] for a in body["Attempts"]
        ]
        assert [a.score for a in outcome.attempts] == [a["Score"] for a in body["Attempts"]]
    else:  # WriteResult: PATCH and DELETE
        assert outcome.success is body["Success"]


SUCCESSES, FAILURES = CASES.successes, CASES.failures


def served_to_the_client(op: Operation, status: int, data: st.DataObject) -> None:
    body = CASES.draw(op, status, data)
    outcome, vendor = answer(op, status, body)
    check(op, status, body, outcome)
    for sent in vendor.requests:
        assert not violations(sent), violations(sent)


@pytest.mark.parametrize(("op", "status"), SUCCESSES, ids=CASES.ids(SUCCESSES))
@examples(15)
@given(data=st.data())
def test_the_client_parses_every_success_the_contract_allows(op, status, data):
    served_to_the_client(op, status, data)


@pytest.mark.parametrize(("op", "status"), FAILURES, ids=CASES.ids(FAILURES))
@examples(3)
@given(data=st.data())
def test_the_client_raises_a_typed_error_for_every_failure(op, status, data):
    # Error bodies share a few schemas and one parser, so fewer examples per case suffice.
    served_to_the_client(op, status, data)
