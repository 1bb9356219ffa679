"""Janison typed parsing is tolerant (extra, missing, odd fields); wire helpers are exact."""

from __future__ import annotations

import datetime as dt

import pytest

from exam_sandbox.client.janison.models import (
    Candidate,
    CefrGrade,
    Centre,
    Component,
    ComponentType,
    Enrolment,
    Gender,
    Page,
    Ref,
    Result,
    ScheduleResult,
    Test,
    TestPackage,
    User,
    WriteResult,
    ref,
    refs,
)
from exam_sandbox.client.janison.wire import (
    errors_of,
    format_date,
    format_instant,
    parse_date,
    parse_instant,
)

UTC = dt.UTC
RESULT = {
    "id": 30, "reference": "RES30", "href": "http://h/janison/api/result/30",
    "candidate": {"id": 5, "reference": "CAND0005", "href": "http://h/janison/api/candidate/5"},
    "testPackage": {"id": 3, "reference": "TP3"}, "centre": {"id": 1, "reference": "C1"},
    "components": [
        {"scaleScore": "162", "CEFRGrade": "B2", "dateCompleted": "2026-05-01T10:42:00Z",
         "keycode": "AB12CD34", "includedInTotal": True, "rawScore": 71, "completed": True,
         "voided": False, "name": "Listening", "type": "Listening", "id": 4,
         "reference": "LIS", "href": "http://h/janison/api/component/4"},
        {"scaleScore": 120, "CEFRGrade": "Below A1", "rawScore": "12", "type": "Drawing"},
    ],
    "finalScaleScore": "158", "overallCEFRGrade": "B2",
    "testPackageCompletionDate": "2026-05-01T11:00:00Z", "completed": True, "voided": False,
}


def test_result_and_its_components():
    result = Result.from_wire(RESULT)
    assert (result.id, result.final_scale_score, result.overall_cefr_grade) == (30, 158, "B2")
    assert result.overall_cefr_grade is CefrGrade.B2
    assert result.test_package == Ref(id=3, reference="TP3")
    assert result.test_package_completion_date == dt.datetime(2026, 5, 1, 11, 0, tzinfo=UTC)
    first, second = result.components
    assert (first.scale_score, first.cefr_grade, first.raw_score) == (162, CefrGrade.B2, 71)
    assert first.date_completed == dt.datetime(2026, 5, 1, 10, 42, tzinfo=UTC)
    assert (first.type, first.included_in_total, first.keycode) == (
        ComponentType.LISTENING, True, "AB12CD34")
    # a number sent as a number, a string where an int is, an unknown type
    assert (second.scale_score, second.raw_score, second.type) == (120, 12, "Drawing")
    assert second.cefr_grade is CefrGrade.BELOW_A1
    assert second.date_completed is None and second.completed is None


def test_unknown_fields_are_ignored_but_kept_in_raw_and_missing_ones_are_none():
    data = {"id": 8, "name": "North", "brandNew": [1], "tests": [{"id": 2, "extra": True}],
            "centreAdminUser": {"id": 11, "reference": "U11"}}
    centre = Centre.from_wire(data)
    assert centre.raw == data and centre.tests == [Ref(id=2)]
    assert centre.tests[0].raw == {"id": 2, "extra": True}
    assert centre.centre_admin_user == Ref(id=11, reference="U11")
    assert (centre.town, centre.retired, centre.reference) == (None, None, None)
    empty = Candidate.from_wire({})
    assert (empty.id, empty.centres, empty.tests, empty.gender) == (None, [], [], None)
    assert Candidate.from_wire(None) == empty
    assert User.from_wire(7).id == 7 and User.from_wire("U7").reference == "U7"


def test_names_match_case_insensitively_and_values_are_coerced():
    c = Candidate.from_wire({"ID": "5", "FirstName": "Ann", "COUNTYID": "Kent",
                             "gender": "unspecified", "retired": "true",
                             "dateOfBirth": "1990-01-31T00:00:00", "centres": {"id": 1}})
    assert (c.id, c.first_name, c.county_id, c.retired) == (5, "Ann", "Kent", True)
    assert c.gender is Gender.UNSPECIFIED and c.gender == "Unspecified"
    assert c.date_of_birth == dt.date(1990, 1, 31)
    assert c.centres == [Ref(id=1)]  # a single object where a list is typed


def test_values_that_cannot_be_coerced_are_kept():
    u = User.from_wire({"id": "x1", "dateOfBirth": "31/01/1990", "gender": "Other",
                        "expiry": 5, "centres": None})
    assert (u.id, u.date_of_birth, u.gender, u.expiry, u.centres) == (
        "x1", "31/01/1990", "Other", 5, [])


def test_read_only_resources():
    t = Test.from_wire({"id": 2, "name": "English", "testpackages": [{"id": 3}, None]})
    assert t.test_packages == [Ref(id=3)]
    p = TestPackage.from_wire({"id": 3, "components": [{"id": 4, "reference": "LIS"}]})
    assert p.components == [Ref(id=4, reference="LIS")]
    comp = Component.from_wire({"id": 4, "type": "SPEAKING"})
    assert comp.type is ComponentType.SPEAKING


def test_schedule_result_and_write_result():
    scheduled = ScheduleResult.from_wire({
        "id": 9, "reference": "S9", "errors": [], "enrolments": [
            {"candidate": {"id": 5}, "testSessionId": "100", "components": [
                {"component": {"id": 4}, "version": "3", "keycode": "K1"},
                {"component": {"id": 6}}]}]})
    enrolment = scheduled.enrolments[0]
    assert isinstance(enrolment, Enrolment) and enrolment.test_session_id == 100
    assert enrolment.components[0].version == 3 and enrolment.keycodes == ["K1"]
    assert ScheduleResult.from_wire({"id": 9}).enrolments == []
    assert WriteResult.from_wire({"id": 5, "href": "h"}) == WriteResult(id=5, href="h")


def test_page_from_wire():
    page = Page.from_wire({"count": "3", "top": 2, "skip": 0, "pageCount": 2,
                           "nextPageLink": "http://h/x?$skip=2", "prevPageLink": "",
                           "response": [{"id": 1}, {"id": 2}], "errors": []}, Ref.from_wire)
    assert (page.count, page.page_count, page.prev_page_link) == (3, 2, None)
    assert [r.id for r in page] == [1, 2] and len(page) == 2 and page.has_next
    by_id = Page.from_wire({"count": None, "response": [{"id": 1}]}, Ref.from_wire)
    assert by_id.count is None and not by_id.has_next
    assert Page.from_wire({"response": None}, Ref.from_wire).items == []


def test_ref_helpers_for_request_bodies():
    assert ref(3) == {"id": 3} and ref("X") == {"reference": "X"}
    assert ref(Ref(id=3, reference="X")) == {"id": 3}
    assert ref(Ref(reference="X")) == {"reference": "X"}
    assert ref({"id": 3, "extra": 1}) == {"id": 3, "extra": 1}
    assert ref(Candidate.from_wire({"reference": "C"})) == {"reference": "C"}
    assert ref(None) is None
    for bad, kind in ((True, TypeError), ("", ValueError), (object(), TypeError),
                      (Ref(), ValueError)):
        with pytest.raises(kind):
            ref(bad)
    assert refs([1, "X"]) == [{"id": 1}, {"reference": "X"}]
    assert refs("X") == [{"reference": "X"}] and refs(Ref(id=1)) == [{"id": 1}]
    assert refs(i for i in (1, 2)) == [{"id": 1}, {"id": 2}]
    assert refs(None) is None and refs([]) == []


def test_dates_and_instants():
    assert format_date(dt.date(2026, 5, 1)) == "2026-05-01"
    assert format_date("2026-05-01") == "2026-05-01"
    assert format_date("20260501") == "2026-05-01"  # normalised
    assert format_date(dt.datetime(2026, 5, 1, 23, 0)) == "2026-05-01"
    assert format_date(dt.datetime(2026, 5, 1, 23, 0,
                                   tzinfo=dt.timezone(dt.timedelta(hours=-3)))) == "2026-05-02"
    with pytest.raises(ValueError):
        format_date("01/05/2026")
    assert format_instant(dt.datetime(2026, 5, 1, 10, 42)) == "2026-05-01T10:42:00Z"
    assert format_instant(dt.datetime(2026, 5, 1, 12, 42, tzinfo=dt.timezone(
        dt.timedelta(hours=2)))) == "2026-05-01T10:42:00Z"
    assert parse_date("2026-05-01") == dt.date(2026, 5, 1)
    assert parse_date("") is None and parse_date("soon") == "soon"
    assert parse_instant("2026-05-01T10:42:00") == dt.datetime(2026, 5, 1, 10, 42, tzinfo=UTC)
    assert parse_instant("2026-05-01T12:42:00+02:00") == dt.datetime(2026, 5, 1, 10, 42,
                                                                     tzinfo=UTC)
    assert parse_instant("later") == "later" and parse_instant(None) is None


def test_error_bodies_of_every_shape():
    janison = {"id": None, "errors": [{"code": "12", "message": "bad", "field": "town"},
                                      {"Code": 13, "Message": "worse", "Field": ""}, "plain"]}
    details = errors_of(janison)
    assert details == [(12, "bad"), (13, "worse"), (None, "plain")]
    assert [d.field for d in details] == ["town", None, None]
    assert errors_of({"statusCode": 401, "message": "Access denied"}) == [(401, "Access denied")]
    assert errors_of({"error": "invalid_client", "error_description": "nope"}) == [
        ("invalid_client", "nope")]
    assert errors_of({"error": "invalid_scope"}) == [("invalid_scope", "invalid_scope")]
    assert errors_of({"errors": []}) == [] and errors_of({}) == []
