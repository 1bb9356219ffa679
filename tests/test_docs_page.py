"""The interactive docs, in a real browser: headless Chromium loads the served page, runs
Swagger UI from the sandbox's own assets (no network) and renders every operation of the
vendor's OpenAPI document."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import requests

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


@pytest.mark.parametrize("vendor", ["surpass", "janison"])
def test_docs_page_renders_every_operation(sandbox, tmp_path, vendor):
    spec = requests.get(f"{sandbox.url}/{vendor}/openapi.json", timeout=10).json()
    operations = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in VERBS
    }
    dom = render(f"{sandbox.url}/{vendor}/docs/", tmp_path / "profile")
    assert 'class="swagger-ui' in dom, dom[:500]
    assert spec["info"]["title"] in dom
    rendered = {
        (m.group(1).upper(), m.group(2).replace("\u200b", ""))
        for m in re.finditer(
            r'opblock-summary-method">(\w+)</span>.*?data-path="([^"]+)"', dom, re.S
        )
    }
    assert rendered == operations
