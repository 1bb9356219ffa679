"""``format="xml"``: XML request bodies out, XML envelopes in."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from exam_sandbox.client.surpass import NotFoundError, SurpassError, ValidationError
from exam_sandbox.client.surpass.models import (
    ReasonableAdjustments,
    Ref,
    ScheduleResult,
    WriteResult,
)
from exam_sandbox.client.surpass.xml import TEST_SCHEDULE_NS, decode, encode, item_name

XML = {"Content-Type": "application/xml; charset=utf-8"}
NS = {"s": TEST_SCHEDULE_NS}

PAGE = """<?xml version="1.0" encoding="utf-8"?>
<response xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <count>2</count><top>40</top><skip>0</skip><pageCount>1</pageCount>
  <nextPageLink i:nil="true" /><prevPageLink i:nil="true" />
  <response>
    <candidate>
      <id>5</id><reference>CAND0005</reference>
      <href>http://h/surpass/api/v2/Candidate/5</href>
      <firstName>Ann</firstName><middleName i:nil="true" /><lastName>O'Neil &amp; Co</lastName>
      <dateOfBirth>1990-01-31T00:00:00</dateOfBirth><gender>Female</gender>
      <reasonableAdjustments>false</reasonableAdjustments><retired>true</retired>
      <expiryDate i:nil="true" />
      <centres>
        <centre><id>1</id><reference>C1</reference><href>http://h/c/1</href></centre>
      </centres>
      <subjects />
      <tagGroups><tagGroup><id>4</id></tagGroup></tagGroups>
    </candidate>
    <candidate>
      <id>6</id><firstName>Bo</firstName><lastName /><dateOfBirth>2001-02-03T00:00:00</dateOfBirth>
      <centres>
        <centre><id>1</id></centre><centre><id>2</id><reference>C2</reference></centre>
      </centres>
    </candidate>
  </response>
  <errors />
  <serverTimeZone>GMT Standard Time</serverTimeZone>
</response>"""


@pytest.fixture
def xml_client(make_client):
    return make_client(format="xml")


def test_page_of_candidates_from_xml(server, xml_client):
    server.reply(200, PAGE, headers=XML)
    page = xml_client.candidates_page()
    assert server.requests[0].header("Accept") == "application/xml"
    assert (page.count, page.top, page.skip, page.page_count) == (2, 40, 0, 1)
    assert page.next_page_link is None and page.server_time_zone == "GMT Standard Time"
    ann, bo = page.items
    assert (ann.id, ann.reference, ann.first_name, ann.last_name) == (
        5, "CAND0005", "Ann", "O'Neil & Co")
    assert ann.middle_name is None and ann.expiry_date is None
    assert ann.date_of_birth == dt.date(1990, 1, 31)
    assert ann.reasonable_adjustments is False and ann.retired is True
    assert ann.centres == [Ref(id=1, reference="C1", href="http://h/c/1")]
    assert ann.subjects == []
    assert ann.raw["tagGroups"] == [{"id": "4"}]
    assert bo.last_name == "" and bo.email is None
    assert [c.id for c in bo.centres] == [1, 2]


def test_single_item_response_is_still_a_list(server, xml_client):
    body = """<response xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
      <count i:nil="true"/><top i:nil="true"/><skip i:nil="true"/><pageCount i:nil="true"/>
      <nextPageLink i:nil="true"/><prevPageLink i:nil="true"/>
      <response><centre><id>3</id><name>North</name><status>Active</status>
        <randomiseTestForms>true</randomiseTestForms>
        <county><id>2</id><name>Yorkshire</name></county><country i:nil="true"/>
      </centre></response>
      <errors/><serverTimeZone>GMT Standard Time</serverTimeZone></response>"""
    server.reply(200, body, headers=XML)
    centre = xml_client.get_centre(3)
    assert (centre.id, centre.name, centre.randomise_test_forms) == (3, "North", True)
    assert centre.county == Ref(id=2, name="Yorkshire") and centre.country is None


def test_namespaced_response_is_tolerated(server, xml_client):
    body = """<response xmlns="http://schemas.datacontract.org/2004/07/Whatever"
        xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><id>9</id>
        <reference>C9</reference><href>http://h/Centre/9</href><errors/>
        <serverTimeZone>UTC</serverTimeZone></response>"""
    server.reply(200, body, headers=XML)
    assert xml_client.create_centre(name="x") == WriteResult(
        id=9, reference="C9", href="http://h/Centre/9", server_time_zone="UTC")


def test_xml_error_list_every_error(server, xml_client):
    body = """<response xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
      <id i:nil="true"/><href i:nil="true"/>
      <errors>
        <Error><ErrorCode>1001</ErrorCode><Message>Test is required</Message></Error>
        <Error><ErrorCode>1002</ErrorCode><Message>Centre is required</Message></Error>
      </errors><serverTimeZone>GMT Standard Time</serverTimeZone></response>"""
    server.reply(400, body, headers=XML)
    with pytest.raises(ValidationError) as info:
        xml_client.create_subject(name="Maths")
    assert info.value.errors == [(1001, "Test is required"), (1002, "Centre is required")]


def test_xml_single_error_and_200_with_errors(server, xml_client):
    one = """<response><id i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/>
      <errors><Error><ErrorCode>404</ErrorCode><Message>Centre not found</Message></Error>
      </errors></response>"""
    server.reply(404, one, headers=XML)
    server.reply(200, one, headers=XML)
    for _ in range(2):
        with pytest.raises(NotFoundError) as info:
            xml_client.delete_centre(1)
        assert info.value.errors == [(404, "Centre not found")]


def test_xml_with_a_dtd_is_refused(server, xml_client):
    evil = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "boom">]>
      <response><id>&x;</id><errors/></response>"""
    server.reply(200, evil, headers=XML)
    with pytest.raises(SurpassError, match="not a Surpass envelope"):
        xml_client.get_country(1)


def test_schedule_test_xml_body(server, xml_client):
    write = """<response xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
      <id>812</id><reference>H76RBD8P</reference>
      <href>http://h/surpass/api/v2/TestSession/812</href><errors/>
      <serverTimeZone>GMT Standard Time</serverTimeZone><keycode>H76RBD8P</keycode>
      <pin>012345</pin><candidate><id>5</id><reference>CAND0005</reference></candidate>
      </response>"""
    server.reply(200, write, headers=XML)
    result = xml_client.schedule_test(
        test=3, centre="C1", candidate="CAND0005", start_date=dt.date(2025, 3, 7),
        start_time=dt.time(9), end_time=dt.time(17, 30), requires_invigilation=True,
        marked_externally=False, test_tags=["mock", "spring"],
        reasonable_adjustments=ReasonableAdjustments(extra_time_min=15),
        selected_sections=[{"sectionName": "A", "sectionOrder": 1}],
    )
    req = server.requests[0]
    assert req.header("Content-Type") == "application/xml"
    assert req.header("Accept") == "application/xml"
    assert f'<TestSchedule xmlns="{TEST_SCHEDULE_NS}">'.encode() in req.body
    root = ET.fromstring(req.body)
    assert root.tag == f"{{{TEST_SCHEDULE_NS}}}TestSchedule"
    assert [c.tag.split("}")[1] for c in root] == [
        "test", "centre", "candidate", "startDate", "endDate", "startTime", "endTime",
        "reasonableAdjustments", "markedExternally", "requiresInvigilation", "testTags",
        "selectedSections",
    ]
    assert root.findtext("s:test/s:id", namespaces=NS) == "3"
    assert root.findtext("s:centre/s:reference", namespaces=NS) == "C1"
    assert root.findtext("s:startDate", namespaces=NS) == "07/03/2025"
    assert root.findtext("s:endDate", namespaces=NS) == "07/03/2025"
    assert root.findtext("s:startTime", namespaces=NS) == "0900"
    assert root.findtext("s:endTime", namespaces=NS) == "1730"
    assert root.findtext("s:requiresInvigilation", namespaces=NS) == "true"
    assert root.findtext("s:markedExternally", namespaces=NS) == "false"
    assert root.findtext("s:reasonableAdjustments/s:extraTimeMin", namespaces=NS) == "15"
    assert [t.text for t in root.findall("s:testTags/s:tag", namespaces=NS)] == ["mock", "spring"]
    assert root.findtext("s:selectedSections/s:selectedSection/s:sectionName",
                         namespaces=NS) == "A"
    assert result == ScheduleResult(
        id=812, keycode="H76RBD8P", pin="012345", candidate=Ref(id=5, reference="CAND0005"),
        href="http://h/surpass/api/v2/TestSession/812", reference="H76RBD8P",
        server_time_zone="GMT Standard Time")


def test_other_xml_writes(server, xml_client):
    ok = '<response><id>1</id><href>h</href><errors/></response>'
    server.reply(200, ok, headers=XML)
    server.reply(200, ok, headers=XML)
    xml_client.create_candidate(first_name="Ann", last_name="Smith",
                                date_of_birth=dt.date(1990, 1, 31), centres=[1, "C2"])
    xml_client.pause_test_session("H76RBD8P")
    cand = ET.fromstring(server.requests[0].body)
    assert cand.tag == "candidate"
    assert cand.findtext("dateOfBirth") == "1990-01-31T00:00:00"
    assert [c.findtext("id") or c.findtext("reference") for c in cand.find("centres")] == [
        "1", "C2"]
    assert all(c.tag == "centre" for c in cand.find("centres"))
    session = ET.fromstring(server.requests[1].body)
    assert (session.tag, session.findtext("testState")) == ("testSession", "7")


def test_decode_and_encode_units():
    assert decode("<response><a i:nil='true' xmlns:i='http://www.w3.org/2001/XMLSchema-instance'/>"
                  "<b>x</b><c><d>1</d><e/></c><items><item>1</item><item>2</item></items>"
                  "</response>") == {"a": None, "b": "x", "c": {"d": "1", "e": ""},
                                      "items": ["1", "2"]}
    assert decode("<response><errors/><testTags><tag>a</tag></testTags></response>") == {
        "errors": [], "testTags": ["a"]}
    assert item_name("testTags") == "tag" and item_name("counties") == "county"
    assert item_name("permissions") == "permission" and item_name("errors") == "Error"
    assert encode("x", {"a": True, "b": None, "centres": [{"id": 1}]}) == (
        b"<?xml version='1.0' encoding='utf-8'?>\n"
        b"<x><a>true</a><centres><centre><id>1</id></centre></centres></x>")
