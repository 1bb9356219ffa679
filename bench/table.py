"""The bench's verdict: one Markdown table of issue 9's targets (metric, sandbox, bare,
ratio, target, met?) and one of every wrk run, from the figures ``bench/run.py`` collected.

Every target is a ratio to the bare yardstick of the same run (or to the same figure in
the small tenant), except tenant creation and startup, which are absolute. CPU per request
and memory per worker are shown without a target.
"""

from __future__ import annotations

from dataclasses import dataclass

TARGET_POST_REGISTERED = 0.20  # POST TestSchedule, registered candidates, x bare POST
STRETCH_POST_REGISTERED = 0.25
TARGET_POST_QUICK = 0.15
TARGET_PAGE = 0.5  # a GET Candidate page of 40, x the bare page
TARGET_SCALE = 0.5  # 100k within 2x of 1k: throughput ratio 100k / 1k
TARGET_JANISON_POST = 0.15
TARGET_JANISON_PAGE = 0.5
TARGET_TENANT_MS = 5.0  # median, POST /_sandbox/tenants (both vendors seeded)
TARGET_STARTUP_S = 0.5  # spawn to first 200


@dataclass(frozen=True)
class Target:
    """A threshold the figure must reach (``at_least``) or stay under."""

    threshold: float
    at_least: bool = True
    unit: str = "x"
    stretch: float | None = None

    def describe(self) -> str:
        text = f"{'>=' if self.at_least else '<='} {self.threshold:g}{self.unit}"
        return text + (f" (stretch {self.stretch:g}{self.unit})" if self.stretch else "")

    def met(self, value: float) -> bool:
        return value >= self.threshold if self.at_least else value <= self.threshold

    def verdict(self, value: float) -> str:
        text = "yes" if self.met(value) else "**no**"
        if self.stretch is not None and self.met(value):
            text += ", stretch " + ("yes" if value >= self.stretch else "no")
        return text


def _row(metric: str, sandbox: str, bare: str, ratio: str, value: float | None,
         target: Target | None) -> dict:
    met = None if target is None or value is None else target.met(value)
    return {"metric": metric, "sandbox": sandbox, "bare": bare, "ratio": ratio,
            "target": target.describe() if target else "—",
            "met": "—" if met is None else target.verdict(value),
            "value": value, "ok": met}


def _rps_row(runs: dict, key: str, metric: str, target: Target | None) -> dict:
    sandbox, bare = runs[key]["sandbox"]["rps"], runs[key]["bare"]["rps"]
    ratio = sandbox / bare if bare else 0.0
    return _row(metric, f"{sandbox:,.0f} req/s", f"{bare:,.0f} req/s", f"{ratio:.3f}x",
                ratio, target)


def _scale_row(runs: dict, small_key: str, large_key: str, metric: str, sizes) -> dict:
    small, large = runs[small_key]["sandbox"]["rps"], runs[large_key]["sandbox"]["rps"]
    ratio = large / small if small else 0.0
    return _row(metric, f"{large:,.0f} req/s at {sizes[-1]}",
                f"{small:,.0f} req/s at {sizes[0]}", f"{ratio:.2f}",
                ratio, Target(TARGET_SCALE, unit=""))


def cpu_per_request(runs: dict, keys: list[str], side: str) -> float | None:
    """Milliseconds of worker CPU per request over the runs named, or None if unread."""
    measured = [runs[k][side] for k in keys if k in runs]
    if not measured or any("cpu_s" not in m for m in measured):
        return None
    requests = sum(m["requests"] for m in measured)
    return 1000 * sum(m["cpu_s"] for m in measured) / max(1, requests)


def _ms_or_dash(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f} ms"


def _cpu_row(runs: dict, keys: list[str], metric: str) -> dict:
    sandbox, bare = cpu_per_request(runs, keys, "sandbox"), cpu_per_request(runs, keys, "bare")
    ratio = f"{sandbox / bare:.1f}x" if sandbox is not None and bare else "—"
    return _row(metric, _ms_or_dash(sandbox), _ms_or_dash(bare), ratio, sandbox, None)


def rows_for(out: dict, candidate_filters: dict, session_filter: str,
             sizes: list[str]) -> list[dict]:
    runs, startup = out["runs"], out["startup"]
    small, large = sizes[0], sizes[-1]
    rows = [
        _rps_row(runs, "schedule_existing",
                 "POST TestSchedule, registered candidates (vs validated POST)",
                 Target(TARGET_POST_REGISTERED, stretch=STRETCH_POST_REGISTERED)),
        _rps_row(runs, "schedule_quick",
                 "POST TestSchedule, quick-registered candidates (vs validated POST)",
                 Target(TARGET_POST_QUICK)),
        _rps_row(runs, "janison_schedule",
                 "Janison POST testschedule, two candidates (vs validated POST)",
                 Target(TARGET_JANISON_POST)),
        _rps_row(runs, "cirrus_schedule",
                 "Cirrus POST /schedule, two candidates (vs validated POST)", None),
        _rps_row(runs, "itep_assign", "iTEP POST /test-ids/assign (vs validated POST)", None),
    ]
    for name in candidate_filters:
        for size in sizes:
            rows.append(_rps_row(
                runs, f"candidates {name} {size}",
                f"GET Candidate page of 40 `$filter={name}`, {size} candidates (vs page)",
                Target(TARGET_PAGE)))
    rows.append(_rps_row(runs, "janison_results", "Janison GET result page of 40 (vs page)",
                         Target(TARGET_JANISON_PAGE)))
    rows.append(_rps_row(runs, "cirrus_results",
                         "Cirrus GET /results, one published attempt (vs page)", None))
    for size in sizes:
        rows.append(_rps_row(
            runs, f"sessions {size}",
            f"GET TestSession page of 40 `$filter={session_filter}`, {size} tenant (vs page)",
            None))
    for name in candidate_filters:
        rows.append(_scale_row(runs, f"candidates {name} {small}", f"candidates {name} {large}",
                               f"Scale: GET Candidate `{name}`, {large} ÷ {small}", sizes))
    rows.append(_scale_row(runs, f"sessions {small}", f"sessions {large}",
                           f"Scale: GET TestSession `{session_filter}`, {large} ÷ {small}",
                           sizes))
    tenant, bare_post = runs["tenant_create"], runs["bare_post_latency"]
    rows.append(_row(
        "Tenant creation, every vendor, POST /_sandbox/tenants, median (vs one bare POST)",
        f"{tenant['median_ms']:.1f} ms (p95 {tenant['p95_ms']:.1f})",
        f"{bare_post['median_ms']:.2f} ms (p95 {bare_post['p95_ms']:.2f})",
        f"{tenant['median_ms'] / bare_post['median_ms']:.1f}x", tenant["median_ms"],
        Target(TARGET_TENANT_MS, at_least=False, unit=" ms")))
    rows.append(_row(
        "Startup, spawn to first 200 on /health, median (fresh data dir)",
        f"{startup['sandbox_median_s']:.2f} s", f"{startup['bare_median_s']:.2f} s",
        f"{startup['sandbox_median_s'] / startup['bare_median_s']:.1f}x",
        startup["sandbox_median_s"], Target(TARGET_STARTUP_S, at_least=False, unit=" s")))
    candidate_keys = [f"candidates {n} {s}" for n in candidate_filters for s in sizes]
    for keys, metric in (
        (["schedule_existing"], "POST TestSchedule, registered"),
        (["schedule_quick"], "POST TestSchedule, quick-registered"),
        (["janison_schedule"], "Janison POST testschedule"),
        (candidate_keys, "GET Candidate pages (every filter and size)"),
        (["janison_results"], "Janison GET result page"),
        (["cirrus_schedule"], "Cirrus POST /schedule"),
        (["cirrus_results"], "Cirrus GET /results"),
        (["itep_assign"], "iTEP POST /test-ids/assign"),
    ):
        rows.append(_cpu_row(runs, keys, f"CPU per request: {metric} (workers' CPU ÷ requests)"))
    rss = out.get("rss", {})
    sandbox_mb = rss.get("sandbox", {}).get("max_mb")
    bare_mb = rss.get("bare", {}).get("max_mb")
    rows.append(_row(
        "RSS per worker at the end, largest worker",
        "—" if sandbox_mb is None else f"{sandbox_mb:.0f} MiB",
        "—" if bare_mb is None else f"{bare_mb:.0f} MiB",
        f"{sandbox_mb / bare_mb:.1f}x" if sandbox_mb and bare_mb else "—", sandbox_mb, None))
    return rows


def summary(rows: list[dict]) -> str:
    judged = [r for r in rows if r["ok"] is not None]
    missed = [r["metric"] for r in judged if not r["ok"]]
    return f"targets met: {len(judged) - len(missed)} of {len(judged)}"


def _markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def verdict_table(rows: list[dict]) -> str:
    keys = ["metric", "sandbox", "bare", "ratio", "target", "met"]
    return _markdown(["metric", "sandbox", "bare", "sandbox ÷ bare", "target", "met?"],
                     [[row[k] for k in keys] for row in rows])


def _runs_table(runs: dict) -> str:
    detail, shown = [], []
    for name, entry in runs.items():
        pairs = [("bare " + entry["bare_kind"], entry["bare"]), ("sandbox", entry["sandbox"])] \
            if "sandbox" in entry else [("bare", entry)] if "latency_us" in entry else []
        for side, run in pairs:
            if any(run is seen for seen in shown):
                continue  # a group's bare slices, already listed with its first series
            shown.append(run)
            lat = run["latency_us"]
            cpu = run.get("cpu_ms_per_request")
            detail.append([f"{name}: {side}", f"{run['rps']:,.0f}",
                           " / ".join(f"{x:,.0f}" for x in run.get("slices", [])),
                           f"{lat['p50'] / 1000:.1f}", f"{lat['p99'] / 1000:.1f}",
                           f"{run['requests']:,}", str(run["errors"]),
                           "" if cpu is None else f"{cpu:.2f}",
                           f"{run['persisted']:,}" if "persisted" in run else ""])
    return _markdown(["wrk run", "req/s", "per slice", "p50 ms", "p99 ms", "requests",
                      "errors", "CPU ms/req", "rows written"], detail)


def heading(out: dict) -> str:
    load, machine = out["load"], out["machine"]
    rounds = max(1, load["rounds"])
    return (f"wrk -t{load['wrk_threads']} -c{load['connections']}, "
            f"{rounds} x {max(1, load['duration'] // rounds)} s slices per figure, "
            f"granian {load['workers']} workers x {load['threads']} threads, "
            f"{machine['cpus']} CPUs, loopback; load average (1, 5, 15 min) "
            f"{machine['load_average_at_start']} at start, "
            f"{machine.get('load_average_at_end')} at end; sandbox at "
            f"{out.get('revision', '?')}")


def render(out: dict, candidate_filters: dict, session_filter: str,
           sizes: list[str]) -> tuple[str, list[dict]]:
    rows = rows_for(out, candidate_filters, session_filter, sizes)
    text = (f"{heading(out)}\n\n{verdict_table(rows)}\n\n{summary(rows)}\n\n"
            f"{_runs_table(out['runs'])}")
    return text, rows
