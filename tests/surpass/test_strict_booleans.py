"""Booleans are JSON booleans (issue 7, defect 9): the contract says ``boolean``, so
0, 1, "true" and "1" are refused with REQ-1, as Janison refuses them. XML bodies carry
``xs:boolean`` text, which the XML reader turns into booleans before the schema."""

from __future__ import annotations

import pytest
from support import errors_of
from test_test_schedule_xml import FIELDS, document, post, refused

NOT_BOOLEANS = [0, 1, "true", "1"]
CANDIDATE = {"firstName": "Ada", "lastName": "Lovelace", "dateOfBirth": "1990-01-31"}
CENTRE = {"name": "Strict Centre"}
SUBJECT = {"name": "Strict Subject", "primaryCentre": {"reference": "CEN002"}}
SCHEDULE = {
    "test": {"reference": "MATHS-PRAC"}, "centre": {"reference": "CEN001"},
    "candidate": {"reference": "CAND00001"}, "startDate": "02/03/2026",
    "endDate": "02/03/2026", "startTime": "0900", "endTime": "1700",
}
WRITES = [
    ("POST", "/api/v2/Candidate", CANDIDATE, "isExternal"),
    ("POST", "/api/v2/Candidate", CANDIDATE, "reasonableAdjustments"),
    ("PUT", "/api/v2/Candidate/1", {}, "retired"),
    ("POST", "/api/v2/Centre", CENTRE, "excludeItemStatistics"),
    ("PUT", "/api/v2/Centre/1", {}, "randomiseTestForms"),
    ("POST", "/api/v2/Subject", SUBJECT, "enableCheckboxesInItemAuthoring"),
    ("POST", "/api/v2/TestSchedule", SCHEDULE, "markedExternally"),
    ("POST", "/api/v2/TestSchedule", {**SCHEDULE, "unlockOverride": {}}, "unlockOverride"),
]


@pytest.mark.parametrize("value", NOT_BOOLEANS, ids=repr)
@pytest.mark.parametrize(("method", "path", "body", "member"), WRITES,
                         ids=[f"{m} {p} {f}" for m, p, _, f in WRITES])
def test_REQ_1_only_json_booleans(tenant, method, path, body, member, value):
    if member == "unlockOverride":
        body, member = {**body, "unlockOverride": {"unlockForWholeDay": value}}, member
        problem = "unlockOverride.unlockForWholeDay: Not a valid boolean."
    else:
        body, problem = {**body, member: value}, f"{member}: Not a valid boolean."
    r = tenant.surpass(method, path, json=body)
    assert r.status_code == 400, r.json
    assert errors_of(r) == [(1000, problem)]


def test_json_booleans_are_still_taken(tenant):
    r = tenant.surpass("POST", "/api/v2/Candidate", json={**CANDIDATE, "isExternal": True})
    assert r.status_code == 200, r.json
    assert r.json["errors"] == []


@pytest.mark.parametrize(("text", "stored"), [("true", "true"), ("false", "false"),
                                              (" 1 ", "true"), ("0", "false")])
def test_xml_booleans_are_xs_boolean_text(tenant, text, stored):
    tenant.freeze("2026-03-01T08:00:00Z")
    r = post(tenant, document(FIELDS + f"<markedExternally>{text}</markedExternally>"))
    assert r.status_code == 200, r.data
    read = tenant.surpass("GET", "/api/v2/TestSession/11", headers={"Accept": "application/xml"})
    assert read.status_code == 200
    assert b"<markedExternally>" + stored.encode() in read.data


@pytest.mark.parametrize("text", ["yes", "True", ""])
def test_xml_text_that_is_no_xs_boolean_is_refused(tenant, text):
    tenant.freeze("2026-03-01T08:00:00Z")
    r = post(tenant, document(FIELDS + f"<markedExternally>{text}</markedExternally>"))
    assert refused(r, 1000) == [(1000, "markedExternally: Not a valid boolean.")]
