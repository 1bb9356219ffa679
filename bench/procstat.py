"""What a served run costs its server: CPU time and resident memory of granian's workers.

Each server is started in its own session (``servers.Server``), so its workers are the
processes of that session other than its leader. Linux only (``/proc``); elsewhere every
figure is ``None`` and the table shows a dash.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(pid: int) -> list[str] | None:
    """``/proc/<pid>/stat`` after the command name (which may hold spaces): field 3 of
    proc(5), the state, is index 0."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def workers(leader: int) -> list[int]:
    """The processes of ``leader``'s session other than the leader: granian's workers."""
    found = []
    if not PROC.is_dir():
        return found
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) == leader:
            continue
        fields = _stat_fields(int(entry.name))
        if fields is not None and int(fields[3]) == leader:  # field 6: session id
            found.append(int(entry.name))
    return sorted(found)


def cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU time the processes have used so far (fields 14 and 15)."""
    if not pids:
        return None
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def rss_mb(pid: int) -> float | None:
    """Resident set size (``VmRSS``) in MiB."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class WorkerMeter:
    """CPU used by a server's workers across a stretch of load, and their memory."""

    def __init__(self, leader: int) -> None:
        self.leader = leader

    def cpu(self) -> float | None:
        return cpu_seconds(workers(self.leader))

    def rss(self) -> dict:
        sizes = [rss_mb(pid) for pid in workers(self.leader)]
        sizes = [s for s in sizes if s is not None]
        return {"workers_mb": [round(s, 1) for s in sizes],
                "max_mb": max(sizes) if sizes else None,
                "mean_mb": sum(sizes) / len(sizes) if sizes else None}
