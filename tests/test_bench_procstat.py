"""bench/procstat.py reads a server's workers from /proc: here a leader with two busy
children in a session of its own, as granian's workers are (Linux, like the bench)."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Store-independent (the benchmark's process readings): the PostgreSQL run leaves it out
# (tests/postgres_run.py).
pytestmark = pytest.mark.store_independent

# bench/ is a folder of scripts beside the package, not on pytest's path.
_PROCSTAT = Path(__file__).resolve().parent.parent / "bench" / "procstat.py"
_spec = importlib.util.spec_from_file_location("bench_procstat", _PROCSTAT)
procstat = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(procstat)

# The leader starts two children that burn CPU until killed, prints their pids, and waits.
LEADER = """
import subprocess, sys
burn = [sys.executable, "-c", "while True: pass"]
children = [subprocess.Popen(burn) for _ in range(2)]
print(" ".join(str(c.pid) for c in children), flush=True)
children[0].wait()
"""


def test_workers_cpu_and_rss_of_a_session():
    leader = subprocess.Popen([sys.executable, "-c", LEADER], stdout=subprocess.PIPE,
                              text=True, start_new_session=True)
    try:
        children = sorted(int(pid) for pid in leader.stdout.readline().split())
        assert procstat.workers(leader.pid) == children
        meter = procstat.WorkerMeter(leader.pid)
        before = meter.cpu()
        time.sleep(0.5)
        after = meter.cpu()
        # Two children spinning for 0.5 s: well over 0.1 s of CPU between them, even
        # on a busy machine, and never more than the wall time on every core.
        assert 0.1 <= after - before <= 0.5 * os.cpu_count() + 0.1
        rss = meter.rss()
        assert len(rss["workers_mb"]) == 2
        assert 1 < rss["max_mb"] < 500
        assert procstat.cpu_seconds([]) is None
        assert procstat.rss_mb(2**22 + 12345) is None  # past pid_max: no such process
    finally:
        os.killpg(leader.pid, signal.SIGKILL)  # its own group: the leader and its children
        leader.wait()
        leader.stdout.close()
