"""What a vendor's scripted demo is given: ``exam-sandbox demo`` runs each vendor's
``Provider.run_demo(demo)`` against a served sandbox, one vendor after another.

A script is an integration as a customer would write it: the vendor's real client
(``exam_sandbox.client.<vendor>``) against ``demo.client(vendor)``, plus the documented
``/_sandbox`` controls for what a candidate or the vendor's staff would do (sit the test,
publish the result). ``demo.step`` says what happens next and waits the demo's pace, so
someone watching the console sees each request arrive.
"""

from __future__ import annotations

from typing import Any, Protocol


class DemoRun(Protocol):
    base_url: str  # the sandbox's root, e.g. http://127.0.0.1:8080
    tenant_id: str  # the tenant the demo runs in, made for this run
    credentials: dict[str, dict[str, str]]  # the tenant's, per vendor, as /_sandbox lists
    webhook_secret: str

    def step(self, vendor: str, text: str) -> None:
        """Print ``text`` as the vendor's next step, then wait the demo's pace."""

    def client(self, vendor: str, **options: Any) -> Any:
        """The vendor's real client, bound to the tenant's credentials."""

    def control(self, method: str, path: str, body: dict | None = None) -> Any:
        """Call ``/_sandbox/tenants/<tenant>/<path>`` with ``body`` as JSON; the
        answer's JSON (``None`` for 204). Raises ``DemoError`` on a non-2xx answer."""


class DemoError(RuntimeError):
    """A demo step was refused: the sandbox or the script is wrong, never the watcher."""
