"""The console is guarded as the controls are (core/guard.py): Host on every page, the
Origin rule on its one write (sign-in), and, with an admin token set, the token or the
sign-in cookie on every page and on the controls its script calls."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from stores import database_url

from exam_sandbox.app import create_app, default_config
from exam_sandbox.core.guard import CONSOLE_COOKIE, console_cookie_value

TOKEN = "console-test-token"
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("console-guard")
    return create_app(default_config(database_url=database_url(folder), admin_token=TOKEN))


@pytest.fixture()
def browser(guarded):
    return guarded.test_client()


def signed_in(client) -> None:
    answer = client.post("/console/sign-in", data={"token": TOKEN, "next": "/console"})
    assert answer.status_code == 303


def test_a_foreign_host_is_refused_on_the_console(http):
    answer = http.get("/console", headers={"Host": "evil.example", **BROWSER})
    assert answer.status_code == 403
    assert "evil.example" in answer.json["error"]["message"]


def test_without_a_token_the_console_is_open_and_sign_in_leads_to_it(http):
    assert http.get("/console", headers=BROWSER).status_code == 200
    answer = http.get("/console/sign-in")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/console")


def test_with_a_token_a_browser_is_sent_to_sign_in_with_where_it_was_going(browser):
    answer = browser.get("/console/tenants/demo", headers=BROWSER)
    assert answer.status_code == 303
    location = urlsplit(answer.headers["Location"])
    assert location.path == "/console/sign-in"
    assert parse_qs(location.query) == {"next": ["/console/tenants/demo?"]}
    form = browser.get(answer.headers["Location"])
    assert form.status_code == 200 and 'name="token"' in form.text
    assert 'value="/console/tenants/demo?"' in form.text


def test_with_a_token_a_script_is_refused_in_json(browser):
    answer = browser.get("/console/tenants/demo/panels", headers={"Accept": "application/json"})
    assert answer.status_code == 401
    assert answer.json == {"error": {"status": 401, "message": answer.json["error"]["message"]}}
    assert "/console/sign-in" in answer.json["error"]["message"]
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_refused_and_no_cookie_is_set(browser):
    answer = browser.post("/console/sign-in", data={"token": "guess", "next": "/console"})
    assert answer.status_code == 401
    assert "not this sandbox" in answer.text
    assert "Set-Cookie" not in answer.headers
    assert browser.get("/console", headers=BROWSER).status_code == 303


def test_signing_in_sets_a_strict_http_only_cookie_derived_from_the_token(browser):
    answer = browser.post("/console/sign-in",
                          data={"token": TOKEN, "next": "/console/tenants/demo"})
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/console/tenants/demo"
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith(f"{CONSOLE_COOKIE}={console_cookie_value(TOKEN)};")
    assert TOKEN not in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert browser.get("/console/tenants/demo", headers=BROWSER).status_code == 200


def test_the_cookie_opens_the_controls_the_console_calls(browser):
    signed_in(browser)
    assert browser.get("/_sandbox/tenants/demo/clock").status_code == 200
    frozen = browser.put("/_sandbox/tenants/demo/clock", json={"frozen": True})
    assert frozen.status_code == 200 and frozen.json["frozen"] is True


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_the_cookie_counts_for_nothing_on_a_request_another_site_made(browser, site):
    signed_in(browser)
    answer = browser.get("/_sandbox/tenants/demo/clock", headers={"Sec-Fetch-Site": site})
    assert answer.status_code == 401
    page = browser.get("/console/tenants/demo", headers={"Sec-Fetch-Site": site, **BROWSER})
    assert page.status_code == 303  # to sign-in: the cookie was not taken


def test_a_cookie_of_another_token_is_refused(browser):
    browser.set_cookie(CONSOLE_COOKIE, console_cookie_value("another-token"))
    assert browser.get("/_sandbox/tenants/demo/clock").status_code == 401
    assert browser.get("/console", headers=BROWSER).status_code == 303


def test_a_sign_in_posted_from_another_site_is_refused(browser):
    answer = browser.post("/console/sign-in", data={"token": TOKEN},
                          headers={"Origin": "http://evil.example"})
    assert answer.status_code == 403
    assert "Cross-origin" in answer.json["error"]["message"]
    assert "Set-Cookie" not in answer.headers


@pytest.mark.parametrize("target", ["//evil.example/console", "https://evil.example/",
                                    "/_sandbox/tenants", "/console\\@evil.example"])
def test_sign_in_never_redirects_off_the_console(browser, target):
    answer = browser.post("/console/sign-in", data={"token": TOKEN, "next": target})
    assert answer.status_code in (303, 400)
    if answer.status_code == 303:
        assert answer.headers["Location"] == "/console"


def test_the_script_and_styles_need_no_token(browser):
    assert browser.get("/console/static/console.js").status_code == 200
    assert browser.get("/console/static/console.css").status_code == 200


def test_the_header_token_opens_the_console_too(browser):
    answer = browser.get("/console", headers={"Authorization": f"Bearer {TOKEN}", **BROWSER})
    assert answer.status_code == 200


def test_the_landing_page_lists_tenants_only_to_who_may_open_the_console(browser):
    hidden = browser.get("/", headers=BROWSER)
    assert hidden.status_code == 200 and "/console/tenants/demo\">demo</a>" not in hidden.text
    signed_in(browser)
    shown = browser.get("/", headers=BROWSER)
    assert "/console/tenants/demo\">demo</a>" in shown.text
