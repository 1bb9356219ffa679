"""Drift: the committed contract of a vendor is the document the sandbox serves.

``contracts/openapi/<vendor>.json`` changes only by a deliberate commit: when the
schemas, routes or links change what ``/<vendor>/openapi.json`` says, the vendor's drift
test fails with the diff until the contract is regenerated (and the change reviewed with
the rest of the commit)::

    exam-sandbox openapi <vendor> > contracts/openapi/<vendor>.json
"""

from __future__ import annotations

import difflib
import json

from contract import path_of

from exam_sandbox.cli import openapi_document, render_openapi

MAX_DIFF_LINES = 120


def regenerate(vendor: str) -> str:
    return f"exam-sandbox openapi {vendor} > contracts/openapi/{vendor}.json"


def assert_no_drift(vendor: str, title: str) -> None:
    """Fail with a diff unless the served document is the committed one (``title``:
    the vendor's name as a reader knows it, for the message)."""
    served = openapi_document(vendor)  # GET /<vendor>/openapi.json on a fresh app
    committed = json.loads(path_of(vendor).read_text(encoding="utf-8"))
    if served == committed:
        return
    diff = list(
        difflib.unified_diff(
            render_openapi(committed).splitlines(),
            render_openapi(served).splitlines(),
            fromfile=f"contracts/openapi/{vendor}.json (committed)",
            tofile=f"/{vendor}/openapi.json (served)",
            lineterm="",
        )
    )
    shown = "\n".join(diff[:MAX_DIFF_LINES])
    if len(diff) > MAX_DIFF_LINES:
        shown += f"\n... and {len(diff) - MAX_DIFF_LINES} more lines of diff"
    raise AssertionError(
        f"The sandbox serves a {title} OpenAPI document that differs from the committed "
        f"contract. If the change is meant, regenerate it and commit it:\n\n"
        f"    {regenerate(vendor)}\n\n{shown}"
    )
