"""The committed contract of the ``/_sandbox`` controls is the document the sandbox serves.

``contracts/openapi/sandbox.json`` changes only by a deliberate commit: when the controls'
schemas or routes (core's or a vendor's ``admin_blueprint``) change what
``/_sandbox/openapi.json`` says, this test fails with the diff until the contract is
regenerated (and the change reviewed with the rest of the commit)::

    exam-sandbox openapi sandbox --output contracts/openapi/sandbox.json

The document is read from a fresh app, as the vendors' drift tests read theirs
(``drift.py``), and compared as JSON; the diff is of the committed rendering.
"""

from __future__ import annotations

import difflib
import json

import pytest
from contract import path_of

from exam_sandbox.app import create_app, default_config
from exam_sandbox.cli import render_openapi

SERVED_AT = "/_sandbox/openapi.json"
REGENERATE = "exam-sandbox openapi sandbox --output contracts/openapi/sandbox.json"
MAX_DIFF_LINES = 120


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("sandbox-openapi")
    app = create_app(default_config(database_url=f"sqlite:///{folder / 'sandbox.db'}"),
                     prepare=False)
    try:
        response = app.test_client().get(SERVED_AT)
        assert response.status_code == 200, response.get_data(as_text=True)
        return json.loads(response.get_data(as_text=True))
    finally:
        app.extensions["exam_sandbox"].db.dispose()


def test_served_document_is_the_committed_contract(served):
    committed = json.loads(path_of("sandbox").read_text(encoding="utf-8"))
    if served == committed:
        return
    diff = list(
        difflib.unified_diff(
            render_openapi(committed).splitlines(),
            render_openapi(served).splitlines(),
            fromfile="contracts/openapi/sandbox.json (committed)",
            tofile=f"{SERVED_AT} (served)",
            lineterm="",
        )
    )
    shown = "\n".join(diff[:MAX_DIFF_LINES])
    if len(diff) > MAX_DIFF_LINES:
        shown += f"\n... and {len(diff) - MAX_DIFF_LINES} more lines of diff"
    pytest.fail(
        "The sandbox serves a /_sandbox OpenAPI document that differs from the committed "
        f"contract. If the change is meant, regenerate it and commit it:\n\n    {REGENERATE}"
        f"\n\n{shown}"
    )


def test_the_committed_file_is_in_the_committed_rendering():
    # What the CLI writes, byte for byte, so regenerating an unchanged contract is a no-op.
    text = path_of("sandbox").read_text(encoding="utf-8")
    assert text == render_openapi(json.loads(text))
