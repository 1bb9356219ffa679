"""``exam-sandbox demo``: the real command, served by granian, its scripted integration
run through each vendor's client, then still serving."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from exam_sandbox.cli import build_parser
from exam_sandbox.providers import all_descriptions

pytestmark = pytest.mark.store_independent  # a SQLite data folder of its own
STARTED = re.compile(r"exam-sandbox demo: tenant (\S+); watch it at (\S+)")
DONE = "exam-sandbox demo: done."


def _command() -> list[str]:
    script = Path(sys.executable).with_name("exam-sandbox")
    return [str(script)] if script.exists() else [sys.executable, "-m", "exam_sandbox.cli"]


def _read_until(process: subprocess.Popen, marker: str, timeout: float) -> list[str]:
    """The lines printed up to ``marker``. A thread reads, so a silent process cannot
    block the test past ``timeout``."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    seen, deadline = [], time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if marker in line:
            return seen
    raise AssertionError(f"no {marker!r} within {timeout} s; printed:\n" + "\n".join(seen))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    process = subprocess.Popen(
        [*_command(), "demo", "--port", "0", "--data-dir", str(folder), "--pace", "0",
         "--wait", "0", "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines = _read_until(process, DONE, timeout=120)
        yield process, lines
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_demo_prints_the_console_url_and_runs_every_vendor_to_its_end(demo):
    _process, lines = demo
    printed = "\n".join(lines)
    [started] = [m for line in lines if (m := STARTED.search(line))]
    tenant, url = started.groups()
    assert url.endswith(f"/console/tenants/{tenant}")
    for d in all_descriptions():
        assert f"{d.title}:" in printed
        assert f"  [{d.name}] " in printed  # at least one step said
    assert "the demo stopped" not in printed
    assert lines[-1].startswith(DONE) and "Ctrl-C to stop" in lines[-1]


def test_after_the_demo_the_sandbox_keeps_serving_what_it_made(demo):
    process, lines = demo
    [started] = [m for line in lines if (m := STARTED.search(line))]
    tenant, url = started.groups()
    assert process.poll() is None
    page = requests.get(url, headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and f"<code>{tenant}</code>" in page.text
    base = url.split("/console/")[0]
    journal = requests.get(f"{base}/_sandbox/tenants/{tenant}/journal", timeout=10).json()
    called = {entry["provider"] for entry in journal["entries"]}
    assert called == {d.name for d in all_descriptions()}
    for d in all_descriptions():
        overview = requests.get(f"{base}/_sandbox/tenants/{tenant}/overview/{d.name}",
                                timeout=10).json()
        assert any(table["total"] > 0 for table in overview["tables"]), overview


def test_demo_takes_serves_options_and_its_own():
    args = build_parser().parse_args(["demo", "--port", "0", "--pace", "0.25", "--wait", "1"])
    assert (args.port, args.pace, args.wait, args.workers) == (0, 0.25, 1.0, 2)


@pytest.mark.parametrize("pace", ["-1", "61", "soon"])
def test_demo_refuses_a_pace_that_is_no_number_of_seconds(pace, capsys):
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["demo", "--pace", pace])
    assert stopped.value.code == 2
    assert "is not a number of seconds from 0 to 60" in capsys.readouterr().err
