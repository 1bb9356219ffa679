"""The bench's verdict table (bench/table.py) from made-up figures: no servers, no wrk."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

# Store-independent (the benchmark's tables): the PostgreSQL run leaves it out
# (tests/postgres_run.py).
pytestmark = pytest.mark.store_independent

# bench/ is a folder of scripts beside the package, not on pytest's path: load its table
# module (which imports nothing of the bench) from the file.
_TABLE = Path(__file__).resolve().parent.parent / "bench" / "table.py"
_spec = importlib.util.spec_from_file_location("bench_table", _TABLE)
table = importlib.util.module_from_spec(_spec)
sys.modules["bench_table"] = table  # dataclasses look their module up while building
_spec.loader.exec_module(table)
Target, render, rows_for, summary = table.Target, table.render, table.rows_for, table.summary

FILTERS = {"lastName eq 'Smith'": "", "startswith(lastName,'Ham')": ""}
SESSION_FILTER = "centre/reference eq 'CEN001' and state eq 1"
SIZES = ["1k", "100k"]


def wrk_run(rps: float, cpu_s: float | None = None, seconds: float = 2.0) -> dict:
    run = {"rps": rps, "requests": int(rps * seconds), "errors": 0, "slices": [rps],
           "latency_us": {"p50": 1000, "p99": 4000}}
    if cpu_s is not None:
        run["cpu_s"] = cpu_s
        run["cpu_ms_per_request"] = 1000 * cpu_s / run["requests"]
    return run


def pair(sandbox: float, bare: float, kind: str = "page", **cpu) -> dict:
    return {"bare_kind": kind, "bare": wrk_run(bare, cpu.get("bare_cpu")),
            "sandbox": wrk_run(sandbox, cpu.get("cpu"))}


def made_up() -> dict:
    runs = {
        "schedule_existing": pair(1100, 4000, "post", cpu=1.0, bare_cpu=1.6),  # 0.275x
        "schedule_quick": pair(500, 4000, "post"),  # 0.125x: missed
        "janison_schedule": pair(800, 4000, "post"),  # 0.2x
        "janison_results": pair(300, 1000),  # 0.3x: missed
        "cirrus_schedule": pair(900, 4000, "post"),  # no target: shown
        "cirrus_results": pair(700, 1000),  # no target: shown
        "itep_assign": pair(1000, 4000, "post"),  # no target: shown
        "sessions 1k": pair(400, 1000),
        "sessions 100k": pair(100, 1000),  # 100k / 1k = 0.25: missed
        "tenant_create": {"median_ms": 4.0, "p95_ms": 6.0},
        "bare_post_latency": {"median_ms": 0.5, "p95_ms": 0.7},
    }
    for size, rps in (("1k", 600), ("100k", 550)):
        runs[f"candidates lastName eq 'Smith' {size}"] = pair(rps, 1000, cpu=2.0, bare_cpu=1.0)
        runs[f"candidates startswith(lastName,'Ham') {size}"] = pair(rps - 200, 1000,
                                                                      cpu=2.0, bare_cpu=1.0)
    return {"runs": runs,
            "startup": {"sandbox_median_s": 0.62, "bare_median_s": 0.25},
            "rss": {"sandbox": {"max_mb": 120.4}, "bare": {"max_mb": 40.0}},
            "load": {"wrk_threads": 2, "connections": 32, "rounds": 1, "duration": 2,
                     "workers": 2, "threads": 4},
            "machine": {"cpus": 2, "load_average_at_start": [1.5, 1.2, 1.0],
                        "load_average_at_end": [2.5, 1.4, 1.1]},
            "revision": "abc1234"}


def by_metric(rows: list[dict]) -> dict:
    return {row["metric"]: row for row in rows}


def test_targets_describe_and_judge_both_directions():
    assert Target(0.2, stretch=0.25).describe() == ">= 0.2x (stretch 0.25x)"
    assert Target(5.0, at_least=False, unit=" ms").describe() == "<= 5 ms"
    assert Target(0.2, stretch=0.25).verdict(0.21) == "yes, stretch no"
    assert Target(0.2, stretch=0.25).verdict(0.3) == "yes, stretch yes"
    assert Target(0.2, stretch=0.25).verdict(0.19) == "**no**"
    assert Target(5.0, at_least=False, unit=" ms").verdict(5.0) == "yes"
    assert Target(5.0, at_least=False, unit=" ms").verdict(5.1) == "**no**"


def test_every_target_of_the_issue_is_a_row_with_its_verdict():
    rows = by_metric(rows_for(made_up(), FILTERS, SESSION_FILTER, SIZES))
    registered = rows["POST TestSchedule, registered candidates (vs validated POST)"]
    assert (registered["sandbox"], registered["bare"], registered["ratio"],
            registered["target"], registered["met"]) == (
        "1,100 req/s", "4,000 req/s", "0.275x", ">= 0.2x (stretch 0.25x)", "yes, stretch yes")
    quick = rows["POST TestSchedule, quick-registered candidates (vs validated POST)"]
    assert (quick["ratio"], quick["target"], quick["met"]) == ("0.125x", ">= 0.15x", "**no**")
    janison_post = rows["Janison POST testschedule, two candidates (vs validated POST)"]
    assert (janison_post["ratio"], janison_post["target"], janison_post["met"]) == (
        "0.200x", ">= 0.15x", "yes")
    janison_page = rows["Janison GET result page of 40 (vs page)"]
    assert (janison_page["ratio"], janison_page["target"], janison_page["met"]) == (
        "0.300x", ">= 0.5x", "**no**")
    smith = rows["GET Candidate page of 40 `$filter=lastName eq 'Smith'`, 100k candidates "
                 "(vs page)"]
    assert (smith["ratio"], smith["target"], smith["met"]) == ("0.550x", ">= 0.5x", "yes")
    prefix = rows["GET Candidate page of 40 `$filter=startswith(lastName,'Ham')`, 1k "
                  "candidates (vs page)"]
    assert (prefix["ratio"], prefix["met"]) == ("0.400x", "**no**")
    scale = rows["Scale: GET Candidate `startswith(lastName,'Ham')`, 100k ÷ 1k"]
    assert (scale["sandbox"], scale["bare"], scale["ratio"], scale["target"],
            scale["met"]) == ("350 req/s at 100k", "400 req/s at 1k", "0.88", ">= 0.5", "yes")
    sessions = rows[f"Scale: GET TestSession `{SESSION_FILTER}`, 100k ÷ 1k"]
    assert (sessions["ratio"], sessions["met"]) == ("0.25", "**no**")
    tenant = rows["Tenant creation, every vendor, POST /_sandbox/tenants, median "
                  "(vs one bare POST)"]
    assert (tenant["sandbox"], tenant["target"], tenant["met"]) == (
        "4.0 ms (p95 6.0)", "<= 5 ms", "yes")
    startup = rows["Startup, spawn to first 200 on /health, median (fresh data dir)"]
    assert (startup["sandbox"], startup["target"], startup["met"]) == (
        "0.62 s", "<= 0.5 s", "**no**")


def test_cpu_and_memory_are_shown_without_a_target():
    rows = by_metric(rows_for(made_up(), FILTERS, SESSION_FILTER, SIZES))
    post = rows["CPU per request: POST TestSchedule, registered (workers' CPU ÷ requests)"]
    # 1.0 s over 2,200 requests, beside 1.6 s over 8,000.
    assert (post["sandbox"], post["bare"], post["ratio"], post["target"], post["met"]) == (
        "0.45 ms", "0.20 ms", "2.3x", "—", "—")
    pages = rows["CPU per request: GET Candidate pages (every filter and size) "
                 "(workers' CPU ÷ requests)"]
    # 4 runs of 2.0 s over 1,200 + 1,100 + 800 + 700 requests; bare 1.0 s over 2,000 each.
    assert (pages["sandbox"], pages["bare"]) == ("2.11 ms", "0.50 ms")
    unread = rows["CPU per request: Janison POST testschedule (workers' CPU ÷ requests)"]
    assert (unread["sandbox"], unread["met"]) == ("—", "—")
    rss = rows["RSS per worker at the end, largest worker"]
    assert (rss["sandbox"], rss["bare"], rss["ratio"], rss["met"]) == (
        "120 MiB", "40 MiB", "3.0x", "—")


def test_rendered_text_has_the_load_average_the_count_and_every_row():
    out = made_up()
    text, rows = render(out, FILTERS, SESSION_FILTER, SIZES)
    assert "load average (1, 5, 15 min) [1.5, 1.2, 1.0] at start, [2.5, 1.4, 1.1] at end" in text
    assert summary(rows) == "targets met: 7 of 13"
    assert "targets met: 7 of 13" in text
    assert len(rows) == 27
    for row in rows:
        assert f"| {row['metric']} | {row['sandbox']} |" in text
