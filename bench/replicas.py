"""The write paths on 1 and on N replicas of the sandbox sharing one store.

``make bench BENCH_ARGS='--replicas 2 [--database-url URL]'``: after the main figures,
N sandbox servers (each ``--workers`` x ``--threads``, as the main run's) serve one new
store, as replicas behind a load balancer do (docs/deployment.md). The load generator
plays the balancer: the same connections in all, split evenly, one wrk per replica at
once, and the figure is their sum. Each figure is taken first with the first replica
alone, then with all N, beside a bare validated POST of the same run (one bare server:
the yardstick is the machine, not the sandbox's layout).

Every write still takes the store's one writers' lock (an advisory lock on PostgreSQL,
a file lock and SQLite's own on SQLite), so replicas add CPU to the parts of a request
outside it, not writers: on a machine whose cores the first replica already fills, a
second one can only share them.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from . import cirrus, itep, wrk
from .servers import Server, bare_command, sandbox_command
from .stores import Store


def _spread(bases: list[str], path: str, load: wrk.Load, **options) -> dict:
    """One wrk per replica at once, the connections split evenly; their sum."""
    share = wrk.Load(load.duration, max(1, load.connections // len(bases)),
                     max(1, load.threads // len(bases)), load.timeout)
    nonce = options.pop("args")[0]

    def one(index: int) -> dict:
        # A nonce per wrk: each one's generated ids (ScheduleExtId, oid) are its own.
        return wrk.run(bases[index] + path, share, args=[f"{nonce}p{index}"], **options)

    with ThreadPoolExecutor(len(bases)) as pool:
        parts = list(pool.map(one, range(len(bases))))
    total = wrk.combine(parts)
    # combine() adds durations as for slices one after another; these ran side by side.
    seconds = max(p["duration_us"] for p in parts) / 1e6
    total["rps"] = total["requests"] / seconds
    total["replica_rps"] = [round(p["rps"], 1) for p in parts]
    return total


def _ok(result: dict, what: str) -> dict:
    if result["errors"]:
        raise RuntimeError(f"replicas: {what}: {result['errors']} errors in "
                           f"{result['requests']}")
    return result


def compare(args, store: Store, load: wrk.Load) -> dict:
    served_on, url = store.fresh("replicas")
    servers = [
        Server(f"replica-{n + 1}", sandbox_command(served_on, args.workers, args.threads),
               store.work / f"replica-{n + 1}.log")
        for n in range(args.replicas)
    ]
    bare = Server("bare", bare_command(args.workers, args.threads), store.work / "bare-r.log")
    out: dict = {"replicas": args.replicas, "store": store.kind, "figures": {}}
    try:
        for server in servers:  # one after the other: the first prepares the store
            server.start()
        bare.start()
        first = servers[0]
        itep_headers = itep.prepare(first.port, "bench-itep-r")
        cirrus_headers = cirrus.prepare(first.port, "bench-cirrus-r")
        nonce = str(int(time.time()))
        for count in (1, args.replicas):
            bases = [s.base for s in servers[:count]]
            label = f"{count} replica" + ("s" if count > 1 else "")
            figures = {
                "bare_post": _ok(wrk.run(f"{bare.base}/schedule", load, script="bare_post.lua"),
                                 "bare POST"),
                "itep_assign": _ok(_spread(bases, itep.ASSIGN_PATH, load,
                                           script="itep_assign.lua", headers=itep_headers,
                                           args=[f"{nonce}i{count}"]), "iTEP assign"),
                "cirrus_schedule": _ok(_spread(bases, cirrus.SCHEDULE_PATH, load,
                                               script="cirrus_schedule.lua",
                                               headers=cirrus_headers,
                                               args=[f"{nonce}c{count}"]), "Cirrus schedule"),
            }
            out["figures"][label] = figures
            print(f"[bench] {label}: iTEP assign {figures['itep_assign']['rps']:.0f} req/s, "
                  f"Cirrus POST /schedule {figures['cirrus_schedule']['rps']:.0f} req/s, "
                  f"bare POST {figures['bare_post']['rps']:.0f} req/s", flush=True)
    finally:
        for server in (*servers, bare):
            server.stop()
    return out


def render(result: dict) -> str:
    """The comparison as a small table: req/s, and the ratio to the bare POST."""
    lines = [f"\nReplicas on one {result['store']} store (req/s; ratio to the bare POST):",
             f"  {'':<12} {'iTEP assign':>22} {'Cirrus POST /schedule':>24} {'bare POST':>10}"]
    for label, figures in result["figures"].items():
        bare = figures["bare_post"]["rps"]
        cells = []
        for key in ("itep_assign", "cirrus_schedule"):
            rps = figures[key]["rps"]
            cells.append(f"{rps:8.0f} ({rps / bare:.3f}x)")
        lines.append(f"  {label:<12} {cells[0]:>22} {cells[1]:>24} {bare:>10.0f}")
    return "\n".join(lines)
