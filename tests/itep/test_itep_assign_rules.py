"""The body's rules, on both calls, in their order (docs/providers/itep-wire.md): I3
(``assigned_to`` a JSON object or the JSON text of one), I4 (with the setting
``requireCandidateDetails``: name, email and reference), ``oid`` and ``tracking_code``
(strings of 1 to 100 characters; a tracking code the site has), I8 (the email call: an
e-mail address in ``assigned_to.email``), then I5 (an available ID). A body breaking two
rules reports the earlier one; every refusal uses no test ID and sends no e-mail."""

from __future__ import annotations

import json

import pytest
from isupport import (
    ASSIGN,
    CALLS,
    CANDIDATE,
    assign,
    assigned,
    available,
    exhaust,
    outbox,
    read_test,
    refused,
    tracking_code,
    writes_nothing,
)

EMAIL_OPTIONS = [False, True]
EMAIL_IDS = ["assign", "assign-and-email"]


def check(t, body, rule_id: str, *, email: bool = False, **values) -> None:
    refused(writes_nothing(t, lambda: assign(t, body, email=email)), rule_id, **values)


# --- I3 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("email", EMAIL_OPTIONS, ids=EMAIL_IDS)
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"assigned_to": None},
        {"assigned_to": {}},
        {"assigned_to": "{}"},
        {"assigned_to": " { } "},
        {"assigned_to": 12},
        {"assigned_to": 1.5},
        {"assigned_to": True},
        {"assigned_to": []},
        {"assigned_to": [CANDIDATE]},
        {"assigned_to": "Ada Lovelace"},
        {"assigned_to": ""},
        {"assigned_to": "{name: 'Ada'}"},
        {"assigned_to": '{"name": "Ada"'},
        {"assigned_to": json.dumps([CANDIDATE])},
        {"assigned_to": json.dumps("Ada")},
        {"assigned_to": "12"},
        {"assigned_to": "null"},
        {"oid": "HR-1", "tracking_code": "T"},
    ],
    ids=[
        "missing",
        "null",
        "empty-object",
        "json-text-of-an-empty-object",
        "json-text-of-an-empty-object-spaced",
        "number",
        "float",
        "boolean",
        "empty-list",
        "list",
        "plain-text",
        "empty-text",
        "not-json-text",
        "truncated-json-text",
        "json-text-of-a-list",
        "json-text-of-a-string",
        "json-text-of-a-number",
        "json-text-of-null",
        "only-the-others",
    ],
)
def test_i3_assigned_to_must_be_json_of_an_object(tenant, body, email):
    check(tenant, body, "I3", email=email)


@pytest.mark.parametrize("email", EMAIL_OPTIONS, ids=EMAIL_IDS)
def test_i3_json_text_of_an_object_is_taken_and_stored_as_an_object(tenant, email):
    got = assigned(tenant, {"assigned_to": json.dumps(CANDIDATE)}, email=email)
    assert got["assigned_to"] == CANDIDATE
    assert read_test(tenant, got["test_id"])["assigned_to"] == CANDIDATE


def test_i3_any_object_is_taken(tenant):
    nested = {"name": "Ada", "ids": [1, 2], "meta": {"cohort": "2027", "flag": None}}
    assert assigned(tenant, {"assigned_to": nested})["assigned_to"] == nested
    assert assigned(tenant, {"assigned_to": {"x": 1}})["assigned_to"] == {"x": 1}


# --- I4 ---------------------------------------------------------------------------------


def test_i4_off_by_default_an_assigned_to_without_details_is_taken(tenant):
    for partial in ({"name": "Ada"}, {"email": "ada@example.com"}, {"reference": "R"}, {"x": 1}):
        got = assigned(tenant, {"assigned_to": partial})
        assert got["assigned_to"] == partial
        assert read_test(tenant, got["test_id"])["assigned_to"] == partial


@pytest.mark.parametrize("email", EMAIL_OPTIONS, ids=EMAIL_IDS)
@pytest.mark.parametrize(
    ("assigned_to", "missing"),
    [
        ({"x": 1}, "name, email, reference"),
        ({"email": "ada@example.com", "reference": "R"}, "name"),
        ({"name": "Ada", "reference": "R"}, "email"),
        ({"name": "Ada", "email": "ada@example.com"}, "reference"),
        ({"name": "Ada"}, "email, reference"),
        ({"name": "  ", "email": "ada@example.com", "reference": "R"}, "name"),
        ({"name": "Ada", "email": "", "reference": "R"}, "email"),
        ({"name": "Ada", "email": "ada@example.com", "reference": 7}, "reference"),
        ({"name": None, "email": ["a@b.co"], "reference": {"id": 1}}, "name, email, reference"),
    ],
)
def test_i4_with_require_candidate_details_each_missing_one_is_named(
    tenant, assigned_to, missing, email
):
    tenant.settings("itep", requireCandidateDetails=True)
    check(tenant, {"assigned_to": assigned_to}, "I4", email=email, missing=missing)
    check(tenant, {"assigned_to": json.dumps(assigned_to)}, "I4", email=email, missing=missing)


def test_i4_with_require_candidate_details_a_complete_one_is_taken(tenant):
    tenant.settings("itep", requireCandidateDetails=True)
    assert assigned(tenant)["assigned_to"] == CANDIDATE
    assert assigned(tenant, email=True)["emailed_to"] == CANDIDATE["email"]
    # The email need not be an address for I4 (that is I8's, on the email call).
    odd = {**CANDIDATE, "email": "not an address"}
    assert assigned(tenant, {"assigned_to": odd})["assigned_to"] == odd


# --- oid and tracking_code -------------------------------------------------------------------


BAD_TEXTS = [
    ("", "empty"),
    ("x" * 101, "101-characters"),
    (12, "number"),
    (True, "boolean"),
    (["HR-1"], "list"),
    ({"id": "HR-1"}, "object"),
]


@pytest.mark.parametrize("email", EMAIL_OPTIONS, ids=EMAIL_IDS)
@pytest.mark.parametrize("value", [v for v, _ in BAD_TEXTS], ids=[i for _, i in BAD_TEXTS])
def test_oid_must_be_a_string_of_1_to_100_characters(tenant, value, email):
    check(tenant, {"assigned_to": CANDIDATE, "oid": value}, "OID-1", email=email)


@pytest.mark.parametrize("email", EMAIL_OPTIONS, ids=EMAIL_IDS)
@pytest.mark.parametrize("value", [v for v, _ in BAD_TEXTS], ids=[i for _, i in BAD_TEXTS])
def test_tracking_code_must_be_a_string_of_1_to_100_characters(tenant, value, email):
    check(tenant, {"assigned_to": CANDIDATE, "tracking_code": value}, "TRK-1", email=email)


def test_oid_and_tracking_code_at_their_limits_are_taken(tenant):
    code = "T" * 100
    tracking_code(tenant, code)
    for oid in ("x", "x" * 100, " ", "ÀÉ-ü"):
        got = assigned(tenant, {"assigned_to": CANDIDATE, "oid": oid, "tracking_code": code})
        assert (got["oid"], got["tracking_code"]) == (oid, code)
        shown = read_test(tenant, got["test_id"])
        assert (shown["oid"], shown["tracking_code"]) == (oid, code)
    tracking_code(tenant, "A")
    assert (
        assigned(tenant, {"assigned_to": CANDIDATE, "tracking_code": "A"})["tracking_code"] == "A"
    )


def test_null_oid_and_tracking_code_are_left_out(tenant):
    got = assigned(tenant, {"assigned_to": CANDIDATE, "oid": None, "tracking_code": None})
    assert (got["oid"], got["tracking_code"]) == (None, None)


@pytest.mark.parametrize("email", EMAIL_OPTIONS, ids=EMAIL_IDS)
def test_an_unknown_tracking_code_is_refused(tenant, email):
    tracking_code(tenant, "ACME-HR")
    for code in ("NOPE", "acme-hr", "ACME-HR ", "ACME"):  # codes are exact
        body = {"assigned_to": CANDIDATE, "tracking_code": code}
        check(tenant, body, "TRK-2", email=email, code=code)


def test_another_tenants_tracking_code_is_unknown(http, tenant):
    created = http.post("/_sandbox/tenants", json={"seed": 7})
    other = created.json["tenant"]
    try:
        put = http.put(
            f"/_sandbox/tenants/{other}/itep/tracking-codes/THEIRS",
            json={"url": "http://x.example/h"},
        )
        assert put.status_code == 200, put.json
        body = {"assigned_to": CANDIDATE, "tracking_code": "THEIRS"}
        check(tenant, body, "TRK-2", code="THEIRS")
    finally:
        http.delete(f"/_sandbox/tenants/{other}")


# --- I8 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "assigned_to",
    [
        {"name": "Ada"},
        {"name": "Ada", "email": None},
        {"name": "Ada", "email": ""},
        {"name": "Ada", "email": "   "},
        {"name": "Ada", "email": "ada"},
        {"name": "Ada", "email": "ada@example"},
        {"name": "Ada", "email": "@example.com"},
        {"name": "Ada", "email": "ada@@example.com"},
        {"name": "Ada", "email": "ada lovelace@example.com"},
        {"name": "Ada", "email": 12},
        {"name": "Ada", "email": ["ada@example.com"]},
        {"name": "Ada", "mail": "ada@example.com"},
    ],
)
def test_i8_the_email_call_needs_an_email_address(tenant, assigned_to):
    check(tenant, {"assigned_to": assigned_to}, "I8", email=True)
    check(tenant, {"assigned_to": json.dumps(assigned_to)}, "I8", email=True)


def test_i8_takes_what_the_contracts_email_format_takes(tenant):
    """marshmallow's Email, as the contract's ``format: email``: a host without a dot
    (``localhost``) is an address; surrounding spaces are trimmed."""
    for address in ("ada@localhost", " ada@example.com "):
        got = assigned(tenant, {"assigned_to": {"email": address}}, email=True)
        assert got["emailed_to"] == address.strip()


def test_i8_is_the_email_calls_only(tenant):
    got = assigned(tenant, {"assigned_to": {"name": "Ada", "email": "ada"}})
    assert "emailed_to" not in got
    assert outbox(tenant) == []


# --- the order of the rules ----------------------------------------------------------------

# (body, email call, the rule it breaks first, message values); requireCandidateDetails
# is on and the tracking code "KNOWN" exists. Each body breaks a later rule too.
ORDERED = [
    ({"oid": ""}, False, "I3", {}),  # I3 before I4 and oid
    ({"assigned_to": "[]", "tracking_code": "NOPE"}, True, "I3", {}),  # I3 before TRK, I8
    ({"assigned_to": {"name": "Ada"}, "oid": ""}, False, "I4", {"missing": "email, reference"}),
    (
        {"assigned_to": {"x": 1}, "tracking_code": 5},
        True,
        "I4",
        {"missing": "name, email, reference"},
    ),
    ({"assigned_to": {**CANDIDATE, "email": "x"}, "oid": 5}, True, "OID-1", {}),  # before I8
    ({"assigned_to": CANDIDATE, "oid": "", "tracking_code": ""}, False, "OID-1", {}),
    ({"assigned_to": CANDIDATE, "oid": "x" * 101, "tracking_code": "NOPE"}, False, "OID-1", {}),
    ({"assigned_to": {**CANDIDATE, "email": "x"}, "tracking_code": ""}, True, "TRK-1", {}),
    (
        {"assigned_to": {**CANDIDATE, "email": "x"}, "tracking_code": "NOPE"},
        True,
        "TRK-2",
        {"code": "NOPE"},
    ),
    ({"assigned_to": {**CANDIDATE, "email": "x"}, "tracking_code": "KNOWN"}, True, "I8", {}),
]


@pytest.mark.parametrize(("body", "email", "rule_id", "values"), ORDERED)
def test_a_body_breaking_two_rules_reports_the_earlier(tenant, body, email, rule_id, values):
    tenant.settings("itep", requireCandidateDetails=True)
    tracking_code(tenant, "KNOWN")
    check(tenant, body, rule_id, email=email, **values)


def test_every_body_rule_comes_before_i5(tenant):
    tenant.settings("itep", requireCandidateDetails=True)
    tracking_code(tenant, "KNOWN")
    exhaust(tenant, "AP")
    for body, email, rule_id, values in ORDERED:
        check(tenant, body, rule_id, email=email, **values)
    # The key's rules and the request's come first too.
    refused(tenant.itep("POST", ASSIGN, auth={}, json={}), "I1")
    refused(tenant.itep("POST", ASSIGN, auth={"X-API-Key": "nope"}, json={}), "I2")
    # And a valid body is I5, on both calls.
    check(tenant, {"assigned_to": CANDIDATE, "tracking_code": "KNOWN"}, "I5", product="AP")
    check(tenant, {"assigned_to": CANDIDATE}, "I5", email=True, product="AP")


@pytest.mark.parametrize("path", CALLS)
def test_refusals_in_a_row_use_no_id(tenant, path):
    first = available(tenant, "AP")[0]
    for body in ({}, {"assigned_to": "[]"}, {"assigned_to": CANDIDATE, "oid": ""}):
        writes_nothing(tenant, lambda b=body: tenant.itep("POST", path, json=b))
    # The next good call gets the ID the first refusal would have had.
    assert assigned(tenant, email=path.endswith("email"))["test_id"] == first
