"""The pytest plugin's iTEP: the ``itep_client`` fixture made from the description,
``sandbox_tenant.itep_client(...)`` and the keys, and the controls that stand in for what
happens at iTEP (buying test IDs, the AVAILABLE TESTS export, the outbox, a test taken,
a tracking code, a revoked key), with the results webhook arriving at
``webhook_receiver``."""

from __future__ import annotations

import csv
import io

import pytest

from exam_sandbox import pytest_plugin
from exam_sandbox.client.itep import (
    Candidate,
    InvalidApiKeyError,
    ItepClient,
    NoAvailableTestIdsError,
    TestStatus,
    read_results,
)

ADA = Candidate("Ada Lovelace", "ada@example.org", "PLUG-ADA")


def test_the_fixture_comes_from_the_description(itep_client, sandbox_tenant):
    assert pytest_plugin.DESCRIPTIONS["itep"].client_fixture == "itep_client"
    assert type(itep_client) is ItepClient
    assert itep_client.base_url == sandbox_tenant.itep_url
    assert sandbox_tenant.itep_url.endswith("/itep/api/v1")
    got = itep_client.assign_test_id(ADA, oid="PLUG-1")
    assert (got.product_code, got.status, got.oid) == ("AP", TestStatus.READY, "PLUG-1")
    [sent] = sandbox_tenant.journal(provider="itep")
    assert (sent.method, sent.path, sent.status) == ("POST", "/itep/api/v1/test-ids/assign", 200)
    assert sandbox_tenant.itep_api_key not in str(sent.request_headers)  # masked


def test_itep_client_takes_options_and_another_key(sandbox_tenant):
    assert sandbox_tenant.itep_key() == sandbox_tenant.itep_api_key
    assert sandbox_tenant.itep_key("BP") != sandbox_tenant.itep_api_key
    with sandbox_tenant.itep_client(key_in="query", retries=0) as by_query:
        assert by_query.key_in == "query"
        assert by_query.assign_test_id(ADA).product_code == "AP"
    with sandbox_tenant.itep_client(sandbox_tenant.itep_key("BP")) as bp:
        assert bp.assign_test_id(ADA, assigned_to_as="text").product_code == "BP"
    with (
        sandbox_tenant.itep_client("not-a-key") as stranger,
        pytest.raises(InvalidApiKeyError) as refused,
    ):
        stranger.assign_test_id(ADA)
    assert (refused.value.status, refused.value.code) == (401, "invalid_api_key")


def test_inventory_runs_out_and_more_can_be_bought(itep_client, sandbox_tenant):
    seeded = sandbox_tenant.itep_available_tests("BP")
    assert len(seeded) == 20 and all(t.product_code == "BP" for t in seeded)
    available = sandbox_tenant.itep_available_tests("AP")
    assert len(available) == 20
    assert all(isinstance(t, pytest_plugin.ItepTest) and t.available for t in available)
    handed = [itep_client.assign_test_id(ADA).test_id for _ in available]
    assert handed == [t.test_id for t in available]  # lowest first, never twice
    with pytest.raises(NoAvailableTestIdsError):
        itep_client.assign_test_id(ADA)

    bought = sandbox_tenant.itep_add_inventory(2)
    assert [t.test_id for t in sandbox_tenant.itep_available_tests("AP")] == bought
    rows = list(csv.reader(io.StringIO(sandbox_tenant.itep_export("csv", "AP").decode())))
    assert rows[0][0] == "Test ID" and [r[0] for r in rows[1:]] == bought
    assert sandbox_tenant.itep_export("xlsx").startswith(b"PK")  # a zip: the workbook
    assert itep_client.assign_test_id(ADA).test_id == bought[0]
    taken = sandbox_tenant.itep_test(bought[0])
    assert (taken.available, taken.assigned_to, taken.source) == (False, ADA.to_wire(), "inventory")


def test_the_outbox_and_a_test_moved_through_its_statuses(itep_client, sandbox_tenant):
    mailed = itep_client.assign_and_email(ADA, oid="PLUG-2")
    [message] = sandbox_tenant.itep_outbox()
    assert isinstance(message, pytest_plugin.ItepMessage)
    assert (message.to, message.test_id) == ("ada@example.org", mailed.test_id)
    assert mailed.test_id in message.subject and mailed.test_id in message.body

    started = sandbox_tenant.itep_set_status(mailed.test_id, "Incomplete")
    assert (started.previous_status, started.status, started.webhook) == (
        "Ready",
        "Incomplete",
        None,  # no tracking code: no webhook
    )
    done = sandbox_tenant.itep_set_status(
        mailed.test_id, "Complete", scores={"Grammar": 4.2}, duration=75
    )
    assert (done.status, done.duration, done.levels["Grammar"]) == ("Complete", 75, 4.2)
    read = sandbox_tenant.itep_test(mailed.test_id)
    assert (read.status, read.oid, read.emailed_to) == ("Complete", "PLUG-2", "ada@example.org")


def test_a_refused_control_is_a_sandbox_error(sandbox_tenant):
    with pytest.raises(pytest_plugin.SandboxError, match="404"):
        sandbox_tenant.itep_test("NOSUCHIDAP")
    [test_id, *_] = [t.test_id for t in sandbox_tenant.itep_available_tests()]
    with pytest.raises(pytest_plugin.SandboxError, match="400.*Must be one of"):
        sandbox_tenant.itep_set_status(test_id, "Asleep")
    with pytest.raises(pytest_plugin.SandboxError, match="400"):
        sandbox_tenant.itep_set_status(test_id, "Complete", scores={"Cooking": 3.0})
    with pytest.raises(pytest_plugin.SandboxError, match="400"):
        sandbox_tenant.itep_add_inventory(1, product_code="ZZ")
    with pytest.raises(pytest_plugin.SandboxError, match="404"):
        sandbox_tenant.itep_revoke_key("ZZ")
    with pytest.raises(pytest_plugin.SandboxError, match="400.*Not a valid URL"):
        sandbox_tenant.itep_tracking_code("PLUG", "not a url")


def test_a_revoked_key_is_refused_until_restored(itep_client, sandbox_tenant):
    sandbox_tenant.itep_revoke_key("AP")
    with pytest.raises(InvalidApiKeyError):
        itep_client.assign_test_id(ADA)
    sandbox_tenant.itep_revoke_key("AP", revoked=False)
    assert itep_client.assign_test_id(ADA).test_id


def test_the_results_webhook_at_the_receiver(itep_client, sandbox_tenant, webhook_receiver):
    made = sandbox_tenant.itep_tracking_code("PLUG-TRACK", webhook_receiver.url)
    assert made == {"code": "PLUG-TRACK", "url": webhook_receiver.url, "on_finished": False}
    got = itep_client.assign_test_id(ADA, oid="PLUG-3", tracking_code="PLUG-TRACK")
    moved = sandbox_tenant.itep_set_status(got.test_id, "Complete", scores={"Reading": 5.1})
    assert moved.webhook is not None

    [received] = webhook_receiver.wait_for(1, timeout=30)
    assert webhook_receiver.verify(sandbox_tenant.webhook_secret, received)
    result = read_results(received.body, received.headers, secret=sandbox_tenant.webhook_secret)
    assert (result.test_id, result.oid, result.status) == (got.test_id, "PLUG-3", "Complete")
    assert result.sections["Reading"].level == 5.1
    delivery = sandbox_tenant.webhooks.wait_for(moved.webhook)
    assert delivery["payload"] == dict(result.raw)
