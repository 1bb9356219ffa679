"""Journal entries of requests that wrote nothing, written off the request's path.

A read (or a refused write) has no transaction of its own to journal into; taking the
writers' queue for its entry made every GET wait behind every writer (issue 9, item 5).
Instead its entry goes into this per-process queue and the request is answered at
once. A thread of the process, woken at once, writes what is pending in one write
transaction as soon as it holds the writers' queue; whatever arrives while it waits for
the queue goes into the same batch, so under load the journal costs one transaction for
many reads, and when idle an entry is written within about a millisecond.

Reading the journal through the controls takes the writers' queue first (and flushes
this process's queue): a write already queued, another worker's journal thread
included, lands before the read. The one window left is another worker's entry whose
thread has not yet reached the queue when the read does, a fraction of a millisecond
after its answer was sent.

Order, within a process: a request that writes appends what is pending to its own
transaction before its own entry (``take`` under the writers' lock), and the thread
takes the pending entries only once it holds the writers' lock itself, so entries are
numbered in the order the requests were answered. Across processes they are numbered
in the order they reach the database, as before.

Reading or clearing the journal first ``flush``es this process's queue. An entry of a
tenant deleted meanwhile is dropped. At exit the queue is flushed; a ``kill -9`` loses
at most the entries of reads answered in the last moments, never a write's.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import weakref

from sqlalchemy import select

from . import journal
from .journal import Entry
from .tenants import Tenant

log = logging.getLogger(__name__)


class JournalQueue:
    def __init__(self, db, *, limit: int) -> None:
        self._db = db
        self._limit = limit
        self._pending: list[Entry] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._writer: threading.Thread | None = None
        self._pid: int | None = None
        _queues.add(self)

    def put(self, entry: Entry) -> None:
        with self._lock:
            self._pending.append(entry)
            self._ensure_writer()
        self._wake.set()

    def take(self) -> list[Entry]:
        """Everything pending, oldest first, for the caller to write (it holds the
        writers' lock) or to ``put_back`` if its transaction fails."""
        with self._lock:
            taken, self._pending = self._pending, []
        return taken

    def put_back(self, entries: list[Entry]) -> None:
        if entries:
            with self._lock:
                self._pending[:0] = entries
                self._ensure_writer()
            self._wake.set()

    def drain_into(self, session) -> list[Entry]:
        """Write what is pending in ``session``'s write transaction (the caller holds the
        writers' lock), in a savepoint so a failure here cannot spoil the caller's own
        writes; returns the entries taken, for ``put_back`` if the caller's commit fails."""
        taken = self.take()
        if not taken:
            return taken
        try:
            with session.begin_nested():
                self._write(session, taken)
        except Exception:
            log.exception("could not write the pending journal entries")
            self.put_back(taken)
            return []
        return taken

    def _write(self, session, taken: list[Entry]) -> None:
        live = _existing_tenants(session, {e.tenant_id for e in taken})
        journal.write(
            session.connection, [e for e in taken if e.tenant_id in live], limit=self._limit
        )

    def flush(self) -> None:
        """Write what is pending now, in a write transaction of its own."""
        if not self._pending:
            return
        try:
            with self._db.session(write=True) as session:
                taken = self.take()  # under the writers' lock: see the module's doc
                if taken:
                    self._write(session, taken)
        except Exception:
            log.exception("could not write the pending journal entries")

    def _ensure_writer(self) -> None:
        # A thread does not survive a fork: a child starts its own.
        if self._writer is None or self._pid != os.getpid() or not self._writer.is_alive():
            self._pid = os.getpid()
            self._writer = threading.Thread(
                target=self._run, name="journal-writer", daemon=True
            )
            self._writer.start()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            self.flush()


def _existing_tenants(session, tenant_ids: set[str]) -> set[str]:
    found = session.execute(select(Tenant.id).where(Tenant.id.in_(tenant_ids))).scalars()
    return set(found)


# Every queue of the process, flushed at a clean exit (weakly held: an app's queue goes
# with its app).
_queues: weakref.WeakSet[JournalQueue] = weakref.WeakSet()


@atexit.register
def _flush_all() -> None:
    for queue in list(_queues):
        queue.flush()
