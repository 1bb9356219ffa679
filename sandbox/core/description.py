"""What a vendor says about itself, for everything that lists the vendors.

The CLI banner and ``openapi`` command, the landing page, the pytest plugin and the
test suites loop over these instead of naming vendors, so adding a vendor touches only
its own folders and one entry in ``exam_sandbox.providers``.

Pure data, importing nothing heavy: the pytest plugin reads it without Flask or the
database (it drives a served sandbox over HTTP).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProviderDescription:
    """One vendor as the sandbox presents it.

    ``api_path`` is where its API lives under the sandbox (what a client's base URL
    ends in, e.g. ``/surpass`` for Surpass, whose paths begin ``/api/v2``);
    ``client_base_path`` is the base URL's path a client is given. ``demo_credentials``
    are the demo tenant's, shown on the banner, the landing page and the docs.
    ``client`` is ``"module:Class"`` of its real client; ``client_fixture`` the pytest
    fixture that hands a test one bound to its tenant. ``client_credentials`` says how a
    tenant's credentials (as ``/_sandbox`` lists them) become that client's arguments:
    ``{constructor keyword: credential key}``; the client's base URL is its first one.
    """

    name: str
    title: str
    summary: str
    client_base_path: str
    api_path: str
    demo_credentials: dict[str, str]
    client: str
    client_fixture: str
    client_credentials: dict[str, str] = field(default_factory=dict)

    @property
    def mount(self) -> str:
        return f"/{self.name}"

    @property
    def docs_path(self) -> str:
        return f"{self.mount}/docs"

    @property
    def openapi_path(self) -> str:
        return f"{self.mount}/openapi.json"

    def client_arguments(self, credentials: dict[str, str]) -> dict[str, str]:
        """A tenant's credentials of this vendor as its client's keyword arguments."""
        return {keyword: credentials[key] for keyword, key in self.client_credentials.items()}
