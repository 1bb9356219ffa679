"""Consumer conformance: the client against the committed contract, both directions.

* Requests: every request the client sends during a run of every client method against
  a served sandbox is recorded at the transport (a ``requests`` adapter) and validated
  against ``contracts/openapi/surpass.json``: the path and method are an operation, every
  query and header parameter is declared and valid, the JSON body validates against the
  operation's request schema (``jsonschema``). Every operation of the contract is sent.
* Responses: for every operation and every response status of the contract, bodies are
  generated from the response schema (Hypothesis; ``schema_strategies.py``) and served to the client
  through a stub transport standing in for the vendor, as JSON and as Surpass XML. The
  client must return its typed result, or raise the typed error for the status, and
  never crash while parsing.

The machinery (recorder, request checks, stub vendor, body strategies) is every vendor's:
``conformance.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
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

from exam_sandbox.client.surpass import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
    SurpassClient,
    SurpassError,
    ValidationError,
)
from exam_sandbox.client.surpass.models import (
    Candidate,
    Centre,
    CentreSubjectAssociation,
    Country,
    County,
    Page,
    ScheduleResult,
    Subject,
    Test,
    TestSession,
    WriteResult,
)
from exam_sandbox.client.surpass.query import F

CONTRACT = Contract.load("surpass")
BASE = "http://surpass.invalid/surpass"
violations = RequestChecker(CONTRACT).violations


# --------------------------------------------------------------------------- requests


def every_client_method(client: SurpassClient) -> None:
    """A realistic run of every client method against a seeded sandbox tenant."""
    # Lookups
    assert client.tests_page(top=3, order_by="-id").items
    test = client.get_test("MATHS-FND")
    assert client.get_test(test.id) == test
    list(client.iter_countries(limit=45))
    client.get_country(1)
    client.counties_page(where={"name": "Kent"})
    client.get_county(1)
    # Candidates: list (three pages), get, create, update by id and by reference
    assert len(list(client.iter_candidates(filter=F("retired") == False))) > 80  # noqa: E712
    client.candidates_page(skip=40, top=10, contains={"lastName": "son"}, order_by=["lastName"])
    client.get_candidate("CAND00002")
    new = client.create_candidate(
        first_name="Ada", last_name="Lovelace", date_of_birth=dt.date(2001, 12, 10),
        reference="CONTRACT-1", gender="Female", email="ada@example.com",
        centres=["CEN001"], subjects=[1],
    )
    client.update_candidate(new.id, tel="01234 567890")
    client.update_candidate("CONTRACT-1", middle_name="Augusta", retired=False)
    assert client.get_candidate(new.id).middle_name == "Augusta"
    # Centres: create, update and retire by id and by reference
    client.centres_page(where={"randomiseTestForms": True})
    centre = client.create_centre(name="Contract Hall", reference="CONHALL", town="Leeds",
                                  county=1, country=1)
    client.update_centre(centre.id, post_code="LS1 1AA")
    client.update_centre("CONHALL", address_line1="1 Park Row")
    assert client.get_centre("CONHALL") == client.get_centre(centre.id)
    client.delete_centre(centre.id)
    client.delete_centre("CONHALL")
    # Subjects: create, update, archive, delete by id and by reference
    client.subjects_page(order_by="name desc")
    one = client.create_subject(name="Contract Law", reference="CONLAW", primary_centre="CEN001")
    two = client.create_subject(name="Contract Art", reference="CONART", primary_centre=1)
    client.update_subject(one.id, status="Archived")
    client.update_subject("CONART", status="Archived", html_only=True)
    client.get_subject(one.id)
    client.delete_subject(one.id)
    client.delete_subject("CONART")
    assert two.id
    # Centre-subject associations
    client.centre_subject_associations_page(filter="centre/reference eq 'CEN001'")
    link = client.create_centre_subject_association(centre="CEN005", subject="LEGACYSCI")
    client.get_centre_subject_association(link.id)
    client.update_centre_subject_association(link.id, primary=True)
    client.delete_centre_subject_association(link.id)
    # Scheduling: plain, with both headers, then delete by keycode and by id
    day = dt.date.today() + dt.timedelta(days=30)
    made = client.schedule_test(test="MATHS-PRAC", centre="CEN001", candidate="CAND00021",
                                start_date=day, start_time="09:00", end_time=dt.time(17),
                                test_tags=["a"], purchase_order="PO1", language="en",
                                reasonable_adjustments={"extraTimePercentage": 25})
    quick = client.schedule_test(
        test="MATHS-PRAC", centre="CEN001", start_date=day, start_time="0900", end_time="1200",
        candidate=Candidate(reference="QUICK-1", first_name="Q", last_name="R",
                            date_of_birth=dt.date(2000, 1, 1)),
        quick_register_candidate=True, auto_sync_centre_subject=True,
    )
    client.get_test_session(made.keycode)
    client.delete_schedule(made.keycode)
    client.delete_schedule(quick.id)
    # Test sessions: list, get, pause/resume an InProgress one, void a Ready one
    sessions = {s.state: s for s in client.iter_test_sessions(order_by="id")}
    in_progress, ready = sessions[6], sessions[4]
    client.pause_test_session(in_progress.keycode)
    client.resume_test_session(in_progress.id)
    client.void_test_session(ready.keycode, reason="Other", message="fire alarm")
    client.test_sessions_page(where={"state": 10}, top=100)


def test_every_request_the_client_sends_conforms(sandbox_tenant):
    recorder = Recorder()
    with requests.Session() as session:
        session.mount("http://", recorder)
        with sandbox_tenant.surpass_client(session=session, retries=0) as client:
            every_client_method(client)

    problems = {
        f"{r.method} {r.url}": found for r in recorder.sent if (found := violations(r))
    }
    assert not problems, json.dumps(problems, indent=2)
    never = unsent(CONTRACT, recorder.sent)
    assert not never, f"the client never sent these operations: {never}"


def test_a_request_outside_the_contract_is_caught():
    listing = requests.Request(
        "GET", f"{BASE}/api/v2/Candidate?$top=0&colour=red", headers={"X-Trace": "1"},
        auth=("u", "p"),
    ).prepare()
    found = violations(listing)
    assert any(p.startswith("query $top='0'") for p in found), found
    assert any("'colour' is not declared" in p for p in found), found
    assert any("'X-Trace' is not declared" in p for p in found), found
    update = requests.Request("PUT", f"{BASE}/api/v2/Candidate/3", json={"gender": "X"}).prepare()
    found = violations(update)
    assert any("body['gender']" in p for p in found), found
    assert any("Basic" in p for p in found), found
    assert violations(requests.Request("PATCH", f"{BASE}/api/v2/Test").prepare())
    assert not violations(requests.Request("GET", f"{BASE}/api/v2/Test?$top=40",
                                           auth=("u", "p")).prepare())


# --------------------------------------------------------------------------- responses


@dataclass(frozen=True)
class Call:
    """How to make the client send one operation, and what it returns on success."""

    run: Callable[[SurpassClient], Any]
    returns: type
    model: type | None = None  # the item type of a Page


CALLS: dict[str, Call] = {
    "GET /api/v2/Test": Call(lambda c: c.tests_page(), Page, Test),
    "GET /api/v2/Test/{test_id}": Call(lambda c: c.get_test(3), Test),
    "GET /api/v2/Country": Call(lambda c: c.countries_page(), Page, Country),
    "GET /api/v2/Country/{country_id}": Call(lambda c: c.get_country(1), Country),
    "GET /api/v2/County": Call(lambda c: c.counties_page(), Page, County),
    "GET /api/v2/County/{county_id}": Call(lambda c: c.get_county(2), County),
    "GET /api/v2/Candidate": Call(lambda c: c.candidates_page(top=5), Page, Candidate),
    "POST /api/v2/Candidate": Call(
        lambda c: c.create_candidate(first_name="A", last_name="B",
                                     date_of_birth=dt.date(1990, 1, 31)), WriteResult),
    "PUT /api/v2/Candidate": Call(lambda c: c.update_candidate("C1", tel="1"), WriteResult),
    "GET /api/v2/Candidate/{candidate_id}": Call(lambda c: c.get_candidate(5), Candidate),
    "PUT /api/v2/Candidate/{candidate_id}": Call(
        lambda c: c.update_candidate(5, first_name="X"), WriteResult),
    "GET /api/v2/Centre": Call(lambda c: c.centres_page(), Page, Centre),
    "POST /api/v2/Centre": Call(lambda c: c.create_centre(name="N"), WriteResult),
    "PUT /api/v2/Centre": Call(lambda c: c.update_centre("C1", name="N"), WriteResult),
    "DELETE /api/v2/Centre": Call(lambda c: c.delete_centre("C1"), WriteResult),
    "GET /api/v2/Centre/{centre_id}": Call(lambda c: c.get_centre(2), Centre),
    "PUT /api/v2/Centre/{centre_id}": Call(lambda c: c.update_centre(2, town="T"), WriteResult),
    "DELETE /api/v2/Centre/{centre_id}": Call(lambda c: c.delete_centre(2), WriteResult),
    "GET /api/v2/Subject": Call(lambda c: c.subjects_page(), Page, Subject),
    "POST /api/v2/Subject": Call(
        lambda c: c.create_subject(name="S", primary_centre=1), WriteResult),
    "PUT /api/v2/Subject": Call(lambda c: c.update_subject("S1", name="S"), WriteResult),
    "DELETE /api/v2/Subject": Call(lambda c: c.delete_subject("S1"), WriteResult),
    "GET /api/v2/Subject/{subject_id}": Call(lambda c: c.get_subject(4), Subject),
    "PUT /api/v2/Subject/{subject_id}": Call(
        lambda c: c.update_subject(4, status="Archived"), WriteResult),
    "DELETE /api/v2/Subject/{subject_id}": Call(lambda c: c.delete_subject(4), WriteResult),
    "GET /api/v2/CentreSubjectAssociation": Call(
        lambda c: c.centre_subject_associations_page(), Page, CentreSubjectAssociation),
    "POST /api/v2/CentreSubjectAssociation": Call(
        lambda c: c.create_centre_subject_association(centre=1, subject=2), WriteResult),
    "GET /api/v2/CentreSubjectAssociation/{association_id}": Call(
        lambda c: c.get_centre_subject_association(3), CentreSubjectAssociation),
    "PUT /api/v2/CentreSubjectAssociation/{association_id}": Call(
        lambda c: c.update_centre_subject_association(3, primary=True), WriteResult),
    "DELETE /api/v2/CentreSubjectAssociation/{association_id}": Call(
        lambda c: c.delete_centre_subject_association(3), WriteResult),
    "POST /api/v2/TestSchedule": Call(
        lambda c: c.schedule_test(test="T", centre="C", candidate="K",
                                  start_date=dt.date(2030, 7, 1), start_time="0900",
                                  end_time="1700"), ScheduleResult),
    "DELETE /api/v2/TestSchedule/{key}": Call(lambda c: c.delete_schedule("ABCD1234"),
                                              WriteResult),
    "GET /api/v2/TestSession": Call(lambda c: c.test_sessions_page(), Page, TestSession),
    "GET /api/v2/TestSession/{key}": Call(lambda c: c.get_test_session("ABCD1234"),
                                          TestSession),
    "PUT /api/v2/TestSession/{key}": Call(lambda c: c.pause_test_session(12), WriteResult),
}

# The status a 'default' response stands for: any other the vendor may send.
DEFAULT_STATUSES = (401, 405, 500)
EXPECTED_ERROR = {400: ValidationError, 401: AuthenticationError, 403: PermissionDeniedError,
                  404: NotFoundError, 422: ValidationError, 500: ServerError}
CASES = ResponseCases(CONTRACT, DEFAULT_STATUSES)


def test_every_operation_of_the_contract_has_a_client_call():
    assert sorted(CALLS) == sorted(op.id for op in CONTRACT.operations)


def answer(op: Operation, status: int, body: Any, fmt: str) -> tuple[Any, StubVendor]:
    """Serve ``body`` once to the client call for ``op``; its result or its exception."""
    if fmt == "json":
        vendor = StubVendor(status, json.dumps(body).encode(), "application/json; charset=utf-8")
    else:
        vendor = StubVendor(status, to_xml(body, _item_name(op)),
                            "application/xml; charset=utf-8")
    with stub_session(vendor) as session:
        client = SurpassClient(BASE, "u", "p", session=session, retries=0, format=fmt)
        try:
            return CALLS[op.id].run(client), vendor
        except SurpassError as exc:
            return exc, vendor


def check(op: Operation, status: int, body: Any, outcome: Any, fmt: str) -> None:
    call = CALLS[op.id]
    sent_errors = [(e["ErrorCode"], e["Message"]) for e in body.get("errors") or []]
    if status >= 300 or sent_errors:
        assert isinstance(outcome, SurpassError), f"{op.id} {status}: returned {outcome!r}"
        if status >= 300:
            expected = EXPECTED_ERROR.get(status, SurpassError)
            assert type(outcome) is expected, f"{op.id} {status}: {type(outcome).__name__}"
            assert outcome.status == status
        if fmt == "json":
            assert [tuple(e) for e in outcome.errors] == sent_errors
        return
    if isinstance(outcome, NotFoundError) and call.returns not in (Page, WriteResult,
                                                                    ScheduleResult):
        assert not body.get("response"), outcome  # a GET by key answered with no item
        return
    assert isinstance(outcome, call.returns), f"{op.id}: {outcome!r}"
    if fmt != "json":
        return  # XML leaves carry no types: only "parsed, typed, no crash" is checked
    if call.returns is Page:
        items = body.get("response") or []
        assert len(outcome.items) == len(items)
        assert all(isinstance(i, call.model) for i in outcome.items)
        assert outcome.count == body["count"] and outcome.top == body["top"]
        assert [i.id for i in outcome.items] == [i.get("id") for i in items]
    elif call.returns in (WriteResult, ScheduleResult):
        assert outcome.id == body["id"] and outcome.href == body["href"]
        if call.returns is ScheduleResult:
            assert outcome.keycode == body.get("keycode")
    else:
        assert outcome.id == body["response"][0].get("id")


SUCCESSES, FAILURES = CASES.successes, CASES.failures


def served_to_the_client(op: Operation, status: int, fmt: str, data: st.DataObject) -> None:
    body = CASES.draw(op, status, data)
    outcome, vendor = answer(op, status, body, fmt)
    check(op, status, body, outcome, fmt)
    [sent] = vendor.requests
    if fmt == "json":  # XML request bodies have no schema in the contract
        assert not violations(sent), violations(sent)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(("op", "status"), SUCCESSES, ids=CASES.ids(SUCCESSES))
@examples(15)
@given(data=st.data())
def test_the_client_parses_every_success_the_contract_allows(op, status, fmt, data):
    served_to_the_client(op, status, fmt, data)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(("op", "status"), FAILURES, ids=CASES.ids(FAILURES))
@examples(2)
@given(data=st.data())
def test_the_client_raises_a_typed_error_for_every_failure(op, status, fmt, data):
    # Error bodies share one schema and one parser, so fewer examples per case suffice.
    served_to_the_client(op, status, fmt, data)


# --------------------------------------------------------------------------- XML


XSI = "http://www.w3.org/2001/XMLSchema-instance"
_LIST_ITEMS = {"errors": "Error", "testTags": "tag"}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_XML_CHAR = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _item_name(op: Operation) -> str:
    """``response`` items are named after the resource: ``testSession``, ``candidate``."""
    resource = op.template.split("/")[3]
    return resource[0].lower() + resource[1:]


def to_xml(envelope: dict[str, Any], response_item: str) -> bytes:
    """The envelope as Surpass XML, as surpass-wire.md lays it out."""
    ET.register_namespace("i", XSI)
    root = ET.Element("response")

    def put(parent: ET.Element, name: str, value: Any, item: str | None = None) -> None:
        if not _NAME.match(name):
            return  # a key no XML element can carry (generated for an untyped member)
        el = ET.SubElement(parent, name)
        if value is None:
            el.set(f"{{{XSI}}}nil", "true")
        elif isinstance(value, bool):
            el.text = "true" if value else "false"
        elif isinstance(value, dict):
            for key, sub in value.items():
                put(el, key, sub)
        elif isinstance(value, list):
            child = item or _LIST_ITEMS.get(name) or (name[:-1] if name.endswith("s") else "item")
            for sub in value:
                put(el, child, sub)
        else:
            el.text = _XML_CHAR.sub("", str(value))

    for key, value in envelope.items():
        put(root, key, value, response_item if key == "response" else None)
    if not any(k == f"{{{XSI}}}nil" for el in root.iter() for k in el.attrib):
        root.set("xmlns:i", XSI)  # declared on the root, as Surpass does, even when unused
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def test_the_xml_encoder_follows_the_wire_doc():
    xml = to_xml({"count": None, "response": [{"id": 1, "testTags": ["a"], "ok": True}],
                  "errors": [{"ErrorCode": 5, "Message": "m"}]}, "testSession").decode()
    assert '<count i:nil="true" />' in xml and 'xmlns:i="' in xml
    assert "<response><testSession><id>1</id><testTags><tag>a</tag></testTags>" in xml
    assert "<ok>true</ok>" in xml
    assert "<errors><Error><ErrorCode>5</ErrorCode><Message>m</Message></Error></errors>" in xml
