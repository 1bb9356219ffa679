"""The root of the sandbox: ``GET /`` lists what is served (HTML for a browser, JSON for
anything else), and a path outside every vendor that matches nothing answers a JSON 404
in the ``/_sandbox`` error shape, not Flask's HTML page."""

from __future__ import annotations

import html

import pytest

from exam_sandbox.providers import all_descriptions

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ROOT = "http://localhost"


def expected_vendor(d) -> dict:
    return {
        "name": d.name,
        "title": d.title,
        "summary": d.summary,
        "base_url": ROOT + d.client_base_path,
        "api_url": ROOT + d.api_path,
        "docs": f"{ROOT}/{d.name}/docs/",
        "openapi": f"{ROOT}/{d.name}/openapi.json",
        "demo_credentials": d.demo_credentials,
    }


@pytest.mark.parametrize("accept", ["application/json", "*/*", None])
def test_landing_page_as_json_lists_every_vendor_and_the_sandbox_pages(http, accept):
    headers = {"Accept": accept} if accept else {}
    r = http.get("/", headers=headers)
    assert r.status_code == 200
    assert r.mimetype == "application/json"
    body = r.get_json()
    assert body["name"] == "exam-sandbox"
    assert body["url"] == f"{ROOT}/"
    assert body["providers"] == [expected_vendor(d) for d in all_descriptions()]
    assert body["demo_tenant"] == "demo"
    assert body["sandbox"] == {
        "tenants": f"{ROOT}/_sandbox/tenants",
        "demo_tenant": f"{ROOT}/_sandbox/tenants/demo",
        "docs": f"{ROOT}/_sandbox/docs",
        "openapi": f"{ROOT}/_sandbox/openapi.json",
        "console": f"{ROOT}/console",
        "demo_console": f"{ROOT}/console/tenants/demo",
    }
    assert body["health"] == f"{ROOT}/health"


def test_landing_urls_follow_the_host_the_request_was_sent_to(http):
    r = http.get("/", base_url="http://127.0.0.1:8080")
    assert r.status_code == 200
    surpass = next(p for p in r.get_json()["providers"] if p["name"] == "surpass")
    assert surpass["base_url"] == "http://127.0.0.1:8080/surpass"
    assert r.get_json()["health"] == "http://127.0.0.1:8080/health"


def test_the_landing_page_links_work(http):
    body = http.get("/").get_json()
    links = [body["health"], *body["sandbox"].values()]
    for vendor in body["providers"]:
        links += [vendor["docs"], vendor["openapi"]]
    for link in links:
        r = http.get(link[len(ROOT):], follow_redirects=True)
        assert r.status_code == 200, (link, r.status_code)


def test_landing_page_for_a_browser_is_html_with_the_same_content(http):
    r = http.get("/", headers={"Accept": BROWSER_ACCEPT})
    assert r.status_code == 200
    assert r.mimetype == "text/html"
    page = html.unescape(r.get_data(as_text=True))
    assert "<title>exam-sandbox</title>" in page
    for d in all_descriptions():
        assert f"<h2>{d.title}</h2>" in page
        assert d.summary in page
        assert f"<code>{ROOT}{d.client_base_path}</code>" in page
        assert f'<a href="{ROOT}/{d.name}/docs/">' in page
        assert f'<a href="{ROOT}/{d.name}/openapi.json">' in page
        for key, value in d.demo_credentials.items():
            assert f"<tr><th>{key}</th><td><code>{value}</code></td></tr>" in page
    for path in ("/_sandbox/tenants", "/_sandbox/docs", "/_sandbox/openapi.json", "/health"):
        assert f'<a href="{ROOT}{path}">' in page


def test_a_client_that_prefers_json_gets_json_even_naming_html(http):
    r = http.get("/", headers={"Accept": "application/json, text/html;q=0.5"})
    assert r.status_code == 200
    assert r.mimetype == "application/json"
    assert r.get_json()["name"] == "exam-sandbox"


@pytest.mark.parametrize("path", ["/nope", "/favicon.ico", "/_sandbox/nope", "/api/v2/Test"])
def test_unknown_paths_outside_the_vendors_answer_a_json_404(http, path):
    for accept in ("*/*", BROWSER_ACCEPT):
        r = http.get(path, headers={"Accept": accept})
        assert r.status_code == 404
        assert r.mimetype == "application/json"
        assert r.get_json() == {
            "error": {
                "status": 404,
                "message": f"No such path: {path}. What the sandbox serves is listed at "
                f"{ROOT}/",
            }
        }


def test_a_control_that_finds_nothing_keeps_its_own_404(http):
    r = http.get("/_sandbox/tenants/nobody")
    assert r.status_code == 404
    assert r.get_json() == {"error": {"status": 404, "message": "No tenant 'nobody'"}}


def test_a_wrong_method_on_a_root_path_is_a_json_405(http):
    r = http.post("/health", json={})
    assert r.status_code == 405
    assert r.get_json() == {"error": {"status": 405, "message": "POST is not allowed on /health"}}
    assert r.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_a_vendor_keeps_its_own_envelope_for_its_unknown_paths(http):
    # Under a vendor mount the vendor answers, as the real API would (not the root's 404).
    r = http.get("/surpass/api/v2/Nope", auth=("demo", "demo-password"))
    assert r.status_code == 404
    assert r.get_json()["errors"] == [
        {
            "ErrorCode": 1005,
            "Message": "No HTTP resource was found that matches the request URI "
            f"'{ROOT}/surpass/api/v2/Nope'.",
        }
    ]
    assert "error" not in r.get_json()
