"""Consumer conformance: the Janison client against the committed contract, both ways.

* Requests: every request the client sends during a run of every client method against
  a served sandbox is recorded at the transport and validated against
  ``contracts/openapi/janison.json``: the path and method are an operation, every query
  and header parameter is declared and valid, the subscription key and bearer token are
  there (the contract's security schemes), the body (JSON, or the token request's form)
  validates against the operation's request schema. Every operation is sent.
* Responses: for every operation and every response status of the contract, bodies are
  generated from the response schema and served to the client through a stub transport
  standing in for Janison. The client must return its typed result, or raise the typed
  error for the status, and never crash while parsing.

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

from exam_sandbox.client.core.odata import F
from exam_sandbox.client.janison import (
    AuthenticationError,
    Candidate,
    Centre,
    Component,
    ConflictError,
    JanisonClient,
    JanisonError,
    NotFoundError,
    Page,
    Result,
    ScheduleResult,
    ServerError,
    Test,
    TestPackage,
    User,
    ValidationError,
    WriteResult,
)

CONTRACT = Contract.load("janison")
BASE = "http://janison.invalid/janison/api"
TOKEN_URL = "http://janison.invalid/janison/oauth2/token"
JSON = "application/json; charset=utf-8"
violations = RequestChecker(CONTRACT).violations


# --------------------------------------------------------------------------- requests


def every_client_method(client: JanisonClient, oauth: JanisonClient) -> None:
    """A realistic run of every client method against a seeded sandbox tenant."""
    day = dt.date.today() + dt.timedelta(days=30)
    # Catalogue: list, filter, get by id and by reference
    assert client.tests_page(top=2, order_by="-id").items
    assert client.get_test("ENG-GEN") == client.get_test(1)
    client.test_packages_page(filter=F("test") / "reference" == "ENG-GEN")
    client.get_test_package(2)
    client.components_page(where={"type": "Writing"}, contains={"name": "i"}, skip=1)
    writing = client.get_component("ENG-GEN-4S-W")
    assert client.get_component(writing.id) == writing
    # Users: list, get, create, update by id and by reference
    list(client.iter_users(limit=5))
    client.get_user(1)
    user = client.create_user(
        user_name="contract.user", reference="CONTRACT-USR", first_name="Con",
        last_name="Tract", date_of_birth=dt.date(1990, 1, 31), gender="Male",
        expiry=dt.date(2031, 1, 1), town="Sydney", county="New South Wales",
        country="Australia", email="contract@example.com", centres=["CTR001"], tests=[1],
    )
    client.update_user(user.id, phone="0400 000 000")
    client.update_user("CONTRACT-USR", middle_name="Act", tests=["ENG-GEN", "ENG-ACAD"])
    # Candidates: list (two pages), filter, get, create, update by id and reference, retire
    assert len(list(client.iter_candidates(top=25, filter=F("retired") == False))) == 40  # noqa: E712
    client.candidates_page(skip=10, top=5, contains={"lastName": "a"}, order_by=["lastName"])
    client.candidates_page(filter=F("centres").any(reference="CTR001"))
    client.get_candidate("CAN0002")
    new = client.create_candidate(
        reference="CONTRACT-CAN", first_name="Ada", last_name="Lovelace",
        date_of_birth="2001-12-10", gender="Female", centres="CTR001", tests=["ENG-GEN"],
        uln="1234567890", expiry=dt.date(2032, 1, 1), county_id="NSW", country_id="AU",
    )
    client.update_candidate(new.id, phone="0400 000 001")
    client.update_candidate("CONTRACT-CAN", middle_name="Augusta", retired=False)
    client.delete_candidate(new.id)
    assert client.get_candidate(new.id).retired is True
    # Centres: list, create, update by id and reference, get, retire
    client.centres_page(where={"retired": False})
    centre = client.create_centre(
        name="Contract Hall", address_line1="1 George St", town="Sydney",
        county="New South Wales", country="Australia", tests=["ENG-GEN"],
        centre_admin_user=user, reference="CONTRACT-CTR", post_code="2000",
    )
    client.update_centre(centre.id, address_line2="Level 2")
    client.update_centre("CONTRACT-CTR", tests=[1, 2])
    assert client.get_centre("CONTRACT-CTR") == client.get_centre(centre.id)
    client.delete_centre(centre.id)
    # Scheduling: book a group, resit for one and for all, retire
    made = client.schedule_test(test_package="ENG-GEN-4S", centre="CTR001",
                                candidates=["CAN0011", 12], date=day,
                                extend_validity_period=True, room_reference="Hall A")
    client.reschedule_components(made, components=writing, candidate="CAN0011")
    client.reschedule_components(made.id, components=[made.enrolments[0].components[0]])
    client.delete_schedule(made)
    # Results: list, filter, get
    client.results_page(filter=F("components").any(F("CEFRGrade") == "B2"), order_by="-id")
    list(client.iter_results(where={"completed": True}, limit=3))
    client.get_result(1)
    # A token the OAuth2 way (client credentials), then a call with it
    assert oauth.tests_page(top=1).items


def test_every_request_the_client_sends_conforms(sandbox_tenant):
    recorder = Recorder()
    with requests.Session() as session:
        session.mount("http://", recorder)
        with sandbox_tenant.janison_client(session=session, retries=0) as client, \
                sandbox_tenant.janison_client(oauth=True, session=session, retries=0) as oauth:
            every_client_method(client, oauth)

    problems = {
        f"{r.method} {r.url}": found for r in recorder.sent if (found := violations(r))
    }
    assert not problems, json.dumps(problems, indent=2)
    never = unsent(CONTRACT, recorder.sent)
    assert not never, f"the client never sent these operations: {never}"


def test_a_request_outside_the_contract_is_caught():
    listing = requests.Request(
        "GET", f"{BASE}/candidate?$top=0&colour=red", headers={"X-Trace": "1"}
    ).prepare()
    found = violations(listing)
    assert any(p.startswith("query $top='0'") for p in found), found
    assert any("'colour' is not declared" in p for p in found), found
    assert any("'X-Trace' is not declared" in p for p in found), found
    assert any("no Ocp-Apim-Subscription-Key header" in p for p in found), found
    assert any("no Bearer Authorization header" in p for p in found), found
    keyed = {"Ocp-Apim-Subscription-Key": "k", "Authorization": "Basic dTpw"}
    update = requests.Request("PUT", f"{BASE}/candidate/3", json={"gender": "X"},
                              headers=keyed).prepare()
    found = violations(update)
    assert any("body['gender']" in p for p in found), found
    assert any("no Bearer Authorization header" in p for p in found), found
    booking = requests.Request("POST", f"{BASE}/testschedule", json={"candidates": []},
                               headers=keyed).prepare()
    assert any(p.startswith("body: ") for p in violations(booking))  # JTS-1, stated
    assert violations(requests.Request("DELETE", f"{BASE}/user/1").prepare())
    assert violations(requests.Request("POST", TOKEN_URL, data={"grant_type": 5}).prepare()
                      ) == []  # a form's values are strings: the token request is public
    good = {"Ocp-Apim-Subscription-Key": "k", "Authorization": "Bearer t"}
    assert not violations(requests.Request("GET", f"{BASE}/test?$top=40", headers=good)
                          .prepare())


# --------------------------------------------------------------------------- responses


@dataclass(frozen=True)
class Call:
    """How to make the client send one operation, and what it returns on success."""

    run: Callable[[JanisonClient], Any]
    returns: type
    model: type | None = None  # the item type of a Page


def _token_then_a_call(client: JanisonClient) -> Any:
    return client.tests_page(top=1)


CALLS: dict[str, Call] = {
    "GET /api/user": Call(lambda c: c.users_page(), Page, User),
    "POST /api/user": Call(lambda c: c.create_user(user_name="u", reference="U1"), WriteResult),
    "GET /api/user/{user_id}": Call(lambda c: c.get_user(3), User),
    "PUT /api/user/{user_id}": Call(lambda c: c.update_user(3, town="T"), WriteResult),
    "GET /api/candidate": Call(lambda c: c.candidates_page(top=5), Page, Candidate),
    "POST /api/candidate": Call(
        lambda c: c.create_candidate(reference="C1", first_name="A", last_name="B",
                                     date_of_birth=dt.date(1990, 1, 31), gender="Male",
                                     centres=[1], tests=[2]), WriteResult),
    "GET /api/candidate/{candidate_id}": Call(lambda c: c.get_candidate(5), Candidate),
    "PUT /api/candidate/{candidate_id}": Call(
        lambda c: c.update_candidate(5, first_name="X"), WriteResult),
    "DELETE /api/candidate/{candidate_id}": Call(lambda c: c.delete_candidate(5), WriteResult),
    "GET /api/test": Call(lambda c: c.tests_page(), Page, Test),
    "GET /api/test/{item_id}": Call(lambda c: c.get_test(1), Test),
    "GET /api/testpackage": Call(lambda c: c.test_packages_page(), Page, TestPackage),
    "GET /api/testpackage/{item_id}": Call(lambda c: c.get_test_package(2), TestPackage),
    "GET /api/component": Call(lambda c: c.components_page(), Page, Component),
    "GET /api/component/{item_id}": Call(lambda c: c.get_component(3), Component),
    "GET /api/centre": Call(lambda c: c.centres_page(), Page, Centre),
    "POST /api/centre": Call(
        lambda c: c.create_centre(name="N", address_line1="A", town="T", county="C",
                                  country="K", tests=[1], centre_admin_user=2), WriteResult),
    "GET /api/centre/{centre_id}": Call(lambda c: c.get_centre(2), Centre),
    "PUT /api/centre/{centre_id}": Call(lambda c: c.update_centre(2, town="T"), WriteResult),
    "DELETE /api/centre/{centre_id}": Call(lambda c: c.delete_centre(2), WriteResult),
    "POST /api/testschedule": Call(
        lambda c: c.schedule_test(test_package=1, centre="C1", candidates=["K1", 7],
                                  date=dt.date(2030, 7, 1)), ScheduleResult),
    "DELETE /api/testschedule/{schedule_id}": Call(lambda c: c.delete_schedule(4), WriteResult),
    "POST /api/testschedulecomponent": Call(
        lambda c: c.reschedule_components(4, components=["W1"], candidate="K1"), ScheduleResult),
    "GET /api/result": Call(lambda c: c.results_page(), Page, Result),
    "GET /api/result/{result_id}": Call(lambda c: c.get_result(6), Result),
    "POST /oauth2/token": Call(_token_then_a_call, Page, Test),
}

# The statuses a 'default' response stands for: any other Janison may send (REQ-3..REQ-7).
DEFAULT_STATUSES = (405, 413, 415, 500)
EXPECTED_ERROR = {400: ValidationError, 401: AuthenticationError, 404: NotFoundError,
                  409: ConflictError, 500: ServerError}
CASES = ResponseCases(CONTRACT, DEFAULT_STATUSES)
TOKEN = "POST /oauth2/token"
EMPTY_PAGE = {"count": 0, "top": 1, "skip": 0, "pageCount": 0, "nextPageLink": None,
              "prevPageLink": None, "response": [], "errors": []}


def test_every_operation_of_the_contract_has_a_client_call():
    assert sorted(CALLS) == sorted(op.id for op in CONTRACT.operations)


class TokenEndpoint(StubVendor):
    """The token endpoint answers the canned response; Janison, an empty page."""

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        if request.url != TOKEN_URL:
            response.status_code, response._content = 200, json.dumps(EMPTY_PAGE).encode()
            response.headers["Content-Type"] = JSON
        return response


def answer(op: Operation, status: int, body: Any) -> tuple[Any, StubVendor]:
    """Serve ``body`` once to the client call for ``op``; its result or its exception."""
    vendor = (TokenEndpoint if op.id == TOKEN else StubVendor)(
        status, json.dumps(body).encode(), JSON
    )
    with stub_session(vendor) as session:
        if op.id == TOKEN:
            credentials = {"client_id": "app", "client_secret": "s", "token_url": TOKEN_URL}
        else:
            credentials = {"token": "t"}
        client = JanisonClient(BASE, "k", session=session, retries=0, **credentials)
        try:
            return CALLS[op.id].run(client), vendor
        except JanisonError as exc:
            return exc, vendor


def sent_errors(body: dict) -> list[tuple[Any, str, str | None]]:
    """What the client must report of a body's errors (APIM's body is one error)."""
    if "statusCode" in body and "message" in body:
        return [(body["statusCode"], body["message"], None)]
    if "error" in body or "error_description" in body:  # OAuth2
        return [(body.get("error"), body.get("error_description", body.get("error")), None)]
    return [(e["code"], e["message"], e["field"] or None) for e in body.get("errors") or []]


def check(op: Operation, status: int, body: Any, outcome: Any) -> None:
    call = CALLS[op.id]
    if op.id == TOKEN:
        return check_token(status, body, outcome)
    errors = sent_errors(body)
    if status >= 300 or errors:
        assert isinstance(outcome, JanisonError), f"{op.id} {status}: returned {outcome!r}"
        expected = EXPECTED_ERROR.get(status, JanisonError) if status >= 300 else ValidationError
        assert type(outcome) is expected, f"{op.id} {status}: {type(outcome).__name__}"
        assert outcome.status == status
        assert [(e.code, e.message, e.field) for e in outcome.errors] == errors
        return
    if isinstance(outcome, NotFoundError) and call.returns not in (Page, WriteResult,
                                                                    ScheduleResult):
        assert not body.get("response"), outcome  # a GET by id answered with no item
        return
    assert isinstance(outcome, call.returns), f"{op.id}: {outcome!r}"
    if call.returns is Page:
        items = body.get("response") or []
        assert len(outcome.items) == len(items)
        assert all(isinstance(i, call.model) for i in outcome.items)
        assert (outcome.count, outcome.top, outcome.skip) == (
            body.get("count"), body.get("top"), body.get("skip"))
        assert [i.id for i in outcome.items] == [i.get("id") for i in items]
    elif call.returns in (WriteResult, ScheduleResult):
        assert (outcome.id, outcome.href) == (body["id"], body["href"])
        assert outcome.reference == body.get("reference")
        if call.returns is ScheduleResult:
            sent = body["enrolments"]
            assert [e.test_session_id for e in outcome.enrolments] == [
                e.get("testSessionId") for e in sent
            ]
            assert [len(e.components) for e in outcome.enrolments] == [
                len(e.get("components") or []) for e in sent
            ]
    else:
        assert outcome.id == body["response"][0].get("id")


def check_token(status: int, body: Any, outcome: Any) -> None:
    """A token that came is sent as the bearer; a refusal is an authentication error."""
    if status >= 300:
        expected = AuthenticationError if status in (400, 401) else EXPECTED_ERROR.get(
            status, JanisonError)
        assert type(outcome) is expected, f"token {status}: {outcome!r}"
        return
    assert isinstance(outcome, Page), outcome


SUCCESSES, FAILURES = CASES.successes, CASES.failures


def served_to_the_client(op: Operation, status: int, data: st.DataObject) -> None:
    body = CASES.draw(op, status, data)
    outcome, vendor = answer(op, status, body)
    check(op, status, body, outcome)
    for sent in vendor.requests:
        assert not violations(sent), violations(sent)
    if op.id == TOKEN and isinstance(outcome, Page):
        [_, call] = vendor.requests
        assert call.headers["Authorization"] == f"Bearer {body['access_token']}"


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
