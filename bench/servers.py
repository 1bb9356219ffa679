"""Start, probe and stop the two servers a bench run compares, and time single requests.

Both are spawned the same way, on granian with the same settings: the sandbox through its
own command line (``exam-sandbox serve --port 0 ...``) and the bare app through
``python -m bench.bare_app``. Each prints its port; ``/health`` answering 200 is the sign
that it serves. Every process started here is stopped here, by its own id.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT_LINE = re.compile(r"serving on http://[^\s:]+:(\d+)")
POLL_S = 0.002


def sandbox_command(store: list[str], workers: int, threads: int) -> list[str]:
    """``exam-sandbox serve`` on ``store`` (``--data-dir DIR`` or ``--database-url URL``,
    ``bench/stores.py``)."""
    exe = Path(sys.executable).with_name("exam-sandbox")
    return [str(exe), "serve", "--port", "0", *store,
            "--workers", str(workers), "--threads", str(threads)]


def bare_command(workers: int, threads: int) -> list[str]:
    return [sys.executable, "-m", "bench.bare_app", "--port", "0",
            "--workers", str(workers), "--threads", str(threads)]


class Server:
    """A server process: ``start()`` returns once ``/health`` answers 200."""

    def __init__(self, name: str, command: list[str], log: Path) -> None:
        self.name, self.command, self.log = name, command, log
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> float:
        """Spawn, wait for the first 200 on /health; the seconds that took."""
        started = time.perf_counter()
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = started + timeout
        while not self.port:
            self._alive_until(deadline)
            found = PORT_LINE.search(self.log.read_text(errors="replace"))
            if found:
                self.port = int(found.group(1))
            else:
                time.sleep(POLL_S)
        while True:
            self._alive_until(deadline)
            try:
                if request("GET", self.port, "/health")[0] == 200:
                    return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(POLL_S)

    def _alive_until(self, deadline: float) -> None:
        if self.process.poll() is not None:
            # The log goes with the run's temporary folder: say its end here.
            tail = self.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{self.name} exited; the end of its log:\n{tail}")
        if time.perf_counter() > deadline:
            self.stop()
            raise RuntimeError(f"{self.name} did not answer /health in time: see {self.log}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)  # granian stops its workers gracefully
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: only its workers
            process.wait()

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def request(method: str, port: int, path: str, body: dict | None = None,
            headers: dict | None = None, connection: http.client.HTTPConnection | None = None):
    """One request; ``(status, parsed JSON or None)``. Reuses ``connection`` if given."""
    own = connection is None
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        payload = None if body is None else json.dumps(body).encode()
        sent = {"Content-Type": "application/json"} if payload is not None else {}
        conn.request(method, path, body=payload, headers={**sent, **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return response.status, parsed
    finally:
        if own:
            conn.close()


def time_requests(port: int, method: str, path: str, body: dict, *, count: int,
                  warmup: int, expect: int) -> list[float]:
    """Milliseconds each of ``count`` sequential requests took, on one kept-alive
    connection (so connecting is not timed), after ``warmup`` untimed ones."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    try:
        for n in range(warmup + count):
            started = time.perf_counter()
            status, answer = request(method, port, path, body, connection=conn)
            elapsed = (time.perf_counter() - started) * 1000
            if status != expect:
                raise RuntimeError(f"{method} {path} answered {status}: {answer}")
            if n >= warmup:
                times.append(elapsed)
    finally:
        conn.close()
    return times
