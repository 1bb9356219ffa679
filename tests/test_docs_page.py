"""The interactive docs, in a real browser: headless Chromium loads the served page, runs
Swagger UI from the sandbox's own assets (no network) and renders every operation of the
vendor's OpenAPI document."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
import requests

from exam_sandbox.providers import all_descriptions

# Store-independent (the documentation page, in a browser): the PostgreSQL run leaves it
# out (tests/postgres_run.py).
pytestmark = pytest.mark.store_independent

VERBS = {"get", "put", "post", "delete", "patch", "head", "options"}
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags a root, offline, headless run needs (background networking would try to reach out).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=15000",
    "--dump-dom",
]


def render(url: str, profile) -> str:
    if BROWSER is None:
        pytest.fail(
            "Chromium is needed for the docs test: apt-get install chromium (make test does)"
        )
    result = subprocess.run(
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", url],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


VENDORS = [d.name for d in all_descriptions()]
DESCRIPTIONS = {d.name: d for d in all_descriptions()}


@pytest.fixture(scope="module")
def rendered(sandbox, tmp_path_factory):
    """Each vendor's docs page as Chromium leaves it, rendered once for every test here."""
    pages: dict[str, str] = {}

    def page(vendor: str) -> str:
        if vendor not in pages:
            profile = tmp_path_factory.mktemp(f"chromium-{vendor}")
            pages[vendor] = render(f"{sandbox.url}/{vendor}/docs/", profile)
        return pages[vendor]

    return page


@pytest.mark.parametrize("vendor", VENDORS)
def test_docs_page_renders_every_operation(sandbox, rendered, vendor):
    spec = requests.get(f"{sandbox.url}/{vendor}/openapi.json", timeout=10).json()
    operations = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in VERBS
    }
    dom = rendered(vendor)
    assert 'class="swagger-ui' in dom, dom[:500]
    assert spec["info"]["title"] in dom
    rendered = {
        (m.group(1).upper(), m.group(2).replace("\u200b", ""))
        for m in re.finditer(
            r'opblock-summary-method">(\w+)</span>.*?data-path="([^"]+)"', dom, re.S
        )
    }
    assert rendered == operations


def description_of(dom: str) -> str:
    """The text of the document's info.description as Swagger UI rendered it."""
    found = re.search(r'<div class="description">(.*?)</div>\s*</div>', dom, re.S)
    assert found, "no rendered info.description"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


@pytest.mark.parametrize("vendor", VENDORS)
def test_docs_page_shows_the_demo_credentials_to_authorize_with(rendered, vendor):
    text = description_of(rendered(vendor))
    assert "Authorize" in text
    for value in DESCRIPTIONS[vendor].demo_credentials.values():
        assert value in text, (value, text)


@pytest.mark.parametrize("vendor", VENDORS)
def test_docs_page_lists_the_scheduling_operations_first(sandbox, rendered, vendor):
    spec = requests.get(f"{sandbox.url}/{vendor}/openapi.json", timeout=10).json()
    tags = [tag["name"] for tag in spec["tags"]]
    shown = re.findall(r'class="opblock-tag[^"]*"[^>]*data-tag="([^"]+)"', rendered(vendor))
    assert shown == tags
    # The first operation a user sees books a test: a schedule (iTEP: a test ID assigned).
    first = re.search(r'opblock-summary-method">(\w+)</span>.*?data-path="([^"]+)"',
                      rendered(vendor), re.S)
    assert first.group(1) == "POST"
    path = first.group(2).replace("\u200b", "").lower()
    assert "schedule" in path or path.endswith("/assign"), first.group(2)


@pytest.mark.parametrize("vendor", VENDORS)
def test_docs_page_links_only_to_the_sandbox_itself(sandbox, rendered, vendor):
    # A pip-installed user has no repository: every link and asset is on this server.
    dom = rendered(vendor)
    targets = re.findall(r'(?:href|src)="([^"]*)"', dom)
    assert targets
    foreign = [
        t for t in targets
        if re.match(r"[a-z][a-z0-9+.-]*:", t, re.I) and not t.startswith(sandbox.url)
        and not t.startswith("data:")
    ]
    assert foreign == []
    assert not [t for t in targets if t.endswith(".md") or "/docs/providers/" in t]


def test_docs_page_does_not_ask_an_online_validator(sandbox):
    r = requests.get(f"{sandbox.url}/surpass/docs/", timeout=10)
    assert r.status_code == 200
    assert '"validatorUrl": null' in r.text
    assert "https://" not in r.text and "http://" not in r.text
