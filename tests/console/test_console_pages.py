"""The console's pages as a browser without JavaScript gets them: everything readable,
every button a documented ``/_sandbox`` control (its method and path in the OpenAPI
document), and the journal's entries with their bodies."""

from __future__ import annotations

import html
import re

import pytest

from exam_sandbox.providers import all_descriptions

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
BUTTON = re.compile(
    r'<button type="button" class="action[^"]*" data-name="([^"]+)" data-method="([A-Z]+)" '
    r'data-path="([^"]+)" data-body=\'([^\']*)\''
)


def page(http, path: str):
    answer = http.get(path, headers=BROWSER)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.mimetype == "text/html"
    return answer.text


def documented(http) -> list[tuple[str, re.Pattern]]:
    """(method, path pattern) of every control the controls' document lists."""
    document = http.get("/_sandbox/openapi.json").json
    out = []
    for path, item in document["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        out += [(method.upper(), pattern) for method in item if method != "parameters"]
    return out


def test_the_index_lists_the_tenants_with_links_to_their_pages(http, tenant):
    text = page(http, "/console")
    assert f'<a href="/console/tenants/{tenant.id}">{tenant.id}</a>' in text
    assert '<a href="/console/tenants/demo">demo</a>' in text
    assert 'data-name="create-tenant" data-method="POST" data-path="/_sandbox/tenants"' in text


def test_a_tenant_page_shows_every_vendor_the_clock_settings_and_journal(http, tenant):
    text = page(http, f"/console/tenants/{tenant.id}")
    assert f"<code>{tenant.id}</code>" in text
    for d in all_descriptions():
        assert f'<section class="vendor" id="vendor-{d.name}" data-vendor="{d.name}">' in text
        assert f"<h2>{d.title}</h2>" in text
        assert f'data-path="/_sandbox/tenants/{tenant.id}/settings/{d.name}"' in text
    assert 'id="clock"' in text and 'data-frozen="false"' in text
    assert 'data-name="freeze"' in text and 'data-name="run"' not in text
    assert 'id="journal"' in text and 'No calls yet' in text
    for name, value in tenant.credentials["surpass"].items():
        assert f"<td>{name}</td><td><code>{html.escape(value)}</code></td>" in text


def test_every_button_on_a_busy_page_is_a_documented_control(http, tenant):
    tenant.freeze("2030-03-01T09:00:00Z")
    text = page(http, f"/console/tenants/{tenant.id}")
    buttons = BUTTON.findall(text)
    assert {"freeze", "advance-3600", "advance-86400", "reset"} <= {b[0] for b in buttons} \
        or {"run", "advance-3600", "reset"} <= {b[0] for b in buttons}
    controls = documented(http)
    for name, method, path, _body in buttons:
        assert path.startswith(f"/_sandbox/tenants/{tenant.id}/"), (name, path)
        assert any(m == method and p.match(path) for m, p in controls), (name, method, path)


def test_a_frozen_clock_offers_run_instead_of_freeze(http, tenant):
    tenant.freeze("2030-03-01T09:00:00Z")
    text = page(http, f"/console/tenants/{tenant.id}/panels")
    assert 'data-frozen="true"' in text and "2030-03-01 09:00:00 UTC" in text
    assert 'data-name="run"' in text and 'data-name="freeze"' not in text
    assert "<html" not in text  # the part the script swaps in, not a page


def test_settings_are_shown_as_the_control_their_type_allows(http, tenant):
    tenant.settings("surpass", purchaseOrderRequired=True, pinLength=8)
    text = page(http, f"/console/tenants/{tenant.id}")
    assert re.search(r'name="purchaseOrderRequired" data-kind="toggle" checked', text)
    assert re.search(r'name="multiDayScheduling" data-kind="toggle" checked', text)
    assert re.search(r'name="enforceTimesRequired" data-kind="toggle">', text)
    assert re.search(r'name="pinLength" data-kind="number" value="8" min="4" max="10"', text)
    assert re.search(r'name="topOverLimit" data-kind="choice"><option selected>reject</option>'
                     r'<option>cap</option>', text)


def test_the_journal_shows_each_call_with_its_bodies(http, tenant):
    refused = tenant.surpass("POST", "/api/v2/TestSchedule", json={})
    assert 400 <= refused.status_code < 500
    text = page(http, f"/console/tenants/{tenant.id}")
    assert 'id="journal-empty" class="empty" hidden' in text
    assert re.search(
        r'<span class="method">POST</span>\s*<span class="path">/surpass/api/v2/TestSchedule<', text
    )
    assert f'<span class="code s4xx">{refused.status_code}</span>' in text
    body = html.unescape(text)
    assert '"Authorization": "***"' in body  # the journal's redaction, shown as recorded


def test_the_page_reads_the_journal_entries_newest_first(http, tenant):
    for path in ("/api/v2/Centre", "/api/v2/Subject"):
        tenant.surpass("GET", path)
    text = page(http, f"/console/tenants/{tenant.id}")
    assert text.index("/api/v2/Subject") < text.index("/api/v2/Centre")
    seqs = [int(s) for s in re.findall(r'<li class="entry" data-seq="(\d+)">', text)]
    assert seqs == sorted(seqs, reverse=True) and len(seqs) == 2
    assert f'data-after="{seqs[0]}"' in text


def test_an_unknown_tenant_is_a_404_page(http):
    answer = http.get("/console/tenants/no-such-tenant", headers=BROWSER)
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert "No tenant &#39;no-such-tenant&#39;" in answer.text


def test_pages_carry_headers_that_keep_other_sites_out(http, tenant):
    answer = http.get(f"/console/tenants/{tenant.id}", headers=BROWSER)
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Cache-Control"] == "no-store"
    assert "<script>" not in answer.text and "onclick" not in answer.text  # no inline script


def test_the_script_and_styles_are_served_from_the_package(http):
    script = http.get("/console/static/console.js")
    assert script.status_code == 200 and "fetch(" in script.text
    assert "http://" not in script.text and "https://" not in script.text  # nothing remote
    styles = http.get("/console/static/console.css")
    assert styles.status_code == 200 and styles.mimetype == "text/css"


def test_the_landing_page_leads_to_the_console(http, tenant):
    text = page(http, "/")
    assert '<a href="http://localhost/console">' in text
    assert f'<a href="http://localhost/console/tenants/{tenant.id}">{tenant.id}</a>' in text
    body = http.get("/", headers={"Accept": "application/json"}).json
    assert body["sandbox"]["console"] == "http://localhost/console"


@pytest.mark.parametrize(("after", "said"), [("-1", "Must be greater than or equal to 0."),
                                             ("x", "Not a valid integer.")])
def test_the_journal_control_refuses_a_bad_after(tenant, after, said):
    answer = tenant.admin("GET", f"/journal?after={after}")
    assert answer.status_code == 400
    assert answer.json == {"error": {"status": 400, "message": "Invalid query string",
                                     "details": {"after": [said]}}}


def test_the_journal_control_gives_only_calls_after_a_seq(tenant):
    for path in ("/api/v2/Centre", "/api/v2/Subject", "/api/v2/Test"):
        tenant.surpass("GET", path)
    every = tenant.admin("GET", "/journal").json["entries"]
    first = every[0]["seq"]
    later = tenant.admin("GET", f"/journal?after={first}").json
    assert [e["seq"] for e in later["entries"]] == [e["seq"] for e in every[1:]]
    assert later["count"] == 2
    newest = every[-1]["seq"]
    assert tenant.admin("GET", f"/journal?after={newest}").json == {"entries": [], "count": 0}
