"""Where the iTEP agreement scenarios run: a fresh sandbox tenant, or a real site.

    pytest contracts/test_itep_agreement.py                          # a served sandbox
    ITEP_API_KEY=... ITEP_SPEND_TEST_IDS=1 \\
        pytest contracts/test_itep_agreement.py --itep-url https://<site>/api/v1

Against a real site, tests marked ``sandbox_only`` are skipped (they need ``/_sandbox``:
the inventory, tracking code, status and key controls, settings, the outbox, the
AVAILABLE TESTS export, the webhook list). iTEP publishes no API reference, so a real
site's base URL, route names and key placement may differ from the sandbox's
(``docs/providers/itep-wire.md``): ``ItepClient``'s options say how, and a scenario
that finds them different fails, which is the point.

Every test ID a scenario assigns is a test ID used up, and at iTEP test IDs are bought:
against a real site, the scenarios that assign run only with ``ITEP_SPEND_TEST_IDS=1``
(each assigns one or two); the others (a missing or wrong key, refused bodies) use
nothing. On the sandbox each test has a tenant of its own, with its 20 available test
IDs per product code.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from exam_sandbox.client.itep import Candidate, ItepClient

ENV_KEY = "ITEP_API_KEY"
ENV_SPEND = "ITEP_SPEND_TEST_IDS"
OPTION = "--itep-url"
# The fixtures contracts/conftest.py exposes from this module.
FIXTURES = ("itep_site", "itep_client")


def add_option(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        metavar="URL",
        default=None,
        help="run the iTEP agreement scenarios against this real site (its base URL, "
        f"the sandbox's is .../itep/api/v1) with the API key ${ENV_KEY}; scenarios that "
        f"assign a test ID (bought ones) also need {ENV_SPEND}=1; tests that need "
        "/_sandbox controls are skipped",
    )


def check_environment(config: pytest.Config) -> None:
    if config.getoption(OPTION, default=None) and not os.environ.get(ENV_KEY):
        raise pytest.UsageError(f"{OPTION} needs {ENV_KEY} set")


@dataclass
class ItepSite:
    """A sandbox tenant or a real site, its API key (one product code's), and the
    clients a test made."""

    url: str
    api_key: str
    tenant: Any = None  # the plugin's SandboxTenant, or None on a real site
    _clients: list[ItepClient] = field(default_factory=list)

    @property
    def is_sandbox(self) -> bool:
        return self.tenant is not None

    def client(self, api_key: str | None = None, **options: Any) -> ItepClient:
        """A client of the site with its key (or ``api_key``); ``options`` go to
        ``ItepClient`` (``key_in="query"``, ``assigned_to_as="text"`` ...)."""
        options.setdefault("retries", 0)  # a contract test wants the first answer
        made = ItepClient(self.url, self.api_key if api_key is None else api_key, **options)
        self._clients.append(made)
        return made

    def spend(self, how_many: int = 1) -> None:
        """Skip the test on a real site unless ``ITEP_SPEND_TEST_IDS=1``: it assigns
        ``how_many`` test IDs, which iTEP sells."""
        if not self.is_sandbox and os.environ.get(ENV_SPEND) != "1":
            pytest.skip(
                f"assigns {how_many} test ID(s) of {self.url}; set {ENV_SPEND}=1 to spend them"
            )

    def unique(self, prefix: str) -> str:
        """An id no other run has used (a real site keeps what we assign)."""
        return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"

    def candidate(self, name: str = "Ada Lovelace", **extra: Any) -> Candidate:
        """A candidate with a reference (and so an e-mail address) of its own."""
        reference = self.unique("AGREE")
        return Candidate(name, f"{reference.lower()}@example.org", reference, **extra)

    def close(self) -> None:
        for c in self._clients:
            c.close()


@pytest.fixture()
def itep_site(request: pytest.FixtureRequest) -> Iterator[ItepSite]:
    url = request.config.getoption(OPTION, default=None)
    if url:
        site = ItepSite(url.rstrip("/"), os.environ[ENV_KEY])
    else:
        tenant = request.getfixturevalue("sandbox_tenant")
        site = ItepSite(tenant.itep_url, tenant.credentials["itep"]["api_key"], tenant)
    try:
        yield site
    finally:
        site.close()


@pytest.fixture()
def itep_client(itep_site: ItepSite) -> ItepClient:
    """Here, the plugin's fixture of the same name, or a client of ``--itep-url``."""
    return itep_site.client()
