"""The bench's verdict: one Markdown table (metric, sandbox, bare, ratio, target, met?)
and one of latencies, from the figures ``bench/run.py`` collected."""

from __future__ import annotations

TARGET_POST_RATIO = 0.5  # POST TestSchedule >= 0.5x the bare validated POST
TARGET_SCALE = 0.5  # the 100k filter within 2x of the 1k one (throughput >= 0.5x)
TARGET_TENANT_MS = 10.0
TARGET_STARTUP_S = 0.5


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def rows_for(out: dict, candidate_filters: dict, session_filter: str) -> list[dict]:
    runs, startup = out["runs"], out["startup"]
    rows = []

    def rps(metric, key, target="—", ok=None) -> float:
        sandbox, bare = runs[key]["sandbox"]["rps"], runs[key]["bare"]["rps"]
        rows.append({"metric": metric, "sandbox": f"{sandbox:,.0f} req/s",
                     "bare": f"{bare:,.0f} req/s", "ratio": f"{sandbox / bare:.3f}x",
                     "target": target, "met": _met(ok)})
        return sandbox / bare

    ratio = runs["schedule_existing"]["sandbox"]["rps"] / runs["schedule_existing"]["bare"]["rps"]
    rps("POST TestSchedule, registered candidates (vs validated POST)", "schedule_existing",
        f">= {TARGET_POST_RATIO}x bare POST", ratio >= TARGET_POST_RATIO)
    rps("POST TestSchedule, quick-registered candidates (vs validated POST)", "schedule_quick")
    rps(f"GET TestSession `$filter={session_filter}`, 20k sessions (vs page)", "sessions")
    for name in candidate_filters:
        small = runs[f"candidates {name} 1k"]["sandbox"]["rps"]
        large = runs[f"candidates {name} 100k"]["sandbox"]["rps"]
        rps(f"GET Candidate `$filter={name}`, 1k candidates (vs page)", f"candidates {name} 1k")
        rps(f"GET Candidate `$filter={name}`, 100k candidates (vs page)",
            f"candidates {name} 100k", f"100k >= {TARGET_SCALE}x 1k: {large / small:.2f}x",
            large / small >= TARGET_SCALE)
    tenant, bare_post = runs["tenant_create"], runs["bare_post_latency"]
    rows.append({
        "metric": "Tenant creation, POST /_sandbox/tenants (vs one validated POST)",
        "sandbox": f"{tenant['median_ms']:.1f} ms (p95 {tenant['p95_ms']:.1f})",
        "bare": f"{bare_post['median_ms']:.2f} ms (p95 {bare_post['p95_ms']:.2f})",
        "ratio": f"{tenant['median_ms'] / bare_post['median_ms']:.1f}x",
        "target": f"<= {TARGET_TENANT_MS:g} ms",
        "met": _met(tenant["median_ms"] <= TARGET_TENANT_MS),
    })
    rows.append({
        "metric": "Startup, spawn to first 200 on /health (fresh data dir)",
        "sandbox": f"{startup['sandbox_median_s']:.2f} s",
        "bare": f"{startup['bare_median_s']:.2f} s",
        "ratio": f"{startup['sandbox_median_s'] / startup['bare_median_s']:.1f}x",
        "target": f"<= {TARGET_STARTUP_S:g} s",
        "met": _met(startup["sandbox_median_s"] <= TARGET_STARTUP_S),
    })
    return rows


def _markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render(out: dict, candidate_filters: dict, session_filter: str) -> tuple[str, list[dict]]:
    rows = rows_for(out, candidate_filters, session_filter)
    keys = ["metric", "sandbox", "bare", "ratio", "target", "met"]
    verdict = _markdown(["metric", "sandbox", "bare", "sandbox ÷ bare", "target", "met?"],
                        [[row[k] for k in keys] for row in rows])
    detail, shown = [], []
    for name, entry in out["runs"].items():
        pairs = [("bare " + entry["bare_kind"], entry["bare"]), ("sandbox", entry["sandbox"])] \
            if "sandbox" in entry else [("bare", entry)] if "latency_us" in entry else []
        for side, run in pairs:
            if run in shown:
                continue  # a group's bare slices, already listed with its first series
            shown.append(run)
            lat = run["latency_us"]
            detail.append([f"{name}: {side}", f"{run['rps']:,.0f}",
                           " / ".join(f"{x:,.0f}" for x in run.get("slices", [])),
                           f"{lat['p50'] / 1000:.1f}", f"{lat['p99'] / 1000:.1f}",
                           f"{run['requests']:,}", str(run["errors"]),
                           f"{run['persisted']:,}" if "persisted" in run else ""])
    latencies = _markdown(["wrk run", "req/s", "per slice", "p50 ms", "p99 ms", "requests",
                           "errors", "sessions written"], detail)
    load = out["load"]
    machine = out["machine"]
    rounds = max(1, load["rounds"])
    head = (f"wrk -t{load['wrk_threads']} -c{load['connections']}, "
            f"{rounds} x {max(1, load['duration'] // rounds)} s slices per figure, "
            f"granian {load['workers']} workers x {load['threads']} threads, "
            f"{machine['cpus']} CPUs, loopback; load average {machine['load_average_at_start']} "
            f"at start, {machine.get('load_average_at_end')} at end; sandbox at "
            f"{out.get('revision', '?')}")
    return f"{head}\n\n{verdict}\n\n{latencies}", rows
