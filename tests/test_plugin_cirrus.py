"""The pytest plugin's Cirrus: the ``cirrus_client`` fixture made from the description,
``sandbox_tenant.cirrus_client(...)``, and the controls that stand in for people in
Cirrus (publish an assessment, sit a test, publish a mark), with the results webhook
arriving at ``webhook_receiver``."""

from __future__ import annotations

import datetime as dt

import pytest

from exam_sandbox import pytest_plugin
from exam_sandbox.client.cirrus import (
    Candidate,
    CirrusClient,
    NotAllowedError,
    ValidationError,
    read_results_ready,
)

START = dt.datetime(2030, 7, 1, 9, tzinfo=dt.UTC)
ADA = Candidate("PLUG-ADA", "Ada", "Lovelace", "ada@example.org")


def schedule(client: CirrusClient, *candidates: Candidate, assessment: str = "MATH-101"):
    return client.schedule_test(
        assessment_ext_id=assessment,
        start=START,
        group_ext_id="PLUGIN",
        group_name="Plugin",
        candidates=list(candidates) or [ADA],
    )


def test_the_fixture_comes_from_the_description(cirrus_client, sandbox_tenant):
    assert pytest_plugin.DESCRIPTIONS["cirrus"].client_fixture == "cirrus_client"
    assert type(cirrus_client) is CirrusClient
    assert cirrus_client.base_url == sandbox_tenant.cirrus_url
    assert sandbox_tenant.cirrus_url.endswith("/cirrus/api/v1/integrations")
    assert cirrus_client.get_assessment("MATH-101").is_published is True
    [read] = sandbox_tenant.journal(provider="cirrus")
    assert (read.method, read.path, read.status) == (
        "GET",
        "/cirrus/api/v1/integrations/assessment/MATH-101",
        200,
    )
    assert sandbox_tenant.cirrus_token not in str(read.request_headers)  # masked


def test_cirrus_client_takes_options_and_another_token(sandbox_tenant):
    assert len(sandbox_tenant.cirrus_token) == 48
    with sandbox_tenant.cirrus_client(auth_style="nospace", retries=0) as bare:
        assert bare.auth_style == "nospace"
        assert bare.get_assessment("ENG-201").external_id == "ENG-201"
    with (
        sandbox_tenant.cirrus_client(token="X" * 48) as stranger,
        pytest.raises(NotAllowedError) as refused,
    ):
        stranger.get_assessment("ENG-201")
    assert refused.value.status == 403


def test_publish_sit_and_publish_a_held_result(cirrus_client, sandbox_tenant):
    made = cirrus_client.create_assessment(
        title="Plugin", purpose=1, code="PLUG", external_id="PLUG-ASM"
    )
    with pytest.raises(ValidationError):
        schedule(cirrus_client, assessment=made)  # not published yet
    sandbox_tenant.cirrus_publish_assessment(made)
    booked = schedule(cirrus_client, assessment=made)
    sandbox_tenant.clock.freeze(START + dt.timedelta(minutes=30))

    held = sandbox_tenant.cirrus_complete(
        booked.schedule_ext_id, "PLUG-ADA", score=40, publish=False
    )
    assert isinstance(held, pytest_plugin.CirrusSat)
    assert (held.published, held.score, held.outcome) == (False, 40, "UNSATISFACTORY")
    assert cirrus_client.get_results(candidate_ext_id="PLUG-ADA").attempts == []
    published = sandbox_tenant.cirrus_publish(booked.schedule_ext_id, "PLUG-ADA")
    assert (published.attempt_ext_id, published.published) == (held.attempt_ext_id, True)
    [attempt] = cirrus_client.get_results(candidate_ext_id="PLUG-ADA").attempts
    assert (attempt.attempt_ext_id, attempt.score) == (held.attempt_ext_id, 40)

    seeded = sandbox_tenant.cirrus_complete(
        booked.schedule_ext_id, "PLUG-ADA", outcome="SATISFACTORY"
    )
    assert seeded.attempt_ext_id == held.attempt_ext_id and seeded.outcome == "SATISFACTORY"
    assert 0 <= seeded.score <= 100  # from the tenant's seed: a rescore


def test_a_refused_control_is_a_sandbox_error(cirrus_client, sandbox_tenant):
    booked = schedule(cirrus_client)
    sandbox_tenant.clock.freeze(START - dt.timedelta(days=1))  # before the window
    with pytest.raises(pytest_plugin.SandboxError, match="409"):
        sandbox_tenant.cirrus_complete(booked.schedule_ext_id, "PLUG-ADA")
    with pytest.raises(pytest_plugin.SandboxError, match="404"):
        sandbox_tenant.cirrus_complete(booked.schedule_ext_id, "NOBODY")
    with pytest.raises(pytest_plugin.SandboxError, match="409"):
        sandbox_tenant.cirrus_publish(booked.schedule_ext_id, "PLUG-ADA")  # nothing sat
    with pytest.raises(pytest_plugin.SandboxError, match="404"):
        sandbox_tenant.cirrus_publish_assessment("NO/SUCH ASSESSMENT")


def test_the_results_webhook_at_the_receiver(cirrus_client, sandbox_tenant, webhook_receiver):
    sandbox_tenant.update_settings("cirrus", webhook_url=webhook_receiver.url)
    booked = schedule(cirrus_client)
    sandbox_tenant.clock.freeze(START + dt.timedelta(minutes=30))
    sat = sandbox_tenant.cirrus_complete(booked.schedule_ext_id, "PLUG-ADA", score=90)

    [received] = webhook_receiver.wait_for(1, timeout=30)
    assert webhook_receiver.verify(sandbox_tenant.webhook_secret, received)
    event = read_results_ready(
        received.body, received.headers, secret=sandbox_tenant.webhook_secret
    )
    assert (event.attempt_ext_id, event.schedule_ext_id) == (
        sat.attempt_ext_id,
        booked.schedule_ext_id,
    )
    [delivery] = sandbox_tenant.webhooks()
    assert sandbox_tenant.webhooks.wait_for(delivery["id"])["payload"] == received.json
