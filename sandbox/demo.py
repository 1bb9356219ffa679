"""``exam-sandbox demo``'s script runner: a scripted integration against a served sandbox.

``run_demo(base_url, providers)`` makes a tenant for the run, prints its console URL, and
runs each vendor's ``Provider.run_demo`` with a ``ServedDemo`` (core/demo_script.py):
the vendor's real client over HTTP and the documented ``/_sandbox`` controls, one step
at a time, ``pace`` seconds apart, so someone watching the console sees each request
land. Nothing here knows a vendor; each vendor's script lives in its own package.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from importlib import import_module
from typing import Any, TextIO

import requests

from .core.demo_script import DemoError

CONTROL_TIMEOUT = 30
HEALTH_TIMEOUT = 60
ADMIN_TOKEN_ENV = "EXAM_SANDBOX_ADMIN_TOKEN"  # as `serve` reads it
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def console_url(base_url: str, tenant_id: str | None = None) -> str:
    """The console, or one tenant's page in it."""
    return f"{base_url}/console" + (f"/tenants/{tenant_id}" if tenant_id else "")


def wait_until_healthy(base_url: str, timeout: float = HEALTH_TIMEOUT) -> bool:
    """True once ``/health`` answers 200: the workers are serving."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base_url}/health", timeout=2).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.1)
    return False


class ServedDemo:
    """A ``DemoRun`` over HTTP: what a vendor's demo script is given."""

    def __init__(self, base_url: str, tenant: dict[str, Any], descriptions: dict[str, Any], *,
                 pace: float = 1.0, out: TextIO | None = None,
                 admin_token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.tenant_id = tenant["tenant"]
        self.credentials = tenant["credentials"]
        self.webhook_secret = tenant["webhook_secret"]
        self.pace = pace
        self.out = out or sys.stdout
        self._descriptions = descriptions
        self._http = requests.Session()
        if admin_token:
            self._http.headers["Authorization"] = f"Bearer {admin_token}"

    @classmethod
    def new_tenant(cls, base_url: str, descriptions: list[Any], **options: Any) -> ServedDemo:
        """Make a fresh tenant (its own data, clock and journal) for this run."""
        probe = cls(base_url, {"tenant": "", "credentials": {}, "webhook_secret": ""},
                    {}, **options)
        tenant = probe._call("POST", "/_sandbox/tenants", {})
        return cls(base_url, tenant, {d.name: d for d in descriptions}, **options)

    def step(self, vendor: str, text: str) -> None:
        print(f"  [{vendor}] {text}", file=self.out, flush=True)
        if self.pace > 0:
            time.sleep(self.pace)

    def client(self, vendor: str, **options: Any) -> Any:
        description = self._descriptions[vendor]
        module, _, name = description.client.partition(":")
        arguments = description.client_arguments(self.credentials[vendor])
        base = self.base_url + description.client_base_path
        return getattr(import_module(module), name)(base, **{**arguments, **options})

    def control(self, method: str, path: str, body: dict | None = None) -> Any:
        return self._call(method, f"/_sandbox/tenants/{self.tenant_id}/{path.lstrip('/')}", body)

    def _call(self, method: str, path: str, body: dict | None) -> Any:
        method = method.upper()
        if body is None and method in BODY_METHODS:
            body = {}  # a control with nothing to say still says it in JSON
        response = self._http.request(method, self.base_url + path, json=body,
                                      timeout=CONTROL_TIMEOUT)
        if not response.ok:
            raise DemoError(f"{method} {path} -> {response.status_code}: {response.text[:300]}")
        return response.json() if response.content else None


def run_demo(base_url: str, providers: list[Any], *, pace: float = 1.0, wait: float = 0.0,
             out: TextIO | None = None, admin_token: str | None = None) -> bool:
    """Run every vendor's script in a new tenant; True when each one ran to its end.
    A vendor whose script fails is said, and the next one still runs."""
    out = out or sys.stdout
    demo = ServedDemo.new_tenant(base_url, [p.description for p in providers], pace=pace,
                                 out=out, admin_token=admin_token)
    print(f"exam-sandbox demo: tenant {demo.tenant_id}; watch it at "
          f"{console_url(demo.base_url, demo.tenant_id)}", file=out, flush=True)
    if wait > 0:
        time.sleep(wait)  # time to open the page before the first call
    every_one_ran = True
    for provider in providers:
        print(f"{provider.description.title}:", file=out, flush=True)
        try:
            provider.run_demo(demo)
        except Exception as error:  # one vendor's failure must not end the others' demo
            every_one_ran = False
            print(f"  [{provider.name}] the demo stopped: {error}", file=out, flush=True)
    return every_one_ran


def main(argv: list[str] | None = None) -> int:
    """``python -m exam_sandbox.demo URL``: what ``exam-sandbox demo`` runs beside the
    server it starts (the admin token, if any, from ``EXAM_SANDBOX_ADMIN_TOKEN``)."""
    parser = argparse.ArgumentParser(prog="python -m exam_sandbox.demo")
    parser.add_argument("base_url", help="the served sandbox, e.g. http://127.0.0.1:8080")
    parser.add_argument("--pace", type=float, default=1.0)
    parser.add_argument("--wait", type=float, default=0.0)
    args = parser.parse_args(argv)
    from .providers import all_providers

    if not wait_until_healthy(args.base_url):
        print("exam-sandbox demo: the sandbox did not answer; no demo", flush=True)
        return 1
    ran = run_demo(args.base_url, all_providers(), pace=args.pace, wait=args.wait,
                   admin_token=os.environ.get(ADMIN_TOKEN_ENV) or None)
    said = "done" if ran else "done, with a vendor's script stopped (above)"
    print(f"exam-sandbox demo: {said}. Still serving {console_url(args.base_url)}; "
          "Ctrl-C to stop.", flush=True)
    return 0 if ran else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C reaches this process too: leave without a traceback
        sys.exit(130)
