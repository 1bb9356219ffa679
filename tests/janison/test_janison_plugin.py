"""The pytest plugin's Janison part: ``janison_client`` bound to the test's tenant, the
tenant's Janison URL and credentials, a client that gets its token the OAuth2 way, and
``sandbox_tenant.complete`` (the ``/complete`` control), against the served sandbox."""

from __future__ import annotations

import pytest

from exam_sandbox import pytest_plugin
from exam_sandbox.client.janison import AuthenticationError, JanisonClient


def test_the_client_is_bound_to_the_tenant(janison_client, sandbox_tenant, sandbox):
    assert sandbox.janison_url == sandbox.url + "/janison/api"
    assert janison_client.base_url == sandbox_tenant.janison_url == sandbox.janison_url
    own = sandbox_tenant.janison_credentials
    assert own.subscription_key == sandbox_tenant.credentials["janison"]["subscriptionKey"]
    assert own.token == sandbox_tenant.credentials["janison"]["token"]
    assert janison_client.get_candidate("CAN0002").reference == "CAN0002"
    with sandbox_tenant.janison_client(oauth=True) as oauth:
        assert repr(oauth).endswith("auth='client_credentials')")
        assert oauth.get_test("ENG-GEN").name
    other = sandbox.create_tenant()
    try:  # another tenant's key with this tenant's token: APIM refuses
        stranger = JanisonClient(sandbox.janison_url, other.janison_credentials.subscription_key,
                                 token=own.token, retries=0)
        with stranger, pytest.raises(AuthenticationError):
            stranger.tests_page()
    finally:
        other.delete()


def test_complete_sits_a_booking(janison_client, sandbox_tenant):
    booked = janison_client.schedule_test(test_package="ENG-GEN-4S", centre="CTR001",
                                          candidates=["CAN0011", "CAN0012"], date="2030-07-01")
    first = booked.enrolments[0].candidate.id
    sat = sandbox_tenant.complete(booked.id, {"ENG-GEN-4S-W": 72}, candidates=[first])
    assert isinstance(sat, pytest_plugin.Completion)
    assert sat.test_schedule == booked.id
    [one] = sat.results
    assert one.candidate == pytest_plugin.EnrolledCandidate(first, "CAN0011")
    assert one.test_session_id == booked.enrolments[0].test_session_id
    result = janison_client.get_result(one.id)
    assert (one.reference, one.final_scale_score, one.overall_cefr_grade) == (
        result.reference, result.final_scale_score, result.overall_cefr_grade)
    writing = next(c for c in result.components if c.reference == "ENG-GEN-4S-W")
    assert (writing.raw_score, writing.scale_score) == (72, 188)
    rest = sandbox_tenant.complete(booked.id)  # the other enrolment, scores from the seed
    assert [r.candidate.reference for r in rest.results] == ["CAN0011", "CAN0012"]
    with pytest.raises(pytest_plugin.SandboxError, match="404"):
        sandbox_tenant.complete(booked.id + 1000)
