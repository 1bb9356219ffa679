"""The committed contract is the document the sandbox serves.

``contracts/openapi/surpass.json`` changes only by a deliberate commit: when the schemas,
routes or links change what ``/surpass/openapi.json`` says, this test fails until the
contract is regenerated (and the change reviewed with the rest of the commit)::

    exam-sandbox openapi surpass > contracts/openapi/surpass.json
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from sandbox.cli import openapi_document, render_openapi

CONTRACT = Path(__file__).parent / "openapi" / "surpass.json"
REGENERATE = "exam-sandbox openapi surpass > contracts/openapi/surpass.json"
MAX_DIFF_LINES = 120


def test_served_document_is_the_committed_contract():
    served = openapi_document("surpass")  # GET /surpass/openapi.json on a fresh app
    committed = json.loads(CONTRACT.read_text(encoding="utf-8"))
    if served == committed:
        return
    diff = list(
        difflib.unified_diff(
            render_openapi(committed).splitlines(),
            render_openapi(served).splitlines(),
            fromfile="contracts/openapi/surpass.json (committed)",
            tofile="/surpass/openapi.json (served)",
            lineterm="",
        )
    )
    shown = "\n".join(diff[:MAX_DIFF_LINES])
    if len(diff) > MAX_DIFF_LINES:
        shown += f"\n... and {len(diff) - MAX_DIFF_LINES} more lines of diff"
    raise AssertionError(
        "The sandbox serves a Surpass OpenAPI document that differs from the committed "
        f"contract. If the change is meant, regenerate it and commit it:\n\n    {REGENERATE}\n\n"
        f"{shown}"
    )
