"""The request guard through the real CLI (issue 7, defect 7): ``--host 0.0.0.0`` warns,
``--allow-host`` and ``--admin-token`` reach the granian workers, and a foreign Host or
Origin is refused over HTTP. Requests go to 127.0.0.1 only."""

from __future__ import annotations

import pytest
from test_serve import serve  # tests/ is on pytest's pythonpath (pyproject)

from exam_sandbox.cli import exposure_warning
from exam_sandbox.pytest_plugin import Sandbox, SandboxError

# Store-independent (the server process's Host and token checks): the PostgreSQL run
# leaves it out (tests/postgres_run.py).
pytestmark = pytest.mark.store_independent

TOKEN = "serve-guard-token"


@pytest.fixture(scope="module")
def exposed(tmp_path_factory):
    served = serve(tmp_path_factory.mktemp("guard-logs"), "--host", "0.0.0.0",
                   "--workers", "1", "--threads", "2", "--allow-host", "sandbox.test",
                   "--admin-token", TOKEN)
    yield served
    served.stop()


def test_a_non_loopback_bind_prints_a_clear_warning(exposed):
    out = exposed.output
    assert "WARNING: bound to 0.0.0.0, which other machines can reach" in out
    assert "/_sandbox requires the admin token" in out
    assert "bind 127.0.0.1" in out
    assert exposed.base.startswith("http://127.0.0.1:")


def test_loopback_binds_print_no_warning():
    assert exposure_warning("127.0.0.1", token=False, allowed=[]) is None
    assert exposure_warning("localhost", token=False, allowed=[]) is None
    warned = exposure_warning("192.168.1.5", token=False, allowed=["*"])
    assert "--admin-token" in warned and "turns the Host check (DNS rebinding) off" in warned


def test_the_workers_refuse_a_foreign_host(exposed):
    vendor = exposed.get("/surpass/api/v2/Test", auth=("demo", "demo-password"),
                         headers={"Host": "evil.example"})
    assert vendor.status_code == 403
    [error] = vendor.json()["errors"]
    assert error["ErrorCode"] == 403 and "evil.example" in error["Message"]
    health = exposed.get("/health", headers={"Host": "evil.example"})
    assert health.status_code == 403
    assert health.json()["error"]["status"] == 403
    assert exposed.get("/health", headers={"Host": "sandbox.test"}).status_code == 200


def test_the_workers_require_the_admin_token(exposed):
    bare = exposed.get("/_sandbox/tenants")
    assert bare.status_code == 401
    assert bare.json()["error"]["status"] == 401
    assert bare.headers["WWW-Authenticate"] == 'Bearer realm="exam-sandbox admin"'
    with pytest.raises(SandboxError, match="401"):
        Sandbox(exposed.base, admin_token=None).create_tenant()


def test_the_plugin_carries_the_token_and_speaks_json(exposed, monkeypatch):
    monkeypatch.setenv("EXAM_SANDBOX_ADMIN_TOKEN", TOKEN)
    sandbox = Sandbox(exposed.base)  # the token from the environment
    try:
        tenant = sandbox.create_tenant(seed=3)
        tenant.update_settings("surpass", purchase_order_required=True)
        tenant.reset()  # a body-less control, sent as JSON
        assert tenant.settings("surpass")["purchaseOrderRequired"] is False
        attack = exposed.request("POST", f"/_sandbox/tenants/{tenant.id}/reset", json={},
                                 headers={"Authorization": f"Bearer {TOKEN}",
                                          "Origin": "http://evil.example"})
        assert attack.status_code == 403
        assert "Cross-origin" in attack.json()["error"]["message"]
        tenant.delete()
    finally:
        sandbox.stop()
