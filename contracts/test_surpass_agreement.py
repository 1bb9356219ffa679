"""Agreement: the client and a served Surpass (the sandbox, or a real site with
``--surpass-url``) carry out whole scenarios together, over real HTTP.

Each test goes through ``client.SurpassClient`` only; the sandbox's ``/_sandbox``
controls (settings, users, journal) come from the ``sandbox_tenant`` fixture and mark
the test ``sandbox_only``. ErrorCodes are checked on the sandbox only (a real site's
codes are not documented); statuses and error kinds are checked everywhere.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from exam_sandbox.client.surpass import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    SurpassClient,
    ValidationError,
)
from exam_sandbox.client.surpass.models import ExamState, ScheduleResult, TestSession
from exam_sandbox.client.surpass.query import F

DAY = dt.date.today() + dt.timedelta(days=21)  # a window well in the future
OPEN_STATES = (ExamState.SCHEDULED_BUT_NOT_CREATED, ExamState.SCHEDULED_BUT_NOT_DOWNLOADED)


def schedule(site, client: SurpassClient | None = None, **overrides) -> ScheduleResult:
    """Schedule the scenario's candidate for its test (and delete it after the test)."""
    client = client or site.client()
    args = {
        "test": site.data("test"),
        "centre": site.data("centre"),
        "candidate": site.data("candidate"),
        "start_date": DAY,
        "start_time": dt.time(9, 0),
        "end_time": dt.time(17, 0),
        **overrides,
    }
    result = client.schedule_test(**args)
    site.cleanup_later(client, result.keycode)
    return result


# --------------------------------------------------------------------------- scheduling


def test_schedule_then_read_back_through_test_session(surpass_site):
    client = surpass_site.client()
    made = schedule(surpass_site, client, test_tags=["contract", "agreement"])

    assert isinstance(made, ScheduleResult)
    assert made.keycode and made.reference == made.keycode and made.pin
    assert made.candidate.reference == surpass_site.data("candidate")

    by_keycode = client.get_test_session(made.keycode)
    by_id = client.get_test_session(made.id)
    assert isinstance(by_keycode, TestSession)
    assert by_keycode == by_id
    assert (by_keycode.id, by_keycode.keycode, by_keycode.pin) == (made.id, made.keycode, made.pin)
    assert by_keycode.state in OPEN_STATES
    assert by_keycode.test.reference == surpass_site.data("test")
    assert by_keycode.centre.reference == surpass_site.data("centre")
    assert by_keycode.candidate.reference == surpass_site.data("candidate")
    assert (by_keycode.start_date, by_keycode.end_date) == (DAY, DAY)
    assert (by_keycode.start_time, by_keycode.end_time) == (dt.time(9, 0), dt.time(17, 0))
    assert by_keycode.test_form is not None and by_keycode.test_form.id
    assert sorted(by_keycode.test_tags) == ["agreement", "contract"]

    listed = list(client.iter_test_sessions(where={"keycode": made.keycode}))
    assert listed == [by_keycode]


@pytest.mark.sandbox_only
def test_the_journal_shows_exactly_one_schedule_post(surpass_site):
    schedule(surpass_site)
    journal = surpass_site.tenant.journal
    [entry] = journal.assert_called("POST", "/api/v2/TestSchedule", times=1)
    assert entry.status == 200
    assert entry.request_json()["candidate"] == {"reference": surpass_site.data("candidate")}
    journal.assert_not_called("DELETE", "TestSchedule")


def test_a_second_open_session_is_refused_unless_allowed(surpass_site):
    client = surpass_site.client()
    first = schedule(surpass_site, client)

    with pytest.raises(ValidationError) as refused:
        schedule(surpass_site, client)
    assert refused.value.status == 400
    surpass_site.expect_codes(refused.value, 2026)

    second = schedule(surpass_site, client, allow_multiple_open_sessions=True)
    assert second.keycode != first.keycode
    both = {first.keycode, second.keycode}
    found = client.iter_test_sessions(
        filter=(F("candidate") / "reference" == surpass_site.data("candidate"))
        & (F("test") / "reference" == surpass_site.data("test"))
    )
    assert both <= {s.keycode for s in found}


@pytest.mark.sandbox_only
def test_purchase_order_required_by_the_site(surpass_site):
    surpass_site.tenant.update_settings("surpass", purchaseOrderRequired=True)
    client = surpass_site.client()

    with pytest.raises(ValidationError) as refused:
        schedule(surpass_site, client)
    surpass_site.expect_codes(refused.value, 2010)

    made = schedule(surpass_site, client, purchase_order="PO-2030-0042")
    assert client.get_test_session(made.keycode).purchase_order == "PO-2030-0042"


@pytest.mark.sandbox_only
def test_purchase_order_not_required_by_default(surpass_site):
    assert surpass_site.tenant.settings("surpass")["purchaseOrderRequired"] is False
    made = schedule(surpass_site)
    assert surpass_site.client().get_test_session(made.keycode).purchase_order is None


def test_a_purchase_order_given_is_kept(surpass_site):
    client = surpass_site.client()
    made = schedule(surpass_site, client, purchase_order="PO-7")
    assert client.get_test_session(made.id).purchase_order == "PO-7"


def test_invigilation(surpass_site):
    client = surpass_site.client()
    invigilated = surpass_site.data("invigilated_test")
    assert client.get_test(invigilated).requires_invigilation is True

    with pytest.raises(ValidationError) as refused:
        schedule(surpass_site, client, test=invigilated, requires_invigilation=False)
    surpass_site.expect_codes(refused.value, 2020)

    inherited = schedule(surpass_site, client, test=invigilated)
    assert client.get_test_session(inherited.keycode).requires_invigilation is True

    plain = surpass_site.data("test")
    assert client.get_test(plain).requires_invigilation is False
    asked = schedule(surpass_site, client, test=plain, requires_invigilation=True)
    assert client.get_test_session(asked.keycode).requires_invigilation is True


@pytest.mark.sandbox_only
def test_multi_day_scheduling_follows_the_site_setting(surpass_site):
    client = surpass_site.client()
    later = DAY + dt.timedelta(days=2)
    surpass_site.tenant.update_settings("surpass", multi_day_scheduling=False)
    with pytest.raises(ValidationError) as refused:
        schedule(surpass_site, client, end_date=later)
    surpass_site.expect_codes(refused.value, 2009)

    surpass_site.tenant.update_settings("surpass", multi_day_scheduling=True)
    made = schedule(surpass_site, client, end_date=later)
    session = client.get_test_session(made.keycode)
    assert (session.start_date, session.end_date) == (DAY, later)


# --------------------------------------------------------------------------- deleting


def test_delete_an_editable_session(surpass_site):
    client = surpass_site.client()
    by_keycode = schedule(surpass_site, client)
    by_id = schedule(surpass_site, client, allow_multiple_open_sessions=True)

    for key in (by_keycode.keycode, by_id.id):
        gone = client.delete_schedule(key)
        assert (gone.id, gone.href) == (None, None)
        with pytest.raises(NotFoundError) as missing:
            client.get_test_session(key)
        assert missing.value.status == 404
    with pytest.raises(NotFoundError):
        client.delete_schedule(by_keycode.keycode)


def test_a_session_no_longer_editable_cannot_be_deleted(surpass_site):
    client = surpass_site.client()
    found = client.test_sessions_page(filter="state ne 1 and state ne 2", top=1)
    if not found.items:
        pytest.skip("the site has no test session past the editable states")
    session = found.items[0]

    with pytest.raises(ValidationError) as refused:
        client.delete_schedule(session.keycode)
    assert refused.value.status == 400
    surpass_site.expect_codes(refused.value, 2102)
    assert client.get_test_session(session.id) == session


# --------------------------------------------------------------------------- lists


def test_page_through_more_than_100_candidates_with_a_filter(surpass_site):
    client = surpass_site.client()
    query = {"where": {"retired": False}, "order_by": "-id"}
    first = client.candidates_page(**query)
    if first.count is None or first.count <= 100:
        pytest.skip(f"the site has {first.count} candidates; the scenario needs over 100")
    assert (first.top, first.skip) == (40, 0)
    assert first.page_count == math.ceil(first.count / 40)
    assert first.prev_page_link is None and first.has_next

    paginator = client.iter_candidates(**query)
    everyone = list(paginator)
    ids = [c.id for c in everyone]
    assert paginator.count == first.count == len(everyone)
    assert ids == sorted(set(ids), reverse=True)
    assert all(c.retired is False for c in everyone)
    assert ids[:40] == [c.id for c in first]

    last = client.candidates_page(skip=(first.page_count - 1) * 40, **query)
    assert last.next_page_link is None and last.prev_page_link
    assert [c.id for c in last] == ids[(first.page_count - 1) * 40:]

    # contains() ignores case on the sandbox (SQLite LIKE); the notes do not say for Surpass.
    narrower = list(client.iter_candidates(where={"retired": False}, contains={"lastName": "a"}))
    assert narrower and all("a" in c.last_name.lower() for c in narrower)
    assert {c.id for c in narrower} < set(ids)


# --------------------------------------------------------------------------- XML


def test_full_xml_round_trip(surpass_site):
    xml = surpass_site.client(format="xml")
    json_client = surpass_site.client()

    made = schedule(surpass_site, xml, test_tags=["xml"], purchase_order="PO-XML")
    assert made.keycode and made.pin and made.id
    as_xml = xml.get_test_session(made.keycode)
    as_json = json_client.get_test_session(made.keycode)
    assert as_xml == as_json
    assert as_xml.test_tags == ["xml"] and as_xml.purchase_order == "PO-XML"
    assert as_xml.raw.keys() == as_json.raw.keys()

    paged = xml.test_sessions_page(where={"keycode": made.keycode})
    assert paged.count == 1 and paged.items == [as_json]

    # Refusals read the same in XML: the open-session rule, then a 404.
    with pytest.raises(ValidationError) as in_xml:
        schedule(surpass_site, xml)
    with pytest.raises(ValidationError) as in_json:
        schedule(surpass_site, json_client)
    assert in_xml.value.errors == in_json.value.errors and in_xml.value.status == 400

    assert xml.delete_schedule(made.keycode).id is None
    with pytest.raises(NotFoundError) as missing:
        xml.get_test_session(made.keycode)
    assert missing.value.status == 404 and missing.value.errors


@pytest.mark.parametrize("resource", [
    "candidates", "centres", "subjects", "tests", "centre_subject_associations",
    "countries", "counties", "test_sessions",
])
def test_every_list_reads_the_same_in_xml_and_json(surpass_site, resource):
    pages = {
        fmt: getattr(surpass_site.client(format=fmt), f"{resource}_page")(top=5)
        for fmt in ("json", "xml")
    }
    assert pages["xml"] == pages["json"]
    assert pages["json"].count is not None


# --------------------------------------------------------------------------- auth


def test_wrong_password_is_401(surpass_site):
    stranger = surpass_site.client(password=surpass_site.password + "-wrong")
    with pytest.raises(AuthenticationError) as denied:
        stranger.tests_page(top=1)
    assert denied.value.status == 401
    with pytest.raises(AuthenticationError):
        schedule(surpass_site, stranger)


@pytest.mark.sandbox_only
def test_a_user_without_the_permission_is_403(surpass_site):
    viewer = surpass_site.tenant.surpass_user("viewer", permissions=["ViewTests"])
    client = surpass_site.client(viewer.username, viewer.password)
    assert client.tests_page(top=1).items  # allowed

    with pytest.raises(PermissionDeniedError) as denied:
        client.test_sessions_page()
    assert denied.value.status == 403
    surpass_site.expect_codes(denied.value, 403)
    with pytest.raises(PermissionDeniedError):
        schedule(surpass_site, client)
    surpass_site.tenant.journal.assert_called("POST", "TestSchedule", times=1)


@pytest.mark.sandbox_only
def test_a_user_not_associated_with_the_centre_is_403(surpass_site):
    elsewhere = surpass_site.tenant.surpass_user(
        "scheduler", permissions=["ScheduleTest", "ViewTestSessions"],
        centres=["CEN002"], subjects=["MATHS"],
    )
    client = surpass_site.client(elsewhere.username, elsewhere.password)
    with pytest.raises(PermissionDeniedError) as denied:
        schedule(surpass_site, client)
    surpass_site.expect_codes(denied.value, 403)
    assert "centre" in denied.value.errors[0].message.lower()
