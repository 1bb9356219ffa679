"""POST TestSchedule in XML: the DataContract root and namespace, XML answers, and bodies
that must be refused with 400 (malformed XML, DTDs and entities) rather than fail."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree as SafeET

NOW = "2026-03-01T08:00:00Z"
NS = (
    "http://schemas.datacontract.org/2004/07/"
    "Btl.Aspire.Administration.Web.Areas.Api.Version2.DataContracts.TestSchedule"
)
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
BASE = "http://localhost/surpass/api/v2"
FIELDS = """
  <test><reference>ENGLANG-WRIT</reference></test>
  <centre><id>1</id></centre>
  <candidate><reference>CAND00001</reference></candidate>
  <startDate>02/03/2026</startDate>
  <endDate>04/03/2026</endDate>
  <startTime>0900</startTime>
  <endTime>1630</endTime>
"""
FULL = FIELDS + """
  <reasonableAdjustments><extraTimeMin>15</extraTimeMin><reason>Dyslexia</reason></reasonableAdjustments>
  <markedExternally>true</markedExternally>
  <allowMultipleOpenSessions>false</allowMultipleOpenSessions>
  <requiresInvigilation>true</requiresInvigilation>
  <testTags><tag>morning</tag><tag>room 4</tag></testTags>
  <testForm><reference>ENGLANG-WRIT-F1</reference></testForm>
  <marker><id>1</id></marker>
  <purchaseOrder>PO-77</purchaseOrder>
  <breakReasonableAdjustments><extraTimePercentage>10</extraTimePercentage>
    <numberOfExtraBreaksPerSection>2</numberOfExtraBreaksPerSection></breakReasonableAdjustments>
  <subject><reference>ENGLANG</reference></subject>
  <unscheduledBreak><extraTimeMin>5</extraTimeMin></unscheduledBreak>
  <language>cy</language>
  <enforceTimes>false</enforceTimes>
  <externalReference>EXT-1</externalReference>
  <unlockOverride><unlockForWholeDay>true</unlockForWholeDay>
    <daysInAdvanceToUnlock>1</daysInAdvanceToUnlock></unlockOverride>
  <selectedSections><section><sectionName>A</sectionName><sectionOrder>1</sectionOrder></section>
  </selectedSections>
"""


def document(children: str = FIELDS, *, root: str = "TestSchedule", namespace: str | None = NS,
             prolog: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return f"{prolog}<{root}{xmlns}>{children}</{root}>".encode()


def post(tenant, data: bytes, content_type: str = "application/xml", **headers):
    return tenant.surpass("POST", "/api/v2/TestSchedule", data=data,
                          headers={"Content-Type": content_type, **headers})


def xml_errors(response) -> list[tuple[int, str]]:
    root = SafeET.fromstring(response.data)
    return [(int(e.findtext("ErrorCode")), e.findtext("Message"))
            for e in root.find("errors").findall("Error")]


def refused(response, code: int) -> list[tuple[int, str]]:
    assert response.status_code == 400, response.data
    assert response.mimetype == "application/xml"
    root = SafeET.fromstring(response.data)
    assert root.tag == "response"
    assert root.find("id").get(XSI_NIL) == "true" and root.find("href").get(XSI_NIL) == "true"
    errors = xml_errors(response)
    assert errors and all(c == code for c, _ in errors), errors
    return errors


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


def test_full_xml_post_answers_in_xml(t):
    r = post(t, document(FULL))
    assert r.status_code == 200, r.data
    assert r.mimetype == "application/xml"
    root = SafeET.fromstring(r.data)
    assert [child.tag for child in root] == ["id", "reference", "href", "errors",
                                             "serverTimeZone", "keycode", "pin", "candidate"]
    assert root.findtext("id") == "11"
    assert root.findtext("reference") == root.findtext("keycode")
    assert root.findtext("href") == f"{BASE}/TestSession/11"
    assert len(root.find("errors")) == 0
    assert root.findtext("candidate/id") == "1"
    assert root.findtext("candidate/reference") == "CAND00001"

    read = t.surpass("GET", "/api/v2/TestSession/11", headers={"Accept": "application/xml"})
    session = SafeET.fromstring(read.data).find("response/testSession")
    assert [tag.text for tag in session.find("testTags")] == ["morning", "room 4"]
    assert [tag.tag for tag in session.find("testTags")] == ["tag", "tag"]
    values = {name: session.findtext(name) for name in (
        "endDate", "endTime", "markedExternally", "requiresInvigilation", "purchaseOrder",
        "language", "testForm/reference", "subject/reference")}
    assert values == {
        "endDate": "04/03/2026", "endTime": "1630", "markedExternally": "true",
        "requiresInvigilation": "true", "purchaseOrder": "PO-77", "language": "cy",
        "testForm/reference": "ENGLANG-WRIT-F1", "subject/reference": "ENGLANG",
    }


def test_xml_with_headers_and_json_answer(t):
    new = FIELDS.replace(
        "<candidate><reference>CAND00001</reference></candidate>",
        "<candidate><reference>XML1</reference><firstName>Xavier</firstName>"
        "<lastName>Mills</lastName><dateOfBirth>1999-12-31T00:00:00</dateOfBirth></candidate>")
    r = post(t, document(new), "text/xml", Accept="application/json",
             quickRegisterCandidate="true")
    assert r.status_code == 200, r.data
    assert r.is_json and r.json["candidate"]["reference"] == "XML1"


def test_wrong_or_missing_namespace_refused_when_strict(t):
    expected = [(1001, "The request body could not be read as XML: Expecting element "
                       f"'TestSchedule' from namespace '{NS}'")]
    assert refused(post(t, document(namespace="urn:wrong")), 1001) == expected
    assert refused(post(t, document(namespace=None)), 1001) == expected


def test_namespace_not_checked_when_strict_xml_namespace_false(t):
    t.settings(strictXmlNamespace=False)
    assert post(t, document(namespace=None)).status_code == 200
    other = FIELDS.replace("CAND00001", "CAND00006").replace("<id>1</id>", "<id>2</id>")
    assert post(t, document(other, namespace="urn:any")).status_code == 200
    # the root element's name still has to be TestSchedule
    refused(post(t, document(root="Schedule", namespace=None)), 1001)


def test_xml_validation_errors_in_xml(t):
    body = FIELDS.replace("<startTime>0900</startTime>", "<startTime>9am</startTime>")
    body = body.replace("<test><reference>ENGLANG-WRIT</reference></test>", "")
    r = post(t, document(body + "<language>xx</language>"))
    assert r.status_code == 400
    assert xml_errors(r) == [
        (2001, "Test is required"),
        (2006, "startTime must be in the format HHMM"),
        (2024, "language 'xx' is not a supported language code"),
    ]


def test_xml_rule_failure_in_xml(t):
    t.settings(multiDayScheduling=False)
    r = post(t, document())
    assert r.status_code == 400 and r.mimetype == "application/xml"
    assert xml_errors(r) == [(2009, "Test scheduling over multiple days is disabled")]


@pytest.mark.parametrize("data", [
    b"<TestSchedule><test>",
    b"not xml at all",
    b"<?xml version='1.0'?><a></b>",
    "<TestSchedule>\u00e9</TestSchedule>".encode("latin-1"),
])
def test_malformed_xml(t, data):
    errors = refused(post(t, data), 1001)
    assert errors[0][1].startswith("The request body could not be read as XML")


def test_entity_bomb_refused(t):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        f'<TestSchedule xmlns="{NS}"><purchaseOrder>&lol3;</purchaseOrder></TestSchedule>'
    ).encode()
    refused(post(t, bomb), 1001)


def test_external_entity_refused(t):
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        f'<TestSchedule xmlns="{NS}"><purchaseOrder>&secret;</purchaseOrder></TestSchedule>'
    ).encode()
    refused(post(t, xxe), 1001)


def test_deeply_nested_xml_is_refused_not_a_crash(t):
    deep = document("<extra>" + "<a>" * 5000 + "</a>" * 5000 + "</extra>" + FIELDS)
    errors = refused(post(t, deep), 1001)
    assert errors[0][1].startswith("The request body could not be read as XML")
