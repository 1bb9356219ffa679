"""ItepClient against a real local HTTP server answering as the iTEP wire format says:
what goes on the wire (paths, the key, the body, ``assigned_to``'s two encodings) and
what comes back (a typed ``Assignment``)."""

from __future__ import annotations

import dataclasses
import json

import pytest
from itep_samples import ADA, API, KEY, assigned

from exam_sandbox.client.itep import (
    SANDBOX_URL,
    Assignment,
    Candidate,
    ItepClient,
    ItepError,
    TestStatus,
)

# ------------------------------------------------------------------ the request


def test_assign_posts_json_to_the_route_with_the_key_in_x_api_key(vendor, itep):
    vendor.reply(200, assigned())
    itep.assign_test_id(ADA, oid="HR-1", tracking_code="ACME-HR")
    request = vendor.last
    assert request.method == "POST"
    assert request.path == f"{API}/test-ids/assign" and request.query == {}
    assert request.header("X-API-Key") == KEY
    assert request.header("Content-Type") == "application/json"
    assert request.header("Accept") == "application/json"
    assert request.header("User-Agent").startswith("exam-sandbox-itep-client/")
    assert request.json() == {"assigned_to": ADA, "oid": "HR-1", "tracking_code": "ACME-HR"}


def test_assign_and_email_posts_the_same_body_to_its_own_route(vendor, itep):
    vendor.reply(200, assigned(emailed_to=ADA["email"]))
    vendor.reply(200, assigned("50613490BP"))
    itep.assign_and_email(ADA, oid="HR-1", tracking_code="ACME-HR")
    itep.assign_test_id(ADA, oid="HR-1", tracking_code="ACME-HR")
    email, plain = vendor.requests
    assert email.path == f"{API}/test-ids/assign-and-email"
    assert plain.path == f"{API}/test-ids/assign"
    assert email.body == plain.body
    assert email.header("X-API-Key") == plain.header("X-API-Key") == KEY


def test_oid_and_tracking_code_are_sent_only_when_given(vendor, itep):
    vendor.reply(200, assigned(oid=None, tracking_code=None))
    vendor.reply(200, assigned(tracking_code=None))
    itep.assign_test_id(ADA)
    itep.assign_test_id(ADA, oid="HR-2")
    assert vendor.requests[0].json() == {"assigned_to": ADA}
    assert vendor.requests[1].json() == {"assigned_to": ADA, "oid": "HR-2"}


def test_the_key_goes_in_the_query_with_key_in_query(vendor):
    vendor.reply(200, assigned())
    with ItepClient(vendor.url, KEY, key_in="query") as itep:
        itep.assign_test_id(ADA)
    request = vendor.last
    assert request.query == {"api_key": [KEY]}
    assert request.path == f"{API}/test-ids/assign"
    assert request.header("X-API-Key") is None
    assert request.json() == {"assigned_to": ADA}


def test_a_key_with_url_special_characters_survives_the_query(vendor):
    key = "a+b/c=d&e"
    vendor.reply(200, assigned())
    with ItepClient(vendor.url, key, key_in="query") as itep:
        itep.assign_test_id(ADA)
    assert vendor.last.query == {"api_key": [key]}


def test_the_keys_header_or_parameter_name_is_an_option(vendor):
    vendor.reply(200, assigned())
    vendor.reply(200, assigned())
    with ItepClient(vendor.url, KEY, key_name="Api-Key") as itep:
        itep.assign_test_id(ADA)
    with ItepClient(vendor.url, KEY, key_in="query", key_name="key") as itep:
        itep.assign_test_id(ADA)
    by_header, by_query = vendor.requests
    assert by_header.header("Api-Key") == KEY and by_header.header("X-API-Key") is None
    assert by_query.query == {"key": [KEY]}


def test_assigned_to_as_text_sends_the_json_text_of_the_object(vendor, itep):
    vendor.reply(200, assigned())
    itep.assign_test_id(ADA, oid="HR-1", assigned_to_as="text")
    sent = vendor.last.json()
    assert isinstance(sent["assigned_to"], str)
    assert json.loads(sent["assigned_to"]) == ADA
    assert sent["oid"] == "HR-1"


def test_the_encoding_of_assigned_to_is_a_client_default_a_call_may_override(vendor):
    for _ in range(2):
        vendor.reply(200, assigned())
    with ItepClient(vendor.url, KEY, assigned_to_as="text") as itep:
        itep.assign_and_email(ADA)
        itep.assign_and_email(ADA, assigned_to_as="object")
    as_text, as_object = (r.json()["assigned_to"] for r in vendor.requests)
    assert json.loads(as_text) == ADA
    assert as_object == ADA


def test_non_ascii_assigned_to_is_sent_as_utf8_json_both_ways(vendor, itep):
    who = {"name": "Zoë Łukasiewicz", "email": "zoe@example.com", "reference": "Ж-1"}
    vendor.reply(200, assigned(assigned_to=who))
    vendor.reply(200, assigned(assigned_to=who))
    itep.assign_test_id(who)
    itep.assign_test_id(who, assigned_to_as="text")
    assert vendor.requests[0].json()["assigned_to"] == who
    assert json.loads(vendor.requests[1].json()["assigned_to"]) == who
    assert "Zoë".encode() in vendor.requests[1].body


def test_a_candidate_is_sent_as_its_object_with_its_extra_members(vendor, itep):
    vendor.reply(200, assigned())
    ada = Candidate("Ada Lovelace", "ada@example.com", "HR-1", department="R&D", level=3)
    itep.assign_test_id(ada)
    assert vendor.last.json()["assigned_to"] == {**ADA, "department": "R&D", "level": 3}
    # left-out members are not sent as null
    assert Candidate("Bo", reference="HR-2").to_wire() == {"name": "Bo", "reference": "HR-2"}


def test_candidates_compare_by_value_and_are_immutable():
    ada = Candidate("Ada", "ada@example.com", "HR-1", team="A")
    assert ada == Candidate("Ada", "ada@example.com", "HR-1", team="A")
    assert ada != Candidate("Ada", "ada@example.com", "HR-1", team="B")
    assert hash(ada) == hash(Candidate("Ada", "ada@example.com", "HR-1", team="A"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        ada.email = "other@example.com"  # type: ignore[misc]


def test_other_dataclasses_and_json_text_are_accepted_as_assigned_to(vendor, itep):
    @dataclasses.dataclass
    class Employee:
        name: str
        email: str
        staff_no: str
        manager: str | None = None

    vendor.reply(200, assigned())
    vendor.reply(200, assigned())
    itep.assign_test_id(Employee("Ada", "ada@example.com", "E-7"))
    itep.assign_test_id(json.dumps(ADA))
    assert vendor.requests[0].json()["assigned_to"] == {
        "name": "Ada",
        "email": "ada@example.com",
        "staff_no": "E-7",
    }
    assert vendor.requests[1].json()["assigned_to"] == ADA  # re-sent as an object


def test_custom_routes_and_a_base_url_with_a_trailing_slash(vendor):
    vendor.reply(200, assigned())
    vendor.reply(200, assigned(emailed_to=ADA["email"]))
    with ItepClient(
        vendor.origin + "/partner/v2/",
        KEY,
        assign_path="/testid/get",
        assign_and_email_path="testid/send/",
    ) as itep:
        itep.assign_test_id(ADA)
        itep.assign_and_email(ADA)
    assert [r.path for r in vendor.requests] == [
        "/partner/v2/testid/get",
        "/partner/v2/testid/send",
    ]


def test_the_defaults_are_the_sandboxs():
    itep = ItepClient(SANDBOX_URL, KEY)
    assert itep.base_url == "http://127.0.0.1:8080/itep/api/v1"
    assert (itep.assign_path, itep.assign_and_email_path) == (
        "test-ids/assign",
        "test-ids/assign-and-email",
    )
    assert (itep.key_in, itep.auth.name, itep.assigned_to_as) == ("header", "X-API-Key", "object")
    assert ItepClient(SANDBOX_URL, KEY, key_in="query").auth.name == "api_key"


# ------------------------------------------------------------------ the answer


def test_the_answer_is_a_typed_assignment(vendor, itep):
    vendor.reply(200, assigned(emailed_to="ada@example.com", source="sale", note="new member"))
    got = itep.assign_and_email(ADA, oid="HR-1", tracking_code="ACME-HR")
    assert got == Assignment(
        test_id="123982B8AP",
        status=TestStatus.READY,
        product_code="AP",
        assigned_to=ADA,
        oid="HR-1",
        tracking_code="ACME-HR",
        source="sale",
        emailed_to="ada@example.com",
    )
    assert got.status == "Ready" and isinstance(got.status, TestStatus)
    assert got.raw["note"] == "new member"  # members the client does not know are kept


def test_an_answer_may_echo_assigned_to_as_text_and_name_members_otherwise(vendor, itep):
    vendor.reply(200, {"TestID": "123982B8AP", "Status": "ready", "AssignedTo": json.dumps(ADA)})
    got = itep.assign_test_id(ADA, assigned_to_as="text")
    assert got.test_id == "123982B8AP" and got.status is TestStatus.READY
    assert got.assigned_to == ADA
    assert got.emailed_to is None and got.oid is None


def test_a_200_without_a_test_id_is_an_error_not_an_empty_assignment(vendor, itep):
    vendor.reply(200, {"status": "Ready"})
    with pytest.raises(ItepError, match="names no test_id"):
        itep.assign_test_id(ADA)
    vendor.reply(200, ["123982B8AP"])
    with pytest.raises(ItepError, match="names no test_id"):
        itep.assign_test_id(ADA)


def test_a_200_that_is_not_json_is_an_error(vendor, itep):
    vendor.reply(200, "<html>maintenance</html>", headers={"Content-Type": "text/html"})
    with pytest.raises(ItepError, match="not JSON") as info:
        itep.assign_test_id(ADA)
    assert info.value.status == 200 and info.value.method == "POST"


# ------------------------------------------------------------------ refused before any request


def test_bad_client_arguments_are_refused():
    with pytest.raises(ValueError, match="non-empty"):
        ItepClient(SANDBOX_URL, "  ")
    with pytest.raises(ValueError, match="whitespace"):
        ItepClient(SANDBOX_URL, "ab cd")
    with pytest.raises(ValueError, match="key_in"):
        ItepClient(SANDBOX_URL, KEY, key_in="cookie")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="assigned_to_as"):
        ItepClient(SANDBOX_URL, KEY, assigned_to_as="xml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="assign_path"):
        ItepClient(SANDBOX_URL, KEY, assign_path="/")
    with pytest.raises(ValueError, match="http"):
        ItepClient("127.0.0.1:8080/itep/api/v1", KEY)


@pytest.mark.parametrize(
    ("assigned_to", "error", "match"),
    [
        ({}, ValueError, "empty"),
        (Candidate(), ValueError, "empty"),
        ("[1, 2]", ValueError, "JSON of an object"),
        ("Ada Lovelace", ValueError, "JSON of an object"),
        (42, TypeError, "not int"),
        (["Ada"], TypeError, "not list"),
    ],
)
def test_an_assigned_to_that_is_no_json_object_is_refused_before_sending(
    vendor, itep, assigned_to, error, match
):
    with pytest.raises(error, match=match):
        itep.assign_test_id(assigned_to)
    assert vendor.requests == []


def test_a_non_text_oid_or_encoding_is_refused_before_sending(vendor, itep):
    with pytest.raises(TypeError, match="oid must be a string"):
        itep.assign_test_id(ADA, oid=7)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="tracking_code must be a string"):
        itep.assign_and_email(ADA, tracking_code=["A"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="assigned_to_as"):
        itep.assign_test_id(ADA, assigned_to_as="form")  # type: ignore[arg-type]
    assert vendor.requests == []


def test_the_key_is_in_no_repr():
    itep = ItepClient(SANDBOX_URL, KEY, key_in="query")
    assert KEY not in repr(itep) and KEY not in repr(itep.auth)
    assert repr(itep) == "ItepClient(base_url='http://127.0.0.1:8080/itep/api/v1', key_in='query')"


def test_assign_arguments_past_assigned_to_are_keyword_only():
    with pytest.raises(TypeError, match="positional"):
        ItepClient(SANDBOX_URL, KEY).assign_test_id(ADA, "HR-1")  # type: ignore[misc]
