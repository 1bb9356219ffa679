"""pytest plugin: a served exam-sandbox, a fresh tenant per test, and a client bound to it.

Installed with the package (entry point ``pytest11``), so ``pip install exam-sandbox`` is
all a project needs::

    def test_schedules_once(surpass_client, sandbox_tenant):
        surpass_client.schedule_test(test="MATHS-FND", centre="CEN001", candidate="CAND00021",
                                     start_date="01/07/2030", start_time="0900", end_time="1700")
        sandbox_tenant.journal.assert_called("POST", "TestSchedule", times=1)

Fixtures:

* ``sandbox`` (session): ``exam-sandbox serve`` -- the real CLI and granian -- in a
  subprocess on a free port with a temporary data folder, started on first use and
  stopped at the end of the session. ``--sandbox-url URL`` uses a running one instead;
  ``--sandbox-database-url URL`` serves it on that database (e.g. PostgreSQL) instead.
* ``sandbox_tenant``: a fresh, isolated tenant, deleted after the test, with its
  ``credentials``, ``clock``, ``settings``, ``journal`` and Surpass users at hand.
  ``@pytest.mark.sandbox_tenant(seed=7)`` picks its seed.
* one client fixture per vendor, named by its description (``client_fixture``):
  ``surpass_client``, a :class:`exam_sandbox.client.surpass.SurpassClient` logged in as
  that tenant's user; ``janison_client``, a :class:`exam_sandbox.client.janison.JanisonClient`
  with its subscription key and bearer token. ``sandbox_tenant.client(name)`` and
  ``sandbox_tenant.url(name)`` (also ``<name>_url``) do the same for any vendor.
  ``sandbox_tenant.complete(schedule_id, scores=...)`` sits a Janison test schedule, so
  its results can be read; ``cirrus_client`` is a
  :class:`exam_sandbox.client.cirrus.CirrusClient` with the tenant's EAPI token, and
  ``sandbox_tenant.cirrus_complete(schedule, candidate, score=...)`` sits a Cirrus test
  (``cirrus_publish_assessment``, ``cirrus_publish``: the other Cirrus controls);
  ``itep_client`` is a :class:`exam_sandbox.client.itep.ItepClient` with the tenant's AP
  key, and ``sandbox_tenant.itep_set_status(test_id, "Complete")`` finishes an iTEP test
  (``itep_add_inventory``, ``itep_tracking_code``, ``itep_outbox`` ...: ItepControls).
* ``webhook_receiver``: a real HTTP server recording the webhooks sent to it, and
  ``sandbox_tenant.webhooks()``, the deliveries (``exam_sandbox.pytest_webhooks``).

Nothing is started unless a test asks for one of these fixtures. The controls speak to
``/_sandbox`` with plain ``requests``. Of the sandbox package only the vendors'
descriptions are imported (pure data: no Flask, no database), so the fixtures and URLs
loop over the vendors; a new vendor gets its fixture without an edit here.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from exam_sandbox.providers import all_descriptions
from exam_sandbox.pytest_controls import (
    CirrusControls,
    CirrusSat,
    Clock,
    CompletedResult,
    Completion,
    Credentials,
    EnrolledCandidate,
    JanisonCredentials,
    Journal,
    JournalEntry,
)
from exam_sandbox.pytest_itep import ItepControls, ItepMessage, ItepTest
from exam_sandbox.pytest_webhooks import Webhooks, webhook_receiver  # noqa: F401 (a fixture)

if TYPE_CHECKING:
    import requests

    from exam_sandbox.client.janison import JanisonClient
    from exam_sandbox.client.surpass import SurpassClient

__all__ = [
    "CirrusControls",
    "CirrusSat",
    "Clock",
    "CompletedResult",
    "Completion",
    "Credentials",
    "EnrolledCandidate",
    "ItepControls",
    "ItepMessage",
    "ItepTest",
    "JanisonCredentials",
    "Journal",
    "JournalEntry",
    "Sandbox",
    "SandboxError",
    "SandboxTenant",
    "Webhooks",
    "serve_sandbox",
]

# The token every /_sandbox request carries when the environment gives one: a sandbox
# the plugin starts inherits it (and requires it); one at --sandbox-url may require it.
ENV_ADMIN_TOKEN = "EXAM_SANDBOX_ADMIN_TOKEN"
# Control writes must be JSON (the sandbox refuses anything else, as a CSRF guard).
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
START_TIMEOUT = 60.0  # a loaded CI machine; a quiet one is ready in about a second
ADMIN_TIMEOUT = 30.0
_BANNER = re.compile(r"serving on (http://\S+?:\d+)\s")
# What each vendor says about itself (exam_sandbox.core.description), by name.
DESCRIPTIONS = {d.name: d for d in all_descriptions()}


class SandboxError(RuntimeError):
    """A ``/_sandbox`` control failed, or the sandbox could not be started."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("exam-sandbox")
    group.addoption(
        "--sandbox-url",
        metavar="URL",
        default=None,
        help="use the exam-sandbox already serving at URL (e.g. http://127.0.0.1:8080) "
        "instead of starting one for the test session",
    )
    group.addoption(
        "--sandbox-database-url",
        metavar="URL",
        default=None,
        help="serve the session's sandbox on this database (e.g. "
        "postgresql+psycopg://USER@HOST/DB, shared by every xdist worker's sandbox) "
        "instead of a temporary SQLite folder",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sandbox_tenant(seed=None): options of the test's sandbox_tenant (its data seed)",
    )


# --------------------------------------------------------------------------- the server


def _cli() -> list[str]:
    script = shutil.which("exam-sandbox", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "exam_sandbox.cli"]


def _http():
    import requests  # lazily: the plugin loads in every pytest run, most never serve

    return requests


@dataclass
class Sandbox:
    """A running sandbox: ``url`` (e.g. ``http://127.0.0.1:40123``) and its controls."""

    url: str
    process: subprocess.Popen | None = None
    log: Path | None = None
    admin_token: str | None = field(
        default_factory=lambda: os.environ.get(ENV_ADMIN_TOKEN) or None, repr=False
    )
    _session: Any = field(default=None, repr=False)

    def vendor_url(self, name: str) -> str:
        """The base URL to give ``name``'s client (``<url>/surpass``, ``<url>/janison/api``);
        also ``sandbox.<name>_url``."""
        return f"{self.url}{_description(name).client_base_path}"

    @property
    def janison_token_url(self) -> str:
        """Janison's OAuth2 token endpoint (client credentials): ``<url>/janison/oauth2/token``."""
        return f"{self.url}/janison/oauth2/token"

    def admin(self, method: str, path: str, *, expect: int | tuple[int, ...] = 200,
              **kwargs: Any) -> requests.Response:
        """Call ``/_sandbox<path>``; raise :class:`SandboxError` unless the status is ``expect``."""
        if self._session is None:
            self._session = _http().Session()
            if self.admin_token:
                self._session.headers["Authorization"] = f"Bearer {self.admin_token}"
        if method.upper() in _BODY_METHODS and "json" not in kwargs and "data" not in kwargs:
            kwargs["json"] = {}  # a control with nothing to say still says it in JSON
        response = self._session.request(
            method, f"{self.url}/_sandbox{path}", timeout=ADMIN_TIMEOUT, **kwargs
        )
        wanted = (expect,) if isinstance(expect, int) else expect
        if response.status_code not in wanted:
            raise SandboxError(
                f"{method} /_sandbox{path} -> {response.status_code}: {response.text[:500]}"
            )
        return response

    def create_tenant(self, *, seed: int | None = None, tenant: str | None = None
                      ) -> SandboxTenant:
        """A new tenant (random id unless ``tenant`` names one), seeded with ``seed``."""
        body = {k: v for k, v in {"seed": seed, "tenant": tenant}.items() if v is not None}
        data = self.admin("POST", "/tenants", json=body, expect=201).json()
        return SandboxTenant(self, data["tenant"], data["seed"], data["credentials"],
                             data.get("webhook_secret"))

    def healthy(self) -> bool:
        try:
            return _http().get(f"{self.url}/health", timeout=5).status_code == 200
        except _http().RequestException:
            return False

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log else ""

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the server (and its workers), then SIGKILL what is left."""
        if self._session is not None:
            self._session.close()
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)  # its own group: stray workers too
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)


def serve_sandbox(data_dir: Path, *, workers: int = 1, threads: int = 4,
                  timeout: float = START_TIMEOUT, database_url: str | None = None) -> Sandbox:
    """Start ``exam-sandbox serve --port 0 --data-dir DATA_DIR`` (or ``--database-url``,
    its log still in DATA_DIR); return once /health is 200."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / "serve.log"
    store = ["--database-url", database_url] if database_url else ["--data-dir", str(data_dir)]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*_cli(), "serve", "--port", "0", *store,
             "--workers", str(workers), "--threads", str(threads)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a process group of its own, so stop() reaches workers
        )
    sandbox = Sandbox("", process, log)
    deadline = time.monotonic() + timeout
    try:
        while not sandbox.url:
            found = _BANNER.search(sandbox.output)
            if found:
                sandbox.url = found.group(1)
            elif process.poll() is not None or time.monotonic() > deadline:
                raise SandboxError(f"exam-sandbox serve printed no address:\n{sandbox.output}")
            else:
                time.sleep(0.02)
        while not sandbox.healthy():
            if process.poll() is not None or time.monotonic() > deadline:
                raise SandboxError(f"exam-sandbox /health never answered:\n{sandbox.output}")
            time.sleep(0.02)
    except BaseException:
        sandbox.stop()
        raise
    return sandbox


# --------------------------------------------------------------------------- a tenant


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class SandboxTenant(CirrusControls, ItepControls):
    """A tenant of a served sandbox and its controls (plain JSON over ``/_sandbox``);
    Cirrus's come from :class:`CirrusControls`, iTEP's from :class:`ItepControls`."""

    def __init__(self, sandbox: Sandbox, tenant_id: str, seed: int,
                 credentials: dict[str, dict[str, str]], webhook_secret: str | None = None
                 ) -> None:
        self.sandbox = sandbox
        self.id = tenant_id
        self.seed = seed
        #: Per provider: ``credentials["surpass"]["username"]`` / ``["password"]``,
        #: ``credentials["janison"]["subscriptionKey"]`` / ``["token"]`` ...
        self.credentials = credentials
        self.clock = Clock(self)
        self.journal = Journal(self)
        #: Keys ``X-Sandbox-Signature`` (``webhook_receiver.verify(secret, request)``).
        self.webhook_secret = webhook_secret
        self.webhooks = Webhooks(self)

    def __repr__(self) -> str:
        return f"SandboxTenant(id={self.id!r}, seed={self.seed}, url={self.sandbox.url!r})"

    def admin(self, method: str, path: str = "", **kwargs: Any) -> requests.Response:
        return self.sandbox.admin(method, f"/tenants/{self.id}{path}", **kwargs)

    # -- any vendor (what the descriptions say); the ``<name>_url`` attributes and the
    # ``<name>_client`` fixtures are made from these for every vendor listed.
    def url(self, name: str) -> str:
        """The base URL to give ``name``'s client; also ``sandbox_tenant.<name>_url``."""
        return self.sandbox.vendor_url(name)

    def client(self, name: str, **options: Any) -> Any:
        """``name``'s real client, bound to this tenant's credentials; ``options`` go to its
        constructor (and may replace a credential, e.g. ``username=``)."""
        description = _description(name)
        module, _, cls = description.client.partition(":")
        arguments = description.client_arguments(self.credentials[name])
        return getattr(import_module(module), cls)(self.url(name), **{**arguments, **options})

    # -- Surpass
    @property
    def surpass_credentials(self) -> Credentials:
        c = self.credentials["surpass"]
        return Credentials(c["username"], c["password"])

    def surpass_client(self, username: str | None = None, password: str | None = None,
                       **options: Any) -> SurpassClient:
        """A client for this tenant: its own user, or ``username``/``password``."""
        if username is not None:
            options["username"] = username
        if password is not None:
            options["password"] = password
        return self.client("surpass", **options)

    def surpass_user(self, username: str, password: str = "secret-password", *,
                     permissions: list[str] | tuple[str, ...] = (),
                     centres: list[Any] | tuple[Any, ...] = (),
                     subjects: list[Any] | tuple[Any, ...] = ()) -> Credentials:
        """Create a Surpass API user with only these permissions and associations
        (centres/subjects by reference or id), to provoke Surpass's 403s."""
        self.admin("POST", "/surpass/users", expect=201, json={
            "username": username, "password": password, "permissions": list(permissions),
            "centres": list(centres), "subjects": list(subjects),
        })
        return Credentials(username, password)

    # -- Janison
    @property
    def janison_credentials(self) -> JanisonCredentials:
        c = self.credentials["janison"]
        return JanisonCredentials(c["subscriptionKey"], c["token"], c["clientId"],
                                  c["clientSecret"])

    def janison_client(self, *, oauth: bool = False, **options: Any) -> JanisonClient:
        """A Janison client for this tenant: its subscription key and static bearer token,
        or (``oauth=True``) a token got with its client id and secret."""
        own = self.janison_credentials
        if oauth:
            options.update(client_id=own.client_id, client_secret=own.client_secret,
                           token_url=self.sandbox.janison_token_url, token=None)
        elif {"token_provider", "client_id"} & set(options):
            options.setdefault("token", None)
        return self.client("janison", **options)

    def complete(self, schedule_id: int, scores: dict[str, int] | None = None, *,
                 candidates: list[int] | None = None) -> Completion:
        """Sit a Janison test schedule (a sandbox control): its enrolments' components not
        yet completed are completed, with ``scores`` (raw 0-100 by component reference; the
        others derived from the seed), and their results written. ``candidates`` (ids)
        limits it to some enrolments. Returns a :class:`Completion`: ``test_schedule`` and
        ``results`` (``id``, ``reference``, ``candidate``, ``test_session_id``,
        ``final_scale_score``, ``overall_cefr_grade``)."""
        body: dict[str, Any] = {}
        if scores is not None:
            body["scores"] = dict(scores)
        if candidates is not None:
            body["candidates"] = list(candidates)
        return Completion.from_admin(self.admin(
            "POST", f"/janison/testschedule/{schedule_id}/complete", json=body
        ).json())

    # -- settings, reset, delete
    def settings(self, provider: str = "surpass") -> dict[str, Any]:
        """Every site setting of ``provider`` with its current value."""
        return self.admin("GET", f"/settings/{provider}").json()

    def update_settings(self, provider: str = "surpass", /, **changes: Any) -> dict[str, Any]:
        """Change some settings (``purchaseOrderRequired=True`` or
        ``purchase_order_required=True``); return them all."""
        body = {_camel(k): v for k, v in changes.items()}
        return self.admin("PATCH", f"/settings/{provider}", json=body).json()

    def reset(self) -> None:
        """Back to the seeded data and default settings (the clock and journal stay)."""
        self.admin("POST", "/reset", json={})

    def delete(self) -> None:
        self.admin("DELETE", expect=(204, 404))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def sandbox(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Sandbox]:
    """A served exam-sandbox for the whole test session (or ``--sandbox-url``'s)."""
    url = request.config.getoption("--sandbox-url", default=None)
    if url:
        running = Sandbox(url.rstrip("/"))
        if not running.healthy():
            raise SandboxError(f"--sandbox-url {url}: GET /health did not answer 200")
        yield running
        running.stop()
        return
    served = serve_sandbox(
        tmp_path_factory.mktemp("exam-sandbox"),
        database_url=request.config.getoption("--sandbox-database-url", default=None),
    )
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture()
def sandbox_tenant(sandbox: Sandbox, request: pytest.FixtureRequest
                   ) -> Iterator[SandboxTenant]:
    """A fresh tenant for this test, deleted afterwards."""
    marker = request.node.get_closest_marker("sandbox_tenant")
    options = dict(marker.kwargs) if marker else {}
    tenant = sandbox.create_tenant(seed=options.get("seed"))
    try:
        yield tenant
    finally:
        with contextlib.suppress(SandboxError, _http().RequestException):
            tenant.delete()


def _description(name: str):
    try:
        return DESCRIPTIONS[name]
    except KeyError:
        raise SandboxError(f"no vendor {name!r} (have: {', '.join(DESCRIPTIONS)})") from None


def _url_attribute(name: str) -> property:
    # Sandbox.vendor_url and SandboxTenant.url answer the same for the same sandbox.
    def url(owner: Sandbox | SandboxTenant) -> str:
        sandbox = owner if isinstance(owner, Sandbox) else owner.sandbox
        return sandbox.vendor_url(name)

    return property(url, doc=f"The base URL to give {name}'s client.")


def _client_fixture(name: str) -> Callable[..., Iterator[Any]]:
    def fixture(sandbox_tenant: SandboxTenant) -> Iterator[Any]:
        with sandbox_tenant.client(name) as client:
            yield client

    fixture.__doc__ = f"A {_description(name).title} client bound to the test's tenant."
    return pytest.fixture(name=_description(name).client_fixture)(fixture)


# Every vendor listed gets ``<name>_url`` on the sandbox and the tenant, and its client
# fixture (``surpass_client``, ``janison_client``, ...): the fixture is found by pytest as
# a module attribute, whatever the attribute is called.
for _name in DESCRIPTIONS:
    setattr(Sandbox, f"{_name}_url", _url_attribute(_name))
    setattr(SandboxTenant, f"{_name}_url", _url_attribute(_name))
    globals()[f"_{_name}_client_fixture"] = _client_fixture(_name)
