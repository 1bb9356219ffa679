"""Where the Janison agreement scenarios run: a fresh sandbox tenant, or a real site.

    pytest contracts/test_janison_agreement.py                       # a served sandbox
    JANISON_SUBSCRIPTION_KEY=k JANISON_TOKEN=t \\
        pytest contracts/test_janison_agreement.py --janison-url https://x.example/api

Against a real site, tests marked ``sandbox_only`` are skipped (they need ``/_sandbox``:
the ``/complete`` control, settings, the clock). Scenarios that enrol need a test package,
a centre and candidates the site has, named by ``JANISON_TEST_PACKAGE``,
``JANISON_CENTRE``, ``JANISON_CANDIDATES`` (two or more references, comma-separated) and
``JANISON_COMPONENT`` (one component of the package, for a resit); creating a candidate
needs ``JANISON_TEST`` (a test the candidate takes). On the sandbox these default to the
seeded data. Whatever a test schedules it retires again; a candidate it creates it
retires (Janison has no way to delete one).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from exam_sandbox.client.janison import ConflictError, JanisonClient, NotFoundError, ValidationError

ENV_KEY, ENV_TOKEN = "JANISON_SUBSCRIPTION_KEY", "JANISON_TOKEN"
OPTION = "--janison-url"
# (environment variable, the sandbox seed's value): the data a scenario uses.
SCENARIO_DATA = {
    "test_package": ("JANISON_TEST_PACKAGE", "ENG-GEN-4S"),  # four skills, 3 to 5 versions
    "centre": ("JANISON_CENTRE", "CTR001"),
    "candidates": ("JANISON_CANDIDATES", "CAN0011,CAN0012,CAN0013"),  # none enrolled yet
    "component": ("JANISON_COMPONENT", "ENG-GEN-4S-W"),  # Writing: three versions
    "test": ("JANISON_TEST", "ENG-GEN"),
}
# The fixtures contracts/conftest.py exposes from this module.
FIXTURES = ("janison_site", "janison_client")


def add_option(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        metavar="URL",
        default=None,
        help="run the Janison agreement scenarios against this real site's API (its base "
        f"URL, ending /api) with ${ENV_KEY} and ${ENV_TOKEN}; tests that need /_sandbox "
        "controls are skipped",
    )


@dataclass
class JanisonSite:
    """A sandbox tenant or a real site, its credentials, and what a test leaves behind."""

    url: str
    subscription_key: str
    token: str
    tenant: Any = None  # the plugin's SandboxTenant, or None on a real site
    _clients: list[JanisonClient] = field(default_factory=list)
    _schedules: list[tuple[JanisonClient, int]] = field(default_factory=list)
    _candidates: list[tuple[JanisonClient, int]] = field(default_factory=list)

    @property
    def is_sandbox(self) -> bool:
        return self.tenant is not None

    def client(self, subscription_key: str | None = None, token: str | None = None,
               **options: Any) -> JanisonClient:
        options.setdefault("retries", 0)  # a contract test wants the first answer
        if not {"token_provider", "client_id"} & set(options):
            options["token"] = self.token if token is None else token
        made = JanisonClient(self.url, subscription_key or self.subscription_key, **options)
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

    def candidates(self, how_many: int = 2) -> list[str]:
        found = [c.strip() for c in self.data("candidates").split(",") if c.strip()]
        if len(found) < how_many:
            variable = SCENARIO_DATA["candidates"][0]
            pytest.skip(f"the scenario needs {how_many} candidates in {variable}")
        return found[:how_many]

    def unique(self, prefix: str) -> str:
        """A reference no other run has used (a real site keeps what we create)."""
        return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"

    def delete_schedule_later(self, client: JanisonClient, schedule_id: int) -> None:
        self._schedules.append((client, schedule_id))

    def delete_candidate_later(self, client: JanisonClient, candidate_id: int) -> None:
        self._candidates.append((client, candidate_id))

    def close(self) -> None:
        # Conflict: already retired, or sat (no longer planned); NotFound: never made.
        for client, schedule_id in reversed(self._schedules):
            with contextlib.suppress(ConflictError, NotFoundError, ValidationError):
                client.delete_schedule(schedule_id)
        for client, candidate_id in reversed(self._candidates):
            with contextlib.suppress(ConflictError, NotFoundError):
                client.delete_candidate(candidate_id)
        for c in self._clients:
            c.close()

    def expect_codes(self, error: Exception, *codes: int) -> None:
        """The sandbox's error codes are ours (assumed); a real site's may differ."""
        if self.is_sandbox:
            assert [e.code for e in error.errors] == list(codes), error.errors


def check_environment(config: pytest.Config) -> None:
    if config.getoption(OPTION, default=None):
        missing = [v for v in (ENV_KEY, ENV_TOKEN) if not os.environ.get(v)]
        if missing:
            raise pytest.UsageError(f"{OPTION} needs {' and '.join(missing)} set")


@pytest.fixture()
def janison_site(request: pytest.FixtureRequest) -> Iterator[JanisonSite]:
    url = request.config.getoption(OPTION, default=None)
    if url:
        site = JanisonSite(url.rstrip("/"), os.environ[ENV_KEY], os.environ[ENV_TOKEN])
    else:
        tenant = request.getfixturevalue("sandbox_tenant")
        own = tenant.janison_credentials
        site = JanisonSite(tenant.janison_url, own.subscription_key, own.token, tenant)
    try:
        yield site
    finally:
        site.close()


@pytest.fixture()
def janison_client(janison_site: JanisonSite) -> JanisonClient:
    """Here, the plugin's fixture of the same name, or a client of ``--janison-url``."""
    return janison_site.client()
