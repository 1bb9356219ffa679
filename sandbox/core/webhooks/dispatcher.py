"""The dispatcher: one background thread per process that sends due deliveries.

It starts when first needed: a commit that enqueued or redelivered (``wakeup.py``), or
``resume()`` when the server starts on a database that has pending deliveries. It stops
by itself when no delivery is pending anywhere in the database (a later enqueue starts
it again), or when ``stop()`` is called; so a test suite that builds many apps never
keeps a thread per app.

Each tick (every ``poll`` seconds, at once when woken) it asks which tenants have pending
deliveries, computes each one's clock ``now``, and reads those due at it that no lease
holds; it claims each with one atomic UPDATE (a lease token and a wall-clock expiry), so
two processes never send the same attempt; a small pool of sender threads makes the
attempts, so a receiver that hangs holds one sender for at most its timeouts; each
result is recorded in a write transaction of its own, through the writers' queue like
every other write. A process that dies mid-attempt leaves a lease that expires: another
dispatcher (or this one, restarted) then makes that attempt again.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..clock import wall_now
from ..sql import SqlRunner
from . import store
from .sender import Timeouts, send
from .signing import webhook_secret
from .wakeup import serve

log = logging.getLogger(__name__)
GIVE_UP_AFTER = 20  # ticks in a row that failed


@dataclass(frozen=True)
class DispatchSettings:
    """``SandboxConfig.extra`` keys: ``webhook_connect_timeout`` (3 s),
    ``webhook_read_timeout`` (5 s), ``webhook_poll_seconds`` (0.5 s), ``webhook_senders``
    (8 threads)."""

    timeouts: Timeouts = Timeouts()
    poll: float = 0.5
    senders: int = 8

    @classmethod
    def from_extra(cls, extra: dict | None) -> DispatchSettings:
        extra = extra or {}
        return cls(
            timeouts=Timeouts(
                connect=float(extra.get("webhook_connect_timeout", Timeouts.connect)),
                read=float(extra.get("webhook_read_timeout", Timeouts.read)),
            ),
            poll=float(extra.get("webhook_poll_seconds", cls.poll)),
            senders=max(1, int(extra.get("webhook_senders", cls.senders))),
        )

    @property
    def lease(self) -> timedelta:
        """How long a claim holds: well past the longest an attempt can take."""
        return timedelta(seconds=2 * (self.timeouts.connect + self.timeouts.read) + 30)


@dataclass(frozen=True)
class _Job:
    tenant: store.PendingTenant
    due: store.Due
    at: datetime  # the tenant clock's time of the attempt
    token: str


class WebhookDispatcher:
    def __init__(self, db, extra: dict | None = None) -> None:
        self._db = db
        self.settings = DispatchSettings.from_extra(extra)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._stopped = False
        self._in_flight: set[int] = set()  # pks this process is sending now
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._senders: list[threading.Thread] = []  # they serve self._jobs
        serve(db.writer, self)

    # -- starting and stopping ---------------------------------------------------------

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive() and self._pid == os.getpid()

    def wake(self) -> None:
        """Look for due deliveries now, starting the thread if it is not running."""
        with self._lock:
            if self._stopped:
                return
            if not self.running:
                self._start()
            self._wake.set()

    def poke(self) -> None:
        """Look now if running (a tenant clock moved): never starts the thread."""
        if self.running:
            self._wake.set()

    def resume(self) -> bool:
        """At start: run if the database holds pending deliveries (they survive a
        restart). Says whether it does."""
        with self._db.session(write=False) as session:
            pending = store.has_pending(session.connection())
        if pending:
            self.wake()
        return pending

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread and the senders (an attempt in flight ends within its
        timeouts); no later enqueue starts them again."""
        with self._lock:
            self._stopped = True
            thread = self._thread
            self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        with self._lock:
            senders = self._retire_senders()
        for sender in senders:
            sender.join(timeout)

    def _start(self) -> None:
        # Under the lock. A forked child inherits neither the threads nor what was in
        # flight in its parent.
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._in_flight = set()
            self._senders = []
        if not self._senders:
            # A queue of their own: senders retired earlier may still be reading theirs.
            self._jobs = queue.SimpleQueue()
            self._senders = [
                threading.Thread(
                    target=self._send_jobs,
                    args=(self._jobs,),
                    daemon=True,
                    name=f"webhook-sender-{n}",
                )
                for n in range(self.settings.senders)
            ]
            for sender in self._senders:
                sender.start()
        self._thread = threading.Thread(target=self._run, daemon=True, name="webhook-dispatcher")
        self._thread.start()

    def _retire_senders(self) -> list[threading.Thread]:
        """Under the lock: each sender ends once it has finished what it holds."""
        senders, self._senders = self._senders, []
        for _ in senders:
            self._jobs.put(None)
        return senders

    # -- the loop ----------------------------------------------------------------------

    def _run(self) -> None:
        failures = 0
        while True:
            with self._lock:
                if self._stopped:
                    self._thread = None
                    return
            self._wake.clear()
            try:
                busy = self.tick()
                failures = 0
            except Exception:  # a locked or vanished database: try again next tick
                log.exception("webhook dispatcher tick failed")
                failures += 1
                # A database that keeps failing (gone, say) is not polled for ever: the
                # next enqueue or start tries again.
                busy = failures < GIVE_UP_AFTER
            with self._lock:
                if not busy and not self._in_flight and not self._wake.is_set():
                    # Nothing pending anywhere: end, senders too; the next enqueue (its
                    # wake, under this lock) starts them again.
                    self._retire_senders()
                    self._thread = None
                    return
            self._wake.wait(self.settings.poll)

    def tick(self) -> bool:
        """Claim and hand out what is due now; says whether anything is pending."""
        wall = wall_now()
        free = self.settings.senders - len(self._in_flight)
        found: list[_Job] = []
        with self._db.session(write=False) as session:
            tenants = store.pending_tenants(session.connection())
            if not tenants:
                return False
            for tenant in tenants:
                if free <= len(found):
                    break
                sql = SqlRunner(tenant.tenant_id, session.connection)
                now = tenant.clock.now()
                for due in store.due(sql, now=now, wall=wall, limit=free - len(found)):
                    if due.pk not in self._in_flight:
                        found.append(_Job(tenant, due, now, ""))
        if not found:
            return True
        token = uuid.uuid4().hex
        until = wall + self.settings.lease
        claimed = []
        with self._db.session(write=True) as session:
            for job in found:
                sql = SqlRunner(job.tenant.tenant_id, session.connection)
                if store.claim(sql, pk=job.due.pk, token=token, until=until, wall=wall):
                    claimed.append(_Job(job.tenant, job.due, job.at, token))
        for job in claimed:
            self._in_flight.add(job.due.pk)
            self._jobs.put(job)
        return True

    # -- the senders -------------------------------------------------------------------

    def _send_jobs(self, jobs: queue.SimpleQueue) -> None:
        while True:
            job = jobs.get()
            if job is None:
                return
            try:
                self._attempt(job)
            except Exception:  # recorded nothing: the lease expires and it is retried
                log.exception(
                    "webhook delivery %s of %s failed to record", job.due.id, job.tenant.tenant_id
                )
            finally:
                self._in_flight.discard(job.due.pk)
                self.poke()  # a sender is free: more may be due

    def _attempt(self, job: _Job) -> None:
        tenant, due = job.tenant, job.due
        secret = webhook_secret(tenant.tenant_id, tenant.secret)
        outcome = send(due.url, due.body, due.content_type, secret, self.settings.timeouts)
        with self._db.session(write=True) as session:
            sql = SqlRunner(tenant.tenant_id, session.connection)
            store.record(
                sql, pk=due.pk, token=job.token, at=job.at, outcome=outcome, seed=tenant.seed
            )
