"""``exam-sandbox serve`` as a user runs it: the real CLI in a subprocess, over HTTP.

Covers the promises of the serve command: ``--port 0`` picks and prints a port,
``/health`` answers once the sandbox is ready, several workers share one state, a write
answered 2xx survives ``kill -9`` and a restart with ``--data-dir``, and without it the
data lives in a temporary folder that a clean shutdown removes. Also the ``openapi``
command, in-process.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pytest
import requests

from exam_sandbox import cli

# Store-independent (the server process, on its SQLite data folder (test_cross_replica
# serves PostgreSQL)): the PostgreSQL run leaves it out (tests/postgres_run.py).
pytestmark = pytest.mark.store_independent

START_TIMEOUT = 60.0  # generous: a loaded CI machine; a quiet one takes well under 1 s
BANNER = re.compile(r"serving on (http://\S+?:(\d+))\s")
_logs = count()


def cli_command() -> list[str]:
    """The installed console script, or the module when only the package is importable."""
    script = shutil.which("exam-sandbox", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "exam_sandbox.cli"]


@dataclass
class Served:
    """A running ``exam-sandbox serve``: its process group, base URL and output."""

    process: subprocess.Popen
    base: str
    port: int
    log: Path

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.base + path, timeout=10, **kwargs)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, self.base + path, timeout=10, **kwargs)

    def stop(self, signum: int = signal.SIGTERM, *, group: bool = False) -> int:
        """Signal the parent (as a supervisor does) or its whole process group (as Ctrl-C
        in a terminal does), and wait for it to exit."""
        if self.process.poll() is None:
            if group:
                os.killpg(self.process.pid, signum)
            else:
                self.process.send_signal(signum)
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired as exc:
            self.kill()
            raise AssertionError(f"serve did not exit on signal {signum}:\n{self.output}") from exc

    def kill(self) -> None:
        """``kill -9`` the whole process group: the parent and every worker, at once."""
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)


def serve(log_dir: Path, *args: str) -> Served:
    """Start ``exam-sandbox serve --port 0 ARGS`` and return once /health answers 200."""
    log = log_dir / f"serve-{next(_logs)}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*cli_command(), "serve", "--port", "0", *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so kill() reaches the workers
        )
    served = None
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while served is None:
            found = BANNER.search(log.read_text(errors="replace"))
            if found:
                served = Served(process, found.group(1), int(found.group(2)), log)
            elif process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"serve printed no address:\n{log.read_text()}")
            else:
                time.sleep(0.01)
        while True:
            try:
                if served.get("/health").status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"/health never answered 200:\n{log.read_text()}")
            time.sleep(0.01)
        _every_worker_up(served, _workers(args))
        return served
    except BaseException:
        Served(process, "", 0, log).kill()
        raise


def _workers(args: tuple[str, ...]) -> int:
    return int(args[args.index("--workers") + 1]) if "--workers" in args else 2


def _every_worker_up(served: Served, workers: int, wait: float = 10.0) -> None:
    """Until every worker has answered /health (each answer names its process), for at
    most ``wait`` seconds: a test that stops the server right after start-up stops it
    with every worker serving. A signal that reaches a worker while granian is still
    starting it (on a loaded machine, seconds after the first answer) can be lost inside
    granian, which then kills the worker after its timeout ("refused to gracefully
    stop"): granian's start-up, not the sandbox's stop, which is what these tests check."""
    seen: set[int] = set()
    until = time.monotonic() + wait
    while len(seen) < workers and time.monotonic() < until:
        with contextlib.suppress(requests.ConnectionError):
            seen.add(served.get("/health").json()["worker"])  # a new connection each time
        time.sleep(0.01)


def data_file(served: Served) -> Path:
    found = re.search(r"Data\s+(\S+)\s+\((temporary|kept)", served.output)
    assert found, served.output
    return Path(found.group(1))


@pytest.fixture()
def logs(tmp_path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    return folder


def test_port_0_prints_a_real_port_and_health_answers(logs):
    served = serve(logs)
    try:
        assert 0 < served.port < 65536
        assert served.base == f"http://127.0.0.1:{served.port}"
        health = served.get("/health")
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        # The banner tells a user everything they need to start.
        out = served.output
        assert "(granian, 2 workers x 4 threads)" in out
        assert f"{served.base}/surpass/api/v2" in out
        assert f"{served.base}/_sandbox/tenants" in out
        assert "username=demo password=demo-password" in out
        # The demo tenant is seeded and its Surpass credentials work.
        countries = served.get("/surpass/api/v2/Country", auth=("demo", "demo-password"))
        assert countries.status_code == 200, countries.text
        assert countries.json()["count"] > 0
        # A second sandbox on the same port is refused, not silently load-balanced with
        # the first (granian's SO_REUSEPORT would allow it).
        second = subprocess.run(
            [*cli_command(), "serve", "--port", str(served.port)],
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
        )
        assert second.returncode == 1
        assert f"cannot listen on 127.0.0.1:{served.port}" in second.stderr
    finally:
        served.kill()


def test_workers_share_one_state(logs):
    """A write through one connection is seen through every later one, whichever
    worker answers: no worker keeps state of its own."""
    served = serve(logs, "--workers", "3", "--threads", "2")
    try:
        assert "(granian, 3 workers x 2 threads)" in served.output
        created = served.request("POST", "/_sandbox/tenants", json={"tenant": "shared-state"})
        assert created.status_code == 201, created.text
        for _ in range(12):  # a fresh connection each time: spread over the workers
            with requests.Session() as fresh:
                seen = fresh.get(served.base + "/_sandbox/tenants/shared-state", timeout=10)
            assert seen.status_code == 200, seen.text
    finally:
        served.kill()


def _has_candidate_post(served: Served) -> bool:
    paths = served.get("/surpass/openapi.json").json().get("paths", {})
    return "post" in paths.get("/api/v2/Candidate", {})


def test_data_dir_survives_kill_9_and_restart(logs, tmp_path):
    data_dir = tmp_path / "data"
    served = serve(logs, "--data-dir", str(data_dir))
    try:
        assert data_file(served) == (data_dir / "sandbox.db").resolve()
        assert "(kept)" in served.output
        created = served.request("POST", "/_sandbox/tenants", json={"tenant": "durable", "seed": 5})
        assert created.status_code == 201, created.text
        credentials = created.json()["credentials"]
        auth = (credentials["surpass"]["username"], credentials["surpass"]["password"])
        patched = served.request(
            "PATCH", "/_sandbox/tenants/durable/settings/surpass", json={"pinLength": 8}
        )
        assert patched.status_code == 200, patched.text
        with_candidate = _has_candidate_post(served)
        if with_candidate:
            candidate = served.request(
                "POST",
                "/surpass/api/v2/Candidate",
                auth=auth,
                json={
                    "reference": "DURABLE-1",
                    "firstName": "Ada",
                    "lastName": "Lovelace",
                    "dateOfBirth": "1990-12-10T00:00:00",
                },
            )
            assert candidate.status_code == 200, candidate.text
    finally:
        served.kill()  # no shutdown of any kind: the writes must already be on disk

    restarted = serve(logs, "--data-dir", str(data_dir))
    try:
        tenant = restarted.get("/_sandbox/tenants/durable")
        assert tenant.status_code == 200, tenant.text
        assert tenant.json()["credentials"] == credentials
        settings = restarted.get("/_sandbox/tenants/durable/settings/surpass")
        assert settings.json()["pinLength"] == 8
        if with_candidate:
            found = restarted.get("/surpass/api/v2/Candidate?reference=DURABLE-1", auth=auth)
            assert found.status_code == 200, found.text
            assert found.json()["response"][0]["lastName"] == "Lovelace"
        # Preparing an existing database again is harmless: still one demo tenant.
        tenants = restarted.get("/_sandbox/tenants").json()["tenants"]
        assert sorted(tenants) == ["demo", "durable"]
    finally:
        restarted.kill()


@pytest.mark.parametrize(
    ("signum", "group"),
    [(signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGINT, True)],
    ids=["SIGTERM", "SIGINT", "Ctrl-C"],
)
def test_without_data_dir_the_data_is_temporary(logs, signum, group):
    served = serve(logs)
    try:
        db_file = data_file(served)
        assert "(temporary, removed on exit)" in served.output
        assert db_file.is_file()
        assert db_file.parent.parent == Path(tempfile.gettempdir()).resolve()
        assert served.request("POST", "/_sandbox/tenants", json={}).status_code == 201
    except BaseException:
        served.kill()
        raise
    # A clean stop, right after startup: every worker ends when asked (granian kills
    # the ones that don't, and says so), the parent exits 0 and removes the folder.
    assert served.stop(signum, group=group) == 0, served.output
    assert not db_file.parent.exists()
    assert "refused to gracefully stop" not in served.output
    assert "Traceback" not in served.output


def test_openapi_command_prints_the_served_document(http, capsys):
    assert cli.main(["openapi", "surpass"]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed) == http.get("/surpass/openapi.json").json
    # Indented and stable, so the committed copy diffs cleanly.
    assert printed.startswith('{\n  "') and printed.endswith("}\n")
    assert cli.main(["openapi", "surpass"]) == 0
    assert capsys.readouterr().out == printed


def test_openapi_command_writes_a_file(tmp_path, capsys):
    target = tmp_path / "contracts" / "surpass.json"
    assert cli.main(["openapi", "surpass", "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text())["openapi"].startswith("3.")


def test_openapi_command_names_the_vendors_it_has():
    with pytest.raises(SystemExit, match="unknown vendor 'nope'.*surpass"):
        cli.main(["openapi", "nope"])
