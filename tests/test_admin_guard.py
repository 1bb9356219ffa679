"""What /_sandbox trusts (issue 7, defect 7): the Host of every request (DNS rebinding),
the Origin and Content-Type of control writes (CSRF) and, when set, the admin token.

Flask's test client sends ``Host: localhost``; a browser tricked by a rebound name sends
the attacker's name, and a cross-origin form post sends the attacker's ``Origin``.
"""

from __future__ import annotations

import pytest
from support import basic

from exam_sandbox.app import create_app, default_config
from exam_sandbox.core.guard import HostPolicy, same_origin, split_host
from exam_sandbox.core.provider import SandboxConfig
from exam_sandbox.wsgi import config_from_env

EVIL = "evil.example"
JSON = {"Content-Type": "application/json"}


def guarded_app(tmp_path, **options):
    return create_app(default_config(database_url=f"sqlite:///{tmp_path / 'g.db'}", **options))


def refused(response, status: int, *words: str) -> None:
    """The /_sandbox JSON error shape, with ``words`` in its message."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.json
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status
    for word in words:
        assert word in body["error"]["message"], body


# --- CSRF: Origin, Sec-Fetch-Site, Content-Type ------------------------------------------


def test_cross_origin_reset_is_refused_and_the_tenant_is_not_reset(tenant):
    tenant.settings(purchaseOrderRequired=True)
    attack = tenant.admin(
        "POST", "/reset", json={}, headers={"Origin": "http://evil.example"}
    )
    refused(attack, 403, "Cross-origin", "http://evil.example")
    kept = tenant.admin("GET", "/settings/surpass").json
    assert kept["purchaseOrderRequired"] is True


def test_cross_origin_create_tenant_is_refused(http):
    before = http.get("/_sandbox/tenants").json["tenants"]
    attack = http.post("/_sandbox/tenants", json={"tenant": "csrf-made"},
                       headers={"Origin": "http://localhost:3000"})
    refused(attack, 403, "Cross-origin")
    assert http.get("/_sandbox/tenants").json["tenants"] == before


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_foreign_sec_fetch_site_write_is_refused(tenant, site):
    attack = tenant.admin("DELETE", "/journal", headers={"Sec-Fetch-Site": site})
    refused(attack, 403, "Cross-origin", site)


def test_a_null_origin_write_is_refused(tenant):
    refused(tenant.admin("POST", "/reset", json={}, headers={"Origin": "null"}), 403, "null")


def test_same_origin_reset_works(tenant):
    tenant.settings(purchaseOrderRequired=True)
    own = tenant.admin("POST", "/reset", json={}, headers={
        "Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert own.status_code == 200, own.json
    assert own.json["tenant"] == tenant.id
    assert tenant.admin("GET", "/settings/surpass").json["purchaseOrderRequired"] is False


def test_a_cross_origin_read_is_answered(tenant):
    # Reads change nothing, and the browser hides a cross-origin answer (no CORS headers).
    read = tenant.admin("GET", "/clock", headers={"Origin": "http://evil.example"})
    assert read.status_code == 200
    assert "Access-Control-Allow-Origin" not in read.headers


@pytest.mark.parametrize("method, path", [("POST", "/reset"), ("PUT", "/clock"),
                                          ("PATCH", "/settings/surpass")])
def test_a_control_write_that_is_not_json_is_415(tenant, method, path):
    # text/plain is what a cross-origin form or fetch can send without a preflight.
    attack = tenant.admin(method, path, data="{}", content_type="text/plain")
    refused(attack, 415, "application/json", "text/plain")


def test_a_bodiless_control_write_without_content_type_is_415(http):
    refused(http.post("/_sandbox/tenants"), 415, "application/json", "none")


def test_json_with_a_charset_is_json(http):
    made = http.post("/_sandbox/tenants", data="{}",
                     content_type="application/json; charset=utf-8")
    assert made.status_code == 201, made.json
    assert http.delete(f"/_sandbox/tenants/{made.json['tenant']}").status_code == 204


# --- DNS rebinding: Host -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/_sandbox/tenants/demo", "/health", "/nowhere"])
def test_a_foreign_host_is_refused_in_the_admin_shape(http, path):
    refused(http.get(path, headers={"Host": EVIL}), 403, f"Host '{EVIL}'", "--allow-host")


def test_a_foreign_host_cannot_read_credentials(http):
    answer = http.get("/_sandbox/tenants/demo", headers={"Host": f"{EVIL}:8080"})
    refused(answer, 403, "DNS rebinding")
    assert "demo-password" not in answer.get_data(as_text=True)


def test_a_foreign_host_on_surpass_gets_surpass_envelope(http):
    answer = http.get("/surpass/api/v2/Test", headers={**basic("demo", "demo-password"),
                                                        "Host": EVIL})
    assert answer.status_code == 403
    body = answer.json
    assert body["response"] is None and body["count"] is None and "serverTimeZone" in body
    [error] = body["errors"]
    assert error["ErrorCode"] == 403
    assert error["Message"].startswith(f"Host '{EVIL}' is not one of this sandbox's names")


def test_a_foreign_host_on_janison_gets_janison_envelope(http):
    answer = http.post("/janison/api/candidate", json={}, headers={
        "Ocp-Apim-Subscription-Key": "demo-subscription-key",
        "Authorization": "Bearer demo-token", "Host": EVIL})
    assert answer.status_code == 403
    [error] = answer.json["errors"]
    assert answer.json == {"id": None, "href": None, "errors": [error]}
    assert error["code"] == 403 and error["field"] is None
    assert error["message"].startswith(f"Host '{EVIL}' is not one of this sandbox's names")


@pytest.mark.parametrize("host", ["localhost", "localhost:8080", "127.0.0.1:8080",
                                  "127.8.9.10", "[::1]:8080", "LOCALHOST.", "app.localhost"])
def test_loopback_names_are_answered(http, host):
    assert http.get("/health", headers={"Host": host}).status_code == 200


def test_allow_host_lets_a_name_in(tmp_path):
    app = guarded_app(tmp_path, allowed_hosts=("sandbox.test", ".ci.internal"))
    http = app.test_client()
    try:
        assert http.get("/health", headers={"Host": "sandbox.test:8080"}).status_code == 200
        assert http.get("/health", headers={"Host": "a.ci.internal"}).status_code == 200
        surpass = http.get("/surpass/api/v2/Test?$top=1", headers={
            **basic("demo", "demo-password"), "Host": "sandbox.test"})
        assert surpass.status_code == 200
        refused(http.get("/health", headers={"Host": EVIL}), 403, EVIL)
    finally:
        app.extensions["exam_sandbox"].db.dispose()


def test_allow_host_star_disables_the_check(tmp_path):
    app = guarded_app(tmp_path, allowed_hosts=("*",))
    try:
        answer = app.test_client().get("/_sandbox/tenants", headers={"Host": EVIL})
        assert answer.status_code == 200 and "demo" in answer.json["tenants"]
    finally:
        app.extensions["exam_sandbox"].db.dispose()


def test_host_policy_by_bind_address(monkeypatch):
    monkeypatch.setattr("exam_sandbox.core.guard.machine_names",
                        lambda: frozenset({"devbox", "devbox.lan"}))
    specific = HostPolicy.from_config(SandboxConfig("sqlite://", bind_host="192.168.1.5"))
    assert specific.permits("192.168.1.5:8080") and specific.permits("localhost")
    assert not specific.permits("192.168.1.6") and not specific.permits("devbox")
    v4 = HostPolicy.from_config(SandboxConfig("sqlite://", bind_host="0.0.0.0"))
    assert v4.permits("devbox:8080") and v4.permits("devbox.lan") and v4.permits("10.0.0.7")
    assert not v4.permits("[fe80::1]") and not v4.permits(EVIL)
    v6 = HostPolicy.from_config(SandboxConfig("sqlite://", bind_host="::"))
    assert v6.permits("[fe80::1]:8080") and v6.permits("10.0.0.7") and not v6.permits(EVIL)
    assert not v4.permits("devbox@evil.example") and not v4.permits("devbox:99999")


def test_host_and_origin_parsing():
    assert split_host("[::1]:8080") == ("::1", 8080)
    assert split_host("Example.COM.") == ("example.com", None)
    assert split_host("a b") is None and split_host("[::1") is None
    assert same_origin("http://127.0.0.1:8080", "127.0.0.1:8080")
    assert same_origin("https://sandbox.example", "sandbox.example")  # behind TLS
    assert same_origin("http://localhost", "localhost:80")
    assert not same_origin("http://127.0.0.1:9000", "127.0.0.1:8080")
    assert not same_origin("http://evil.example", "127.0.0.1:8080")
    assert not same_origin("file://", "localhost")


# --- the admin token ---------------------------------------------------------------------


@pytest.fixture()
def token_http(tmp_path):
    app = guarded_app(tmp_path, admin_token="s3cret-token")
    yield app.test_client()
    app.extensions["exam_sandbox"].db.dispose()


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"X-Sandbox-Admin-Token": "s3cret-tokeN"},
                                     {"Authorization": "Basic czNjcmV0LXRva2Vu"}])
def test_the_admin_token_is_required_when_set(token_http, headers):
    answer = token_http.get("/_sandbox/tenants/demo", headers=headers)
    refused(answer, 401, "admin token", "Authorization: Bearer")
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="exam-sandbox admin"'
    write = token_http.post("/_sandbox/tenants", json={"tenant": "no-token"}, headers=headers)
    refused(write, 401, "admin token")
    assert token_http.get("/_sandbox/tenants/no-token", headers={
        "Authorization": "Bearer s3cret-token"}).status_code == 404


@pytest.mark.parametrize("headers", [{"Authorization": "Bearer s3cret-token"},
                                     {"X-Sandbox-Admin-Token": "s3cret-token"}])
def test_the_admin_token_opens_the_controls(token_http, headers):
    read = token_http.get("/_sandbox/tenants/demo", headers=headers)
    assert read.status_code == 200 and read.json["tenant"] == "demo"
    made = token_http.post("/_sandbox/tenants", json={"seed": 3}, headers=headers)
    assert made.status_code == 201 and made.json["seed"] == 3


def test_the_admin_token_guards_only_the_controls(token_http):
    assert token_http.get("/health").status_code == 200
    vendor = token_http.get("/surpass/api/v2/Test?$top=1", headers=basic("demo", "demo-password"))
    assert vendor.status_code == 200


def test_the_workers_get_the_guard_from_the_environment():
    config = config_from_env({
        "EXAM_SANDBOX_DATABASE_URL": "sqlite://",
        "EXAM_SANDBOX_BIND_HOST": "0.0.0.0",
        "EXAM_SANDBOX_ALLOWED_HOSTS": "a.test, b.test c.test",
        "EXAM_SANDBOX_ADMIN_TOKEN": "tok",
    })
    assert config.bind_host == "0.0.0.0"
    assert config.allowed_hosts == ("a.test", "b.test", "c.test")
    assert config.admin_token == "tok"
    plain = config_from_env({"EXAM_SANDBOX_DATABASE_URL": "sqlite://"})
    assert (plain.bind_host, plain.allowed_hosts, plain.admin_token) == ("127.0.0.1", (), None)
