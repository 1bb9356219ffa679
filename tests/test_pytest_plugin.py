"""The pytest plugin (``sandbox.pytest_plugin``): its fixtures and the controls a test
gets through ``sandbox_tenant``, against the sandbox the plugin serves for this session."""

from __future__ import annotations

import datetime as dt

import pytest

from exam_sandbox import pytest_plugin
from exam_sandbox.client.surpass import PermissionDeniedError

pytest_plugins = ["pytester"]

UTC = dt.UTC


def test_the_sandbox_is_served_and_healthy(sandbox):
    assert sandbox.url.startswith("http://127.0.0.1:")
    assert sandbox.surpass_url == sandbox.url + "/surpass"
    assert sandbox.healthy()
    assert sandbox.process is not None and sandbox.process.poll() is None


def test_each_test_gets_its_own_tenant(sandbox, sandbox_tenant):
    other = sandbox.create_tenant(seed=3)
    try:
        assert other.id != sandbox_tenant.id and other.seed == 3
        assert sandbox_tenant.credentials["surpass"]["username"] != (
            other.credentials["surpass"]["username"])
    finally:
        other.delete()
    sandbox.admin("GET", f"/tenants/{other.id}", expect=404)  # raises unless 404


@pytest.mark.sandbox_tenant(seed=7)
def test_the_marker_picks_the_seed(sandbox_tenant):
    assert sandbox_tenant.seed == 7


def test_the_client_is_bound_to_the_tenant(surpass_client, sandbox_tenant):
    assert surpass_client.base_url == sandbox_tenant.surpass_url
    assert surpass_client.username == sandbox_tenant.surpass_credentials.username
    assert surpass_client.get_candidate("CAND00021").reference == "CAND00021"


def test_clock_freeze_advance_run(sandbox_tenant):
    clock = sandbox_tenant.clock
    assert clock.freeze("2030-06-30T08:00:00Z") == dt.datetime(2030, 6, 30, 8, tzinfo=UTC)
    assert clock.frozen
    assert clock.advance(hours=1, minutes=30) == dt.datetime(2030, 6, 30, 9, 30, tzinfo=UTC)
    assert clock.advance(dt.timedelta(days=1)) == dt.datetime(2030, 7, 1, 9, 30, tzinfo=UTC)
    assert clock.freeze(dt.datetime(2031, 1, 2, 3, 4)) == dt.datetime(2031, 1, 2, 3, 4, tzinfo=UTC)
    assert clock.now() == clock.get() == dt.datetime(2031, 1, 2, 3, 4, tzinfo=UTC)
    clock.run()
    assert not clock.frozen
    assert clock.now() >= dt.datetime(2031, 1, 2, 3, 4, tzinfo=UTC)


def test_the_clock_drives_the_rules(surpass_client, sandbox_tenant):
    sandbox_tenant.clock.freeze("2030-07-02T00:00:00Z")
    with pytest.raises(Exception, match="already ended"):
        surpass_client.schedule_test(test="MATHS-FND", centre="CEN001", candidate="CAND00021",
                                     start_date="01/07/2030", start_time="0900",
                                     end_time="1700")


def test_settings_read_and_update(sandbox_tenant):
    assert sandbox_tenant.settings()["purchaseOrderRequired"] is False
    changed = sandbox_tenant.update_settings("surpass", purchase_order_required=True,
                                             multiDayScheduling=False)
    assert changed["purchaseOrderRequired"] is True and changed["multiDayScheduling"] is False
    assert sandbox_tenant.settings("surpass") == changed
    sandbox_tenant.reset()
    assert sandbox_tenant.settings()["purchaseOrderRequired"] is False


def test_a_bad_setting_is_a_sandbox_error(sandbox_tenant):
    with pytest.raises(pytest_plugin.SandboxError, match="400"):
        sandbox_tenant.update_settings(topOverLimit="sometimes")


def test_journal_entries_and_assertions(surpass_client, sandbox_tenant):
    journal = sandbox_tenant.journal
    assert journal() == []
    surpass_client.tests_page(top=2)
    surpass_client.get_candidate(21)

    entries = journal(provider="surpass", method="GET")
    assert [e.path for e in entries] == ["/surpass/api/v2/Test", "/surpass/api/v2/Candidate/21"]
    assert entries[0].query == "$top=2" and entries[0].status == 200
    assert entries[0].request_headers["Authorization"] == "***"
    assert journal.last(path="Candidate").response_json()["response"][0]["id"] == 21
    journal.assert_called("GET", "Candidate/21")
    journal.assert_called("GET", "/api/v2/", times=2)
    journal.assert_called("GET", "Test", times=None)
    journal.assert_not_called("POST", "TestSchedule")

    with pytest.raises(AssertionError) as failed:
        journal.assert_called("POST", "TestSchedule", times=1)
    message = str(failed.value)
    assert "expected POST *TestSchedule* 1 time(s), found 0" in message
    assert "GET /surpass/api/v2/Test?$top=2 -> 200" in message

    assert journal.clear() == 2
    assert journal() == []


def test_a_user_with_fewer_permissions(sandbox_tenant):
    viewer = sandbox_tenant.surpass_user("viewer", permissions=["ViewTests"])
    with sandbox_tenant.surpass_client(viewer.username, viewer.password) as client:
        assert client.tests_page(top=1).items
        with pytest.raises(PermissionDeniedError):
            client.test_sessions_page()


def test_nothing_is_served_unless_a_test_asks(pytester, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the plugin started a sandbox")

    monkeypatch.setattr(pytest_plugin, "serve_sandbox", refuse)
    pytester.makepyfile(test_lazy="def test_plain():\n    assert True\n")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)

    pytester.makepyfile(test_eager="def test_uses(sandbox_tenant):\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "test_eager.py")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*the plugin started a sandbox*"])


def test_sandbox_url_reuses_a_running_sandbox(pytester, sandbox, monkeypatch):
    monkeypatch.setattr(pytest_plugin, "serve_sandbox", None)  # must not be called
    pytester.makepyfile(test_reuse=f"""
        def test_reuse(sandbox, sandbox_tenant):
            assert sandbox.url == {sandbox.url!r} and sandbox.process is None
            with open("tenant.txt", "w") as f:
                f.write(sandbox_tenant.id)
    """)
    result = pytester.runpytest("-p", "no:cacheprovider", "--sandbox-url", sandbox.url + "/")
    result.assert_outcomes(passed=1)
    tenant_id = (pytester.path / "tenant.txt").read_text()
    sandbox.admin("GET", f"/tenants/{tenant_id}", expect=404)  # deleted after the test
    assert sandbox.healthy()  # and the borrowed sandbox is left running


def test_sandbox_url_that_does_not_answer(pytester):
    pytester.makepyfile(test_nowhere="def test_x(sandbox):\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--sandbox-url", "http://127.0.0.1:9")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*--sandbox-url http://127.0.0.1:9: GET /health*"])
