"""Run wrk for a fixed time and read back the JSON line ``report.lua`` prints."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Load:
    """How hard and how long every wrk run pushes: the same for sandbox and bare."""

    duration: int = 10  # seconds
    connections: int = 32
    threads: int = 2
    timeout: int = 10  # seconds; a slower answer counts as an error


def require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit(
            "bench: wrk is not installed. `make bench` installs it with apt-get when run as "
            "root; otherwise: apt-get install wrk (Debian/Ubuntu), brew install wrk (macOS)."
        )
    return found


def run(url: str, load: Load, *, script: str = "get.lua", headers: dict | None = None,
        args: list[str] | None = None) -> dict:
    command = [
        require_wrk(), f"-t{load.threads}", f"-c{load.connections}", f"-d{load.duration}s",
        f"--timeout={load.timeout}s", "-s", str(HERE / script),
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    if args:
        command += ["--", *args]
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "BENCH_LUA_DIR": str(HERE)},
        timeout=load.duration + load.timeout + 60,
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    result = json.loads(line.removeprefix("WRK_JSON "))
    seconds = result["duration_us"] / 1e6
    errors = sum(result[k] for k in
                 ("connect_errors", "read_errors", "write_errors", "timeouts", "non_2xx"))
    result.update(
        rps=result["requests"] / seconds if seconds else 0.0,
        errors=errors,
        ok=result["requests"] - result["non_2xx"],
    )
    return result


def combine(slices: list[dict]) -> dict:
    """One figure from several slices of the same measurement: counts, time and the
    workers' CPU add up; p50 is the median slice's, the tail percentiles the worst
    slice's."""
    keys = ("requests", "duration_us", "bytes", "connect_errors", "read_errors",
            "write_errors", "timeouts", "non_2xx", "errors", "ok")
    total = {key: sum(s[key] for s in slices) for key in keys}
    p50s = sorted(s["latency_us"]["p50"] for s in slices)
    total["latency_us"] = {
        "mean": sum(s["latency_us"]["mean"] * s["requests"] for s in slices)
        / max(1, total["requests"]),
        "p50": p50s[len(p50s) // 2],
        **{p: max(s["latency_us"][p] for s in slices) for p in ("p90", "p99", "max")},
    }
    total["rps"] = total["requests"] / (total["duration_us"] / 1e6)
    total["slices"] = [round(s["rps"], 1) for s in slices]
    if all("cpu_s" in s for s in slices):  # the server's workers' CPU, where it was read
        total["cpu_s"] = sum(s["cpu_s"] for s in slices)
        total["cpu_ms_per_request"] = 1000 * total["cpu_s"] / max(1, total["requests"])
    return total
