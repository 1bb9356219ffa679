"""``make bench``: the sandbox beside a bare Flask endpoint, same server, same run.

    python -m bench.run [--duration 10] [--rounds 2] [--connections 32] [--wrk-threads 2]
                        [--workers 2] [--threads 4] [--startup-runs 5] [--tenants 200]
                        [--database-url URL] [--replicas N] [--quick]

Every figure is measured beside the bare app (``bench/bare_app.py``) served by granian
with the same settings, in the same run, so the ratio holds on a noisy machine: each
sandbox wrk run comes right after a bare one of the same kind (a page of 40 candidates for
a list, a validated POST for a POST), startups alternate, and tenant creations are timed
next to as many bare POSTs. The CPU time of each server's workers is read around every
slice (``bench/procstat.py``), their memory at the end. Prints a table of the issue's
targets, each met or not (``bench/table.py``), and writes
``bench/results/bench-<time>.json`` (and ``latest.json``).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import cirrus, itep, janison, replicas, wrk
from .procstat import WorkerMeter
from .servers import Server, bare_command, request, sandbox_command, time_requests
from .stores import Store
from .table import render, summary

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = {"1k": 1_000, "100k": 100_000}
# Past sessions, what GET TestSession filters: 20% of the candidates in each tenant.
PAST_SESSIONS = {"1k": 200, "100k": 20_000}
SESSIONS_TABLE = "surpass_test_session"
QUIET_S = 0.5  # between slices, for requests still in flight to finish
# Realistic client filters: a surname lookup (the commonest one, and a median one:
# faker's en_GB frequency table), a prefix (type-ahead) search; sessions at one centre
# that are still to be sat.
CANDIDATE_FILTERS = {
    "lastName eq 'Smith'": "lastName eq 'Smith'",
    "lastName eq 'Hammond'": "lastName eq 'Hammond'",
    "startswith(lastName,'Ham')": "startswith(lastName,'Ham')",
}
SESSION_FILTER = "centre/reference eq 'CEN001' and state eq 1"
BARE_POST = {
    "test": {"reference": "MATHS-FND"}, "centre": {"reference": "CEN001"},
    "candidate": {"reference": "CAND20121"}, "startDate": "05/07/2030",
    "endDate": "05/07/2030", "startTime": "0900", "endTime": "1700",
}


def _query(filter_: str) -> str:
    from urllib.parse import quote

    return f"?$filter={quote(filter_, safe='(),')}&$top=40"


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _ms(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"median_ms": statistics.median(ordered),
            "p95_ms": ordered[max(0, round(0.95 * len(ordered)) - 1)],
            "min_ms": ordered[0], "max_ms": ordered[-1], "n": len(ordered)}


def log(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def measure_startup(store: Store, runs: int, workers: int, threads: int) -> dict:
    """Spawn to first 200 on /health, alternating sandbox (fresh store) and bare."""
    work = store.work
    sandbox, bare = [], []
    for n in range(runs):
        served_on, _url = store.fresh(f"startup-{n}")
        for times, server in (
            (sandbox, Server("sandbox", sandbox_command(served_on, workers, threads),
                             work / f"startup-{n}.log")),
            (bare, Server("bare", bare_command(workers, threads), work / f"bare-{n}.log")),
        ):
            try:
                times.append(server.start())
            finally:
                server.stop()
    return {"sandbox_s": sandbox, "bare_s": bare,
            "sandbox_median_s": statistics.median(sandbox),
            "bare_median_s": statistics.median(bare)}


def create_tenant(port: int, name: str) -> str:
    status, answer = request("POST", port, "/_sandbox/tenants", {"tenant": name, "seed": 1})
    if status != 201:
        raise RuntimeError(f"could not create tenant {name}: {status} {answer}")
    return _basic(name, answer["credentials"]["surpass"]["password"])


def grow(url: str, tenant: str, total: int, past_sessions: int = 0):
    from exam_sandbox.core.db import Database

    from .tenants import grow_candidates

    db = Database(url)
    try:
        return grow_candidates(db, tenant, total, past_sessions=past_sessions)
    finally:
        db.dispose()


def check(result: dict, what: str) -> dict:
    if result["errors"]:
        raise RuntimeError(f"{what}: {result['errors']} errors in {result['requests']}: "
                           f"{json.dumps(result)}")
    log(f"{what}: {result['rps']:.0f} req/s, p50 {result['latency_us']['p50'] / 1000:.1f} ms")
    return result


class RowCounter:
    """Counts what POST runs wrote: every 200 wrk counted must be a row (a session, a
    schedule) in the database. A few more may be: requests still in flight when wrk stops
    are answered to nobody but still written, so a slice's count is taken once the count
    stops moving (which also keeps them from slowing the next slice)."""

    def __init__(self, store: Store, url: str, table: str, tenant: str,
                 load: wrk.Load) -> None:
        self.store, self.url, self.table, self.tenant, self.load = (
            store, url, table, tenant, load)

    def count(self) -> int:
        return self.store.count(self.url, self.table, self.tenant)

    def settled(self, quiet: float = 1.0) -> int:
        last, since = self.count(), time.perf_counter()
        deadline = since + 60
        while time.perf_counter() - since < quiet and time.perf_counter() < deadline:
            time.sleep(0.1)
            now = self.count()
            if now != last:
                last, since = now, time.perf_counter()
        return last


@dataclass
class Series:
    """One sandbox measurement, run as slices between bare ones."""

    key: str
    what: str
    url: str
    options: dict
    lua_args: Callable[[int], list[str]] | None = None  # round -> the script's args
    writes: RowCounter | None = None
    written: int = 0

    def run(self, load: wrk.Load, round_: int, meter: WorkerMeter) -> dict:
        options = dict(self.options)
        if self.lua_args is not None:
            options["args"] = self.lua_args(round_)
        before = self.writes.settled() if self.writes else 0
        cpu_before = meter.cpu()
        result = check(wrk.run(self.url, load, **options), f"{self.what} ({round_ + 1})")
        if self.writes:
            self.written += self.writes.settled() - before
        else:
            time.sleep(QUIET_S)  # let requests still in flight finish
        return _with_cpu(result, cpu_before, meter.cpu())

    def finish(self, result: dict) -> dict:
        if self.writes:
            result["persisted"] = self.written
            slack = self.writes.load.connections * len(result["slices"])
            if not result["ok"] <= self.written <= result["ok"] + slack:
                raise RuntimeError(
                    f"{self.what}: {result['ok']} answered 200 but {self.written} were written")
        return result


def _with_cpu(result: dict, before: float | None, after: float | None) -> dict:
    """The workers' CPU seconds over a slice (requests in flight at its end included)."""
    if before is not None and after is not None:
        result["cpu_s"] = after - before
    return result


def _revision() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=Path(__file__).resolve().parent,
                              capture_output=True, text=True)
        return done.stdout.strip()

    # ":(top)": the pathspec is the repository's sandbox/, whatever git's cwd (bench/).
    changed = git("status", "--porcelain", "--", ":(top)sandbox")
    dirty = " (with uncommitted changes)" if changed else ""
    return git("rev-parse", "--short", "HEAD") + dirty


def run_bench(args) -> dict:
    load = wrk.Load(args.duration, args.connections, args.wrk_threads)
    wrk.require_wrk()
    work = Path(tempfile.mkdtemp(prefix="exam-sandbox-bench-"))
    shown = {**vars(args), "database_url": _hide_password(args.database_url)}
    out: dict = {"load": shown, "machine": {
        "cpus": _cpus(), "python": sys.version.split()[0], "platform": platform.platform(),
        "load_average_at_start": _load()}, "revision": _revision()}
    log(f"load average at start: {out['machine']['load_average_at_start']}")
    store = Store(work, args.database_url)
    out["store"] = store.kind
    try:
        log(f"startup: {args.startup_runs} runs each (fresh {store.kind} store)")
        out["startup"] = measure_startup(store, args.startup_runs, args.workers, args.threads)
        served_on, url = store.fresh("data")
        sandbox = Server("sandbox", sandbox_command(served_on, args.workers, args.threads),
                         work / "sandbox.log")
        bare = Server("bare", bare_command(args.workers, args.threads), work / "bare.log")
        with sandbox, bare:
            meters = {"sandbox": WorkerMeter(sandbox.process.pid),
                      "bare": WorkerMeter(bare.process.pid)}
            out["runs"] = _runs(args, load, sandbox, bare, (store, url), meters)
            # Memory once every figure has run: what each worker holds after the work.
            out["rss"] = {name: meter.rss() for name, meter in meters.items()}
        if args.replicas > 1:
            out["replicas"] = replicas.compare(args, store, load)
        out["machine"]["load_average_at_end"] = _load()
        log(f"load average at end: {out['machine']['load_average_at_end']}")
    finally:
        store.drop()
        shutil.rmtree(work, ignore_errors=True)
    return out


def _grow_tenants(sandbox: Server, store: Store, url: str, runs: dict) -> tuple[dict, list]:
    """The 1k and 100k Surpass tenants; their Authorization headers and the 100k
    tenant's new candidates, which POST TestSchedule books."""
    auth, loaded, targets = {}, {}, []
    for label, size in SIZES.items():
        tenant = f"bench-{label}"
        auth[label] = create_tenant(sandbox.port, tenant)
        started = time.perf_counter()
        grown = grow(url, tenant, size, PAST_SESSIONS[label])
        store.analyze(url)
        loaded[label] = {"candidates": size, "past_sessions": PAST_SESSIONS[label],
                         "seconds": time.perf_counter() - started}
        log(f"tenant {tenant}: {size} candidates in {loaded[label]['seconds']:.1f} s")
        if label == "100k":
            targets = grown  # POST TestSchedule schedules these, each once
    runs["bulk_load"] = loaded
    return auth, targets


def _runs(args, load, sandbox: Server, bare: Server, where: tuple, meters: dict) -> dict:
    store, url = where
    runs: dict = {}
    log(f"tenant creation: {args.tenants} sequential POST /_sandbox/tenants")
    runs["tenant_create"] = _ms(time_requests(
        sandbox.port, "POST", "/_sandbox/tenants", {}, count=args.tenants, warmup=10,
        expect=201))
    runs["bare_post_latency"] = _ms(time_requests(
        bare.port, "POST", "/schedule", BARE_POST, count=args.tenants, warmup=10, expect=200))

    auth, targets = _grow_tenants(sandbox, store, url, runs)
    plan = store.work / "schedule-plan.txt"
    plan.write_text("".join(f"{t.reference} {t.centre} {t.test}\n" for t in targets))
    janison_headers = janison.prepare(sandbox.port, "bench-janison")
    cirrus_headers = cirrus.prepare(sandbox.port, "bench-cirrus")
    itep_headers = itep.prepare(sandbox.port, "bench-itep")

    api = f"{sandbox.base}/surpass/api/v2"
    bare_urls = {"page": (f"{bare.base}/candidates?$top=40", "get.lua"),
                 "post": (f"{bare.base}/schedule", "bare_post.lua")}
    rounds = max(1, args.rounds)
    part = wrk.Load(max(1, args.duration // rounds), load.connections, load.threads)

    def interleaved(kind: str, group: list[Series]) -> None:
        """``rounds`` rounds of: a bare slice of ``kind``, then one slice of each series.
        Every series sees the same machine as its yardstick, and as each other (1k
        beside 100k); each figure is the sum over its slices."""
        bare_url, script = bare_urls[kind]
        bare_slices, slices = [], {s.key: [] for s in group}
        for r in range(rounds):
            cpu_before = meters["bare"].cpu()
            result = check(wrk.run(bare_url, part, script=script),
                           f"  bare {kind} ({r + 1}/{rounds})")
            bare_slices.append(_with_cpu(result, cpu_before, meters["bare"].cpu()))
            for s in group:
                slices[s.key].append(s.run(part, r, meters["sandbox"]))
        yardstick = wrk.combine(bare_slices)
        for s in group:
            runs[s.key] = {"bare_kind": kind, "bare": yardstick,
                           "sandbox": s.finish(wrk.combine(slices[s.key]))}

    runs["calibration"] = check(wrk.run(f"{bare.base}/items", part),
                                "bare GET of 3 items (the issue's calibration)")
    for name, filter_ in CANDIDATE_FILTERS.items():
        interleaved("page", [
            Series(f"candidates {name} {label}", f"GET Candidate {name} ({label})",
                   f"{api}/Candidate{_query(filter_)}",
                   {"headers": {"Authorization": auth[label]}})
            for label in SIZES
        ])
    interleaved("page", [
        Series(f"sessions {label}", f"GET TestSession $filter ({label})",
               f"{api}/TestSession{_query(SESSION_FILTER)}",
               {"headers": {"Authorization": auth[label]}})
        for label in SIZES
    ] + [
        Series("janison_results", "Janison GET result page of 40",
               f"{sandbox.base}{janison.RESULT_PAGE}", {"headers": janison_headers}),
        Series("cirrus_results", "Cirrus GET /results (one published attempt)",
               f"{sandbox.base}{cirrus.RESULTS_PATH}", {"headers": cirrus_headers}),
        # The console (issue 13): what an open page re-reads after a change, every vendor's
        # panel of the 100k tenant, and its journal poll with nothing new.
        Series("console_panels", "Console GET panels (100k tenant, every vendor)",
               f"{sandbox.base}/console/tenants/bench-100k/panels", {}),
        Series("console_poll", "Console journal poll, nothing new (100k tenant)",
               f"{sandbox.base}/_sandbox/tenants/bench-100k/journal?after=1000000000", {}),
    ])
    counter = RowCounter(store, url, SESSIONS_TABLE, "bench-100k", part)
    nonce = str(int(time.time()))
    # Each slice, and each wrk thread in it, schedules candidates of its own.
    region = len(targets) // rounds
    block = region // part.threads
    interleaved("post", [
        Series("schedule_existing", "POST TestSchedule (registered candidates)",
               f"{api}/TestSchedule", {"script": "schedule.lua"},
               lua_args=lambda r: ["existing", str(plan), auth["100k"], str(r * region),
                                   str(block)],
               writes=counter),
        Series("schedule_quick", "POST TestSchedule (quick-registered candidates)",
               f"{api}/TestSchedule", {"script": "schedule.lua"},
               lua_args=lambda r: ["quick", f"{nonce}r{r}", auth["100k"]],
               writes=counter),
        Series("janison_schedule", "Janison POST testschedule (two candidates)",
               f"{sandbox.base}{janison.SCHEDULE_PATH}",
               {"script": "janison_schedule.lua", "headers": janison_headers,
                "args": [str(janison.CANDIDATES)]},
               writes=RowCounter(store, url, janison.SCHEDULE_TABLE, "bench-janison", part)),
        Series("cirrus_schedule", "Cirrus POST /schedule (two candidates)",
               f"{sandbox.base}{cirrus.SCHEDULE_PATH}",
               {"script": "cirrus_schedule.lua", "headers": cirrus_headers},
               lua_args=lambda r: [f"{nonce}r{r}"],
               writes=RowCounter(store, url, cirrus.SCHEDULE_TABLE, "bench-cirrus", part)),
        Series("itep_assign", "iTEP POST /test-ids/assign",
               f"{sandbox.base}{itep.ASSIGN_PATH}",
               {"script": "itep_assign.lua", "headers": itep_headers},
               lua_args=lambda r: [f"{nonce}r{r}"]),
    ])
    return runs


def _hide_password(text: str | None) -> str | None:
    """A database URL as results may show it: without its password."""
    if not text or "://" not in text:
        return text
    from sqlalchemy import make_url

    return make_url(text).render_as_string(hide_password=True)


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _load() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages: how noisy the run was."""
    return [round(x, 2) for x in os.getloadavg()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10,
                        help="wrk seconds per figure, split over --rounds slices")
    parser.add_argument("--rounds", type=int, default=2,
                        help="alternations of bare and sandbox slices per figure")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="granian workers, both servers")
    parser.add_argument("--threads", type=int, default=4, help="blocking threads per worker")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--tenants", type=int, default=200, help="tenant creations timed")
    parser.add_argument("--database-url", metavar="URL", default=None,
                        help="run the sandbox on PostgreSQL: a server URL whose role may "
                             "create databases; the bench makes and drops its own "
                             "(bench/stores.py). Default: SQLite in a data folder")
    parser.add_argument("--replicas", type=int, default=1,
                        help="also compare the write paths on 1 and on N replicas of the "
                             "sandbox sharing the store (bench/replicas.py)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run in a few minutes: 2 s per figure in one slice, "
                             "2 startups, 40 tenant creations (noisy; overrides those)")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.rounds, args.startup_runs, args.tenants = 2, 1, 2, 40
    started = datetime.now(UTC)
    out = run_bench(args)
    out["started"] = started.isoformat(timespec="seconds")
    given = [_hide_password(a) for a in (sys.argv[1:] if argv is None else argv)]
    out["command"] = "make bench" + (f" BENCH_ARGS='{' '.join(given)}'" if given else "")
    text, rows = render(out, CANDIDATE_FILTERS, SESSION_FILTER, list(SIZES))
    out["table"] = rows
    out["targets_met"] = summary(rows)
    RESULTS.mkdir(exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    for name in (f"bench-{stamp}.json", "latest.json"):
        (RESULTS / name).write_text(json.dumps(out, indent=2, default=str) + "\n")
    print(text)
    if "replicas" in out:
        print(replicas.render(out["replicas"]))
    print(f"\nwritten: {RESULTS / f'bench-{stamp}.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
