"""Where the Cirrus agreement scenarios run: a fresh sandbox tenant, or a real site.

    pytest contracts/test_cirrus_agreement.py                        # a served sandbox
    CIRRUS_TOKEN=... CIRRUS_ASSESSMENT=MATH-101 \\
        pytest contracts/test_cirrus_agreement.py \\
        --cirrus-url https://api.cirrusplatform.com/api/v1/integrations

Against a real site, tests marked ``sandbox_only`` are skipped (they need ``/_sandbox``:
the ``complete`` and ``publish`` controls, settings, the clock, the webhook list).
Scenarios that schedule need a published assessment the site has, named by
``CIRRUS_ASSESSMENT`` (its external id); on the sandbox it defaults to the seeded
``MATH-101``. Every schedule and candidate a test makes has an external id no other run
used; whatever a test schedules it deletes again (Cirrus keeps the candidates: it has no
way to delete one through the integrations API).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from exam_sandbox.client.cirrus import (
    Candidate,
    CirrusClient,
    ExternalIdNotFoundError,
    ValidationError,
)

ENV_TOKEN = "CIRRUS_TOKEN"
OPTION = "--cirrus-url"
# (environment variable, the sandbox seed's value): the data a scenario uses.
SCENARIO_DATA = {
    "assessment": ("CIRRUS_ASSESSMENT", "MATH-101"),  # published, scheduled by the tests
}
# The fixtures contracts/conftest.py exposes from this module.
FIXTURES = ("cirrus_site", "cirrus_client")


def add_option(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        metavar="URL",
        default=None,
        help="run the Cirrus agreement scenarios against this real site's integrations API "
        f"(its base URL, ending /api/v1/integrations) with the EAPI token ${ENV_TOKEN}; "
        "tests that need /_sandbox controls are skipped",
    )


def check_environment(config: pytest.Config) -> None:
    if config.getoption(OPTION, default=None) and not os.environ.get(ENV_TOKEN):
        raise pytest.UsageError(f"{OPTION} needs {ENV_TOKEN} set")


@dataclass
class CirrusSite:
    """A sandbox tenant or a real site, its EAPI token, and what a test leaves behind."""

    url: str
    token: str
    tenant: Any = None  # the plugin's SandboxTenant, or None on a real site
    _clients: list[CirrusClient] = field(default_factory=list)
    _schedules: list[tuple[CirrusClient, str]] = field(default_factory=list)

    @property
    def is_sandbox(self) -> bool:
        return self.tenant is not None

    def client(self, token: str | None = None, **options: Any) -> CirrusClient:
        options.setdefault("retries", 0)  # a contract test wants the first answer
        made = CirrusClient(self.url, self.token if token is None else token, **options)
        self._clients.append(made)
        return made

    def data(self, name: str) -> str:
        """An external id the scenario needs (environment, or the sandbox seed's)."""
        variable, seeded = SCENARIO_DATA[name]
        value = os.environ.get(variable)
        if value:
            return value
        if self.is_sandbox:
            return seeded
        pytest.skip(f"set {variable} to run this scenario against {self.url}")

    def unique(self, prefix: str) -> str:
        """An external id no other run has used (a real site keeps what we create)."""
        return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"

    def candidates(self, how_many: int = 2) -> list[Candidate]:
        """New candidates with ids of their own (Cirrus makes a user of each)."""
        names = [("Ada", "Lovelace"), ("Alan", "Turing"), ("Grace", "Hopper")]
        made = []
        for first, last in names[:how_many]:
            ext_id = self.unique("AGREE-CAND")
            made.append(Candidate(ext_id, first, last, f"{ext_id.lower()}@example.org"))
        return made

    def window(self, days: int = 30) -> tuple[dt.datetime, dt.datetime]:
        """A window well after now, on any clock: 09:00-17:00 UTC ``days`` from today."""
        day = dt.date.today() + dt.timedelta(days=days)
        start = dt.datetime.combine(day, dt.time(9), dt.UTC)
        return start, start + dt.timedelta(hours=8)

    def delete_schedule_later(self, client: CirrusClient, schedule_ext_id: str | None) -> None:
        if schedule_ext_id:
            self._schedules.append((client, schedule_ext_id))

    def close(self) -> None:
        # ExternalIdNotFound: the test deleted it; Validation: it has attempts (sat).
        for client, schedule_ext_id in reversed(self._schedules):
            with contextlib.suppress(ExternalIdNotFoundError, ValidationError):
                client.delete_schedule(schedule_ext_id)
        for c in self._clients:
            c.close()


@pytest.fixture()
def cirrus_site(request: pytest.FixtureRequest) -> Iterator[CirrusSite]:
    url = request.config.getoption(OPTION, default=None)
    if url:
        site = CirrusSite(url.rstrip("/"), os.environ[ENV_TOKEN])
    else:
        tenant = request.getfixturevalue("sandbox_tenant")
        site = CirrusSite(tenant.cirrus_url, tenant.credentials["cirrus"]["token"], tenant)
    try:
        yield site
    finally:
        site.close()


@pytest.fixture()
def cirrus_client(cirrus_site: CirrusSite) -> CirrusClient:
    """Here, the plugin's fixture of the same name, or a client of ``--cirrus-url``."""
    return cirrus_site.client()
