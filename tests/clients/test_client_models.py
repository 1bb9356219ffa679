"""Typed parsing is tolerant: extra fields, missing fields, strings from XML, odd values."""

from __future__ import annotations

import datetime as dt

import pytest

from exam_sandbox.client.surpass.models import (
    BreakReasonableAdjustments,
    Candidate,
    Centre,
    CentreSubjectAssociation,
    Country,
    County,
    ExamState,
    Page,
    Ref,
    SelectedSection,
    Subject,
    Test,
    TestSession,
    VoidReason,
    ref,
    to_wire,
)
from exam_sandbox.client.surpass.wire import (
    coerce_enum,
    format_date,
    format_time,
    parse_date,
    parse_datetime,
    parse_time,
    wire_datetime,
)


def test_unknown_fields_are_ignored_but_kept_in_raw():
    data = {"id": 1, "name": "North", "status": "Active", "brandNewField": [1, 2],
            "county": {"id": 2, "name": "Yorkshire", "extra": True}}
    centre = Centre.from_wire(data)
    assert (centre.id, centre.name, centre.status) == (1, "North", "Active")
    assert centre.county == Ref(id=2, name="Yorkshire")
    assert centre.raw == data
    assert centre.county.raw["extra"] is True


def test_missing_optional_fields_are_none():
    candidate = Candidate.from_wire({"id": 1})
    assert candidate.first_name is None and candidate.date_of_birth is None
    assert candidate.centres == [] and candidate.subjects == []
    assert Subject.from_wire({}) == Subject()
    assert TestSession.from_wire({"id": 1}).test_tags == []


def test_member_names_match_case_insensitively():
    assert Candidate.from_wire({"ID": 3, "FirstName": "Ann"}) == Candidate(id=3, first_name="Ann")


def test_strings_from_xml_are_coerced():
    subject = Subject.from_wire({"id": "7", "htmlOnly": "true", "subjectMasterList": "false",
                                 "primaryCentre": {"id": "1"}})
    assert subject.id == 7 and subject.html_only is True and subject.subject_master_list is False
    assert subject.primary_centre == Ref(id=1)
    assert CentreSubjectAssociation.from_wire(
        {"id": "4", "primary": "true", "permissions": ["A", "B"]}
    ).permissions == ["A", "B"]


def test_values_that_cannot_be_coerced_are_kept():
    centre = Centre.from_wire({"id": "abc", "randomiseTestForms": "perhaps"})
    assert centre.id == "abc" and centre.randomise_test_forms == "perhaps"
    assert Candidate.from_wire({"dateOfBirth": "sometime"}).date_of_birth == "sometime"


def test_test_session_enums():
    assert TestSession.from_wire({"state": 7}).state is ExamState.PAUSED
    assert TestSession.from_wire({"state": "InProgress"}).state is ExamState.IN_PROGRESS
    assert TestSession.from_wire({"state": 42}).state == 42  # a state we do not know yet
    assert TestSession.from_wire({"voidReason": "Other"}).void_reason is VoidReason.OTHER
    assert TestSession.from_wire({"voidReason": "4"}).void_reason is VoidReason.OTHER
    assert coerce_enum(ExamState, "scheduled_but_not_created") is ExamState(1)
    assert coerce_enum(ExamState, None) is None


def test_dates_and_times():
    assert parse_date("1990-01-31T00:00:00") == dt.date(1990, 1, 31)
    assert parse_date("1990-01-31") == dt.date(1990, 1, 31)
    assert parse_date("07/03/2025") == dt.date(2025, 3, 7)  # DD/MM/YYYY on the wire
    assert parse_datetime("2025-03-07T09:00:00.1234567Z") == dt.datetime(
        2025, 3, 7, 9, 0, 0, 123456, tzinfo=dt.UTC)
    assert parse_time("0930") == dt.time(9, 30) and parse_time("09:30:00") == dt.time(9, 30)
    assert format_date(dt.date(2025, 3, 7)) == "07/03/2025"
    assert format_date(dt.datetime(2025, 12, 31, 23, 0)) == "31/12/2025"
    assert format_time(dt.time(7, 5)) == "0705" and format_time("07:05") == "0705"
    assert wire_datetime(dt.date(1990, 1, 31)) == "1990-01-31T00:00:00"
    with pytest.raises(TypeError):
        format_date(20250307)
    with pytest.raises(TypeError):
        format_time(900)


def test_test_with_forms_country_county():
    test = Test.from_wire({"id": 3, "status": "Live", "requiresInvigilation": True,
                           "testForms": [{"id": 9, "name": "A"}, {"id": 10}]})
    assert [f.id for f in test.test_forms] == [9, 10] and test.requires_invigilation is True
    assert Country.from_wire({"id": 1, "name": "England", "code": "GB"}).code == "GB"
    assert County.from_wire({"id": 2, "country": {"id": 1}}).country.id == 1


def test_page_from_wire():
    page = Page.from_wire({"count": "3", "top": 2, "skip": 0, "pageCount": 2,
                           "nextPageLink": "http://n", "prevPageLink": None,
                           "response": [{"id": 1}, {"id": 2}], "errors": []},
                          Country.from_wire)
    assert [c.id for c in page] == [1, 2] and len(page) == 2 and page[1].id == 2
    assert page.count == 3 and page.has_next
    assert Page.from_wire({"response": None}, Country.from_wire).items == []


def test_inputs_to_wire():
    assert ref(3) == {"id": 3} and ref("X") == {"reference": "X"}
    assert ref(Ref(id=3, reference="X")) == {"id": 3}
    assert ref(Ref(reference="X")) == {"reference": "X"}
    assert ref(Centre(reference="C1")) == {"reference": "C1"}
    assert ref({"id": 1, "name": "n"}) == {"id": 1, "name": "n"}
    with pytest.raises(TypeError):
        ref(True)
    with pytest.raises(ValueError):
        Ref().to_wire()
    assert to_wire(BreakReasonableAdjustments(extra_time_min=5,
                                              number_of_extra_breaks_per_section=2)) == {
        "extraTimeMin": 5, "numberOfExtraBreaksPerSection": 2}
    assert to_wire([SelectedSection("A", 1)]) == [{"sectionName": "A", "sectionOrder": 1}]
