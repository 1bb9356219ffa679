"""Where the Surpass agreement scenarios run: a fresh sandbox tenant, or a real site.

    pytest contracts                                   # against a served sandbox
    SURPASS_USERNAME=u SURPASS_PASSWORD=p \\
        pytest contracts/test_surpass_agreement.py --surpass-url https://x.surpass.com

Against a real site, tests marked ``sandbox_only`` are skipped: they need the sandbox's
``/_sandbox`` controls (settings, clock, users, journal), which a real site does not have.
Scenarios that schedule need a live test, a centre and a candidate associated with both,
named by ``SURPASS_TEST``, ``SURPASS_CENTRE`` and ``SURPASS_CANDIDATE`` (references);
the invigilation scenario also needs ``SURPASS_INVIGILATED_TEST``. On the sandbox these
default to the seeded data. Whatever a test schedules it deletes again.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from exam_sandbox.client.surpass import NotFoundError, SurpassClient, ValidationError

ENV_USERNAME, ENV_PASSWORD = "SURPASS_USERNAME", "SURPASS_PASSWORD"
OPTION = "--surpass-url"
# (environment variable, the sandbox seed's value): the data a scheduling scenario uses.
SCENARIO_DATA = {
    "test": ("SURPASS_TEST", "MATHS-PRAC"),  # live, two forms, not invigilated
    "centre": ("SURPASS_CENTRE", "CEN001"),
    "candidate": ("SURPASS_CANDIDATE", "CAND00021"),  # at CEN001, studies MATHS
    "invigilated_test": ("SURPASS_INVIGILATED_TEST", "MATHS-FND"),
}
# The fixtures contracts/conftest.py exposes from this module.
FIXTURES = ("surpass_site",)


def add_option(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        metavar="URL",
        default=None,
        help="run the contract suite against this real Surpass site (e.g. "
        f"https://x.surpass.com) as ${ENV_USERNAME}/${ENV_PASSWORD}; "
        "tests that need /_sandbox controls are skipped",
    )


def check_environment(config: pytest.Config) -> None:
    if config.getoption(OPTION, default=None):
        missing = [v for v in (ENV_USERNAME, ENV_PASSWORD) if not os.environ.get(v)]
        if missing:
            raise pytest.UsageError(f"{OPTION} needs {' and '.join(missing)} set")


@dataclass
class SurpassSite:
    """Where the agreement scenarios run: a sandbox tenant or a real site."""

    url: str
    username: str
    password: str
    tenant: Any = None  # the plugin's SandboxTenant, or None on a real site
    _clients: list[SurpassClient] = field(default_factory=list)
    _scheduled: list[tuple[SurpassClient, str]] = field(default_factory=list)

    @property
    def is_sandbox(self) -> bool:
        return self.tenant is not None

    def client(self, username: str | None = None, password: str | None = None,
               **options: Any) -> SurpassClient:
        options.setdefault("retries", 0)  # a contract test wants the first answer
        made = SurpassClient(self.url, username or self.username,
                             self.password if password is None else password, **options)
        self._clients.append(made)
        return made

    def data(self, name: str) -> str:
        """A reference the scenario needs (environment, or the sandbox seed's)."""
        variable, seeded = SCENARIO_DATA[name]
        value = os.environ.get(variable)
        if value:
            return value
        if self.is_sandbox:
            return seeded
        pytest.skip(f"set {variable} to run this scenario against {self.url}")

    def cleanup_later(self, client: SurpassClient, keycode: str) -> None:
        """Delete this test session when the test ends (a real site keeps no litter)."""
        self._scheduled.append((client, keycode))

    def close(self) -> None:
        for client, keycode in reversed(self._scheduled):
            # NotFound: the test deleted it; Validation: it is no longer editable.
            with contextlib.suppress(NotFoundError, ValidationError):
                client.delete_schedule(keycode)
        for c in self._clients:
            c.close()

    def expect_codes(self, error: Exception, *codes: int) -> None:
        """The sandbox's ErrorCodes are ours (assumed); a real site's may differ."""
        if self.is_sandbox:
            assert [e.code for e in error.errors] == list(codes), error.errors


@pytest.fixture()
def surpass_site(request: pytest.FixtureRequest) -> Iterator[SurpassSite]:
    url = request.config.getoption(OPTION, default=None)
    if url:
        site = SurpassSite(url, os.environ[ENV_USERNAME], os.environ[ENV_PASSWORD])
    else:
        tenant = request.getfixturevalue("sandbox_tenant")
        own = tenant.surpass_credentials
        site = SurpassSite(tenant.surpass_url, own.username, own.password, tenant)
    try:
        yield site
    finally:
        site.close()
