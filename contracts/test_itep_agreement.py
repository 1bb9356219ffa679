"""Agreement: the iTEP client and a served iTEP (the sandbox, or a real site with
``--itep-url``) carry out whole scenarios together, over real HTTP: assign a test ID
(``assigned_to`` as an object and as JSON text, the key in the header and in the query),
assign and e-mail one (the outbox names recipient and test ID), the errors by kind, an
exhausted product and a sale at fulfillment, a revoked key, the AVAILABLE TESTS export
(CSV and XLSX), and the results webhook arriving at a real receiver.

Each test goes through ``client.itep.ItepClient`` only (the ``itep_client`` fixture); the
sandbox's ``/_sandbox`` controls (inventory, settings, the outbox, tests' statuses,
tracking codes, keys, the export, the webhook list) come from the tenant and mark the
test ``sandbox_only``. Messages are checked on the sandbox only (a real site words them
its own way); statuses, codes and error kinds are checked everywhere. A real site's
setup, and why its scenarios that assign need ``ITEP_SPEND_TEST_IDS=1``:
``itep_site.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from urllib.parse import parse_qs

import pytest
import requests
from openpyxl import load_workbook

from exam_sandbox.client.itep import (
    SIGNATURE_HEADER,
    Candidate,
    InvalidApiKeyError,
    MissingApiKeyError,
    NoAvailableTestIdsError,
    TestStatus,
    ValidationError,
    WebhookSignatureError,
    data_of,
    read_results,
)

TEST_ID = re.compile(r"^[A-Z0-9]{8}[A-Z]{2}$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_HEADER = ["Test ID", "Product Code", "Status", "Assigned To"]
SECTIONS = ["Grammar", "Listening", "Reading", "Writing", "Speaking"]  # AP's (seeded)
# Nothing listens there: a tracking code whose webhook is never looked at.
NOWHERE = "http://127.0.0.1:9/itep/results"


def available_ids(tenant, product_code: str | None = None) -> list[str]:
    return [t.test_id for t in tenant.itep_available_tests(product_code)]


# --------------------------------------------------------------------------- assigning


@pytest.mark.parametrize(
    ("key_in", "assigned_to_as"),
    [("header", "object"), ("query", "text")],
    ids=["key-in-header-object", "key-in-query-json-text"],
)
def test_assign_a_test_id(itep_site, key_in, assigned_to_as):
    itep_site.spend(1)
    client = itep_site.client(key_in=key_in, assigned_to_as=assigned_to_as)
    ada = itep_site.candidate(department="R&D")
    oid = itep_site.unique("OID")
    if itep_site.is_sandbox:
        first_free = available_ids(itep_site.tenant, "AP")[0]

    got = client.assign_test_id(ada, oid=oid)

    assert TEST_ID.match(got.test_id), got.test_id
    assert got.product_code and got.test_id.endswith(got.product_code)
    assert got.status is TestStatus.READY  # until the candidate starts
    assert got.assigned_to == ada.to_wire()  # an object, however it was sent
    assert (got.oid, got.tracking_code, got.emailed_to) == (oid, None, None)
    if itep_site.is_sandbox:
        assert (got.test_id, got.product_code, got.source) == (first_free, "AP", "inventory")
        read = itep_site.tenant.itep_test(got.test_id)
        assert (read.available, read.assigned_to, read.oid) == (False, ada.to_wire(), oid)
        assert got.test_id not in available_ids(itep_site.tenant)


def test_assign_and_email(itep_site, itep_client):
    itep_site.spend(1)
    grace = itep_site.candidate("Grace Hopper")
    got = itep_client.assign_and_email(grace, oid=itep_site.unique("OID"))
    assert TEST_ID.match(got.test_id), got.test_id
    assert got.emailed_to == grace.email
    assert got.assigned_to == grace.to_wire()


@pytest.mark.sandbox_only
def test_the_outbox_names_the_recipient_and_the_test_id(itep_site, itep_client):
    tenant = itep_site.tenant
    ada, alan = itep_site.candidate(), itep_site.candidate("Alan Turing")
    mailed = itep_client.assign_and_email(ada, oid="AGREE-MAIL")
    kept = itep_client.assign_test_id(alan)  # you deliver this one: no e-mail
    [message] = tenant.itep_outbox()
    assert (message.to, message.test_id) == (ada.email, mailed.test_id)
    assert mailed.test_id in message.subject and mailed.test_id in message.body
    assert "Dear Ada Lovelace," in message.body
    assert kept.test_id not in {m.test_id for m in tenant.itep_outbox()}
    assert tenant.itep_test(mailed.test_id).emailed_to == ada.email


# --------------------------------------------------------------------------- refusals


def test_no_key_and_a_wrong_key_are_401(itep_site):
    # No X-API-Key: the key goes under another name the site does not read.
    with pytest.raises(MissingApiKeyError) as missing:
        itep_site.client(key_name="X-Not-The-Key").assign_test_id(itep_site.candidate())
    assert (missing.value.status, missing.value.code) == (401, "missing_api_key")
    with pytest.raises(InvalidApiKeyError) as wrong:
        itep_site.client("wrong-" + itep_site.unique("KEY")).assign_test_id(itep_site.candidate())
    assert (wrong.value.status, wrong.value.code) == (401, "invalid_api_key")
    with pytest.raises(InvalidApiKeyError):
        itep_site.client("wrong-key", key_in="query").assign_and_email(itep_site.candidate())
    if itep_site.is_sandbox:
        assert missing.value.errors[0].message == (
            "An API key is required: send it as X-API-Key or the api_key parameter"
        )
        assert wrong.value.errors[0].message == "The API key is not valid"


# Neither an object nor the JSON text of one; or an empty one (empty is what makes a
# Ready test ID available, so it is refused).
NOT_AN_OBJECT = {
    "text": "not json",
    "list-text": "[1, 2]",
    "list": [],
    "number": 7,
    "null": None,
    "empty": {},
    "empty-text": "{}",
}


@pytest.mark.parametrize("assigned_to", NOT_AN_OBJECT.values(), ids=NOT_AN_OBJECT.keys())
def test_assigned_to_must_be_json(itep_site, itep_client, assigned_to):
    """The client refuses these itself; sent raw (``request``), the site says why."""
    with pytest.raises(ValidationError) as refused:
        itep_client.request("POST", itep_client.assign_path, body={"assigned_to": assigned_to})
    assert (refused.value.status, refused.value.code) == (400, "assigned_to_must_be_json")
    if itep_site.is_sandbox:
        assert refused.value.errors[0].message == (
            "assigned_to must be a non-empty JSON object (or the JSON text of one)"
        )
        assert len(available_ids(itep_site.tenant, "AP")) == 20  # nothing was used


def test_the_email_call_needs_an_address(itep_site, itep_client):
    nameless = Candidate("Ada Lovelace", reference=itep_site.unique("AGREE"))
    with pytest.raises(ValidationError) as refused:
        itep_client.assign_and_email(nameless)
    assert (refused.value.status, refused.value.code) == (400, "candidate_email_required")
    with pytest.raises(ValidationError) as bad:
        itep_client.assign_and_email({"name": "Ada", "email": "not an address"})
    assert bad.value.code == "candidate_email_required"
    if itep_site.is_sandbox:
        assert refused.value.errors[0].message == (
            "assigned_to.email must be the candidate's e-mail address"
        )
        assert itep_site.tenant.itep_outbox() == []  # refused: nothing used, nothing sent
        assert len(available_ids(itep_site.tenant, "AP")) == 20


@pytest.mark.sandbox_only
def test_an_exhausted_product_is_409_until_a_sale_at_fulfillment(itep_site):
    """The BP product's 20 test IDs handed out, the 21st call is 409; with the setting
    ``saleAtFulfillment`` the site sells a new test ID instead."""
    tenant = itep_site.tenant
    bp = itep_site.client(tenant.itep_key("BP"))
    stock = available_ids(tenant, "BP")
    handed = [bp.assign_test_id(itep_site.candidate()).test_id for _ in stock]
    assert handed == stock  # each once, in the inventory's order
    assert available_ids(tenant, "BP") == []

    with pytest.raises(NoAvailableTestIdsError) as none:
        bp.assign_and_email(itep_site.candidate())
    assert (none.value.status, none.value.code) == (409, "no_available_test_ids")
    assert none.value.errors[0].message == (
        "No test ID of product BP is available (Ready and unassigned)"
    )
    assert tenant.itep_outbox() == []  # refused: no e-mail
    assert len(available_ids(tenant, "AP")) == 20  # another product's stock is its own

    tenant.update_settings("itep", sale_at_fulfillment={"BP": True})
    sold = bp.assign_and_email(itep_site.candidate("Sold Candidate"))
    assert (sold.source, sold.product_code) == ("sale", "BP")
    assert TEST_ID.match(sold.test_id) and sold.test_id not in handed
    assert tenant.itep_test(sold.test_id).available is False
    assert [m.test_id for m in tenant.itep_outbox()] == [sold.test_id]


@pytest.mark.sandbox_only
def test_a_revoked_key_is_invalid(itep_site, itep_client):
    tenant = itep_site.tenant
    tenant.itep_revoke_key("AP")
    with pytest.raises(InvalidApiKeyError) as revoked:
        itep_client.assign_test_id(itep_site.candidate())
    assert (revoked.value.status, revoked.value.code) == (401, "invalid_api_key")
    # The other product's key still works; restored, this one does too.
    assert itep_site.client(tenant.itep_key("BP")).assign_test_id(itep_site.candidate()).test_id
    tenant.itep_revoke_key("AP", revoked=False)
    assert itep_client.assign_test_id(itep_site.candidate()).product_code == "AP"


# --------------------------------------------------------------------------- AVAILABLE TESTS


@pytest.mark.sandbox_only
def test_the_available_tests_export(itep_site, itep_client):
    tenant = itep_site.tenant
    taken = itep_client.assign_test_id(itep_site.candidate()).test_id
    bought = tenant.itep_add_inventory(3)
    available = available_ids(tenant, "AP")
    assert taken not in available and available[-3:] == bought and len(available) == 22

    as_csv = tenant.admin("GET", "/itep/available-tests", params={"format": "csv"})
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0] == EXPORT_HEADER
    assert sorted(r[0] for r in rows[1:]) == sorted(available_ids(tenant))  # AP and BP
    ap = list(csv.reader(io.StringIO(tenant.itep_export("csv", "AP").decode())))
    assert [r[0] for r in ap[1:]] == available  # exactly the available ones, in order
    assert all(r[1:] == ["AP", "Ready", ""] for r in ap[1:])

    as_xlsx = tenant.admin(
        "GET", "/itep/available-tests", params={"format": "xlsx", "product_code": "AP"}
    )
    assert as_xlsx.headers["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(as_xlsx.content), read_only=True).active
    cells = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == ap


# --------------------------------------------------------------------------- the webhook


@pytest.mark.sandbox_only
def test_the_results_webhook_reaches_a_receiver(itep_site, itep_client, webhook_receiver):
    tenant = itep_site.tenant
    tenant.itep_tracking_code("AGREE-TRACK", webhook_receiver.url)  # on_finished: False
    ada = itep_site.candidate()
    oid = itep_site.unique("OID")
    got = itep_client.assign_test_id(ada, oid=oid, tracking_code="AGREE-TRACK")
    assert got.tracking_code == "AGREE-TRACK"
    other = itep_client.assign_test_id(itep_site.candidate())  # no tracking code
    tenant.clock.freeze("2030-03-07T15:30:00Z")

    # Started, then finished: neither fires (Finished only with on_finished).
    assert tenant.itep_set_status(got.test_id, "Incomplete").webhook is None
    assert tenant.itep_set_status(got.test_id, "Finished").webhook is None
    assert tenant.itep_set_status(other.test_id, "Complete").webhook is None
    levels = dict(zip(SECTIONS, [4.5, 3.5, 5.0, 3.0, 4.0], strict=True))
    done = tenant.itep_set_status(got.test_id, "Complete", scores=levels, duration=74)
    assert (done.previous_status, done.status) == ("Finished", "Complete")
    assert done.webhook is not None

    [delivery] = webhook_receiver.wait_for(1, timeout=30)
    assert (delivery.method, delivery.content_type) == (
        "POST",
        "application/x-www-form-urlencoded",
    )
    assert list(parse_qs(delivery.body.decode())) == ["data"]  # exactly one field
    assert delivery.header(SIGNATURE_HEADER).startswith("sha256=")
    result = read_results(delivery.body, delivery.headers, secret=tenant.webhook_secret)
    assert (result.test_id, result.oid, result.status) == (got.test_id, oid, TestStatus.COMPLETE)
    assert (result.test_date, result.test_date_text) == (dt.date(2030, 3, 7), "3/7/2030")
    assert result.duration == 74
    assert {name: s.level for name, s in result.sections.items()} == levels
    assert result.sections["Reading"].cefr == "C1" and result.sections["Writing"].cefr == "B1"
    assert (result.overall_level, result.overall_cefr) == (4.0, "B2")  # the sections' mean
    with pytest.raises(WebhookSignatureError):
        read_results(delivery.body, delivery.headers, secret="not-the-secret")

    # What a receiver does next: open the score report.
    report = requests.get(result.score_report_url, timeout=30)
    assert report.status_code == 200 and report.headers["Content-Type"].startswith("text/html")
    assert got.test_id in report.text

    # The sandbox lists the delivery, with the decoded data; nothing else was sent.
    [listed] = [d for d in tenant.webhooks() if d["vendor"] == "itep"]
    assert listed["id"] == done.webhook and listed["url"] == webhook_receiver.url
    assert listed["payload"] == data_of(delivery.body) == dict(result.raw)
    listed = tenant.webhooks.wait_for(done.webhook)
    assert listed["attempts"][-1]["status"] == 200
    assert len(webhook_receiver.requests) == 1


@pytest.mark.sandbox_only
def test_a_reset_test_sends_its_results_again(itep_site, itep_client, webhook_receiver):
    """A reset (back to Ready) fires too, and ``on_finished`` makes Finished fire."""
    tenant = itep_site.tenant
    tenant.itep_tracking_code("AGREE-FINISHED", webhook_receiver.url, on_finished=True)
    got = itep_client.assign_test_id(itep_site.candidate(), tracking_code="AGREE-FINISHED")
    tenant.itep_set_status(got.test_id, "Finished")
    tenant.itep_set_status(got.test_id, "Ready")
    received = webhook_receiver.wait_for(2, timeout=30)
    # Deliveries go out on parallel senders, so they may arrive in either order (as a
    # real vendor's may); the sandbox's list keeps the order the events happened in.
    statuses = sorted(
        read_results(d.body, d.headers, secret=tenant.webhook_secret).status.value
        for d in received
    )
    assert statuses == sorted([TestStatus.FINISHED.value, TestStatus.READY.value])
    listed = [d for d in tenant.webhooks() if d["vendor"] == "itep"]
    assert [d["payload"]["Status"] for d in listed][-2:] == ["Finished", "Ready"]
    assert tenant.itep_test(got.test_id).available is False  # still assigned
