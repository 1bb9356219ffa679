"""SQLite's WAL checkpoints run off the writers' lock (core/db.py, WalCheckpoints):
commits never checkpoint, a thread of the process does, every EVERY commits."""

from __future__ import annotations

import time

from sqlalchemy import text

from exam_sandbox.core.db import Database, WalCheckpoints


def test_writers_never_checkpoint_and_the_thread_does(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'wal.db'}")
    try:
        with db.writer.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
            connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            connection.commit()
        for n in range(WalCheckpoints.EVERY + 1):
            with db.session(write=True) as session:
                session.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
        deadline = time.monotonic() + 10
        while db.checkpoints.done == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert db.checkpoints.done >= 1
        busy, wal_pages, copied = db.checkpoints.last
        # PASSIVE: never blocked, and with no reader left behind it copied every page.
        assert busy == 0 and wal_pages > 0 and copied == wal_pages
        with db.session(write=False) as session:
            rows = session.execute(text("SELECT count(*) FROM t")).scalar()
        assert rows == WalCheckpoints.EVERY + 1
    finally:
        db.dispose()
