"""Count the SQL statements a request runs (importable as ``sql_statements``).

A deterministic stand-in for a timing test: two requests that run the same statements
and compare the same number of secrets do the same work, without asserting on a clock.
"""

from __future__ import annotations

import hmac
import threading
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def counted(app, monkeypatch):
    """Yield a dict whose ``statements`` and ``comparisons`` grow while the block runs:
    SQL sent to either engine by this thread (the test client answers in it), and calls
    of ``hmac.compare_digest``. Other threads' SQL is not the request's work: the journal
    queue's writer (core/journal_queue.py) flushes earlier entries whenever it wakes."""
    tally = {"statements": 0, "comparisons": 0}
    caller = threading.get_ident()
    db = app.extensions["exam_sandbox"].db
    engines = {id(e): e for e in (db.reader, db.writer)}.values()

    def on_statement(*_args):
        if threading.get_ident() == caller:
            tally["statements"] += 1

    real_compare = hmac.compare_digest

    def compare(a, b):
        tally["comparisons"] += 1
        return real_compare(a, b)

    monkeypatch.setattr(hmac, "compare_digest", compare)
    for engine in engines:
        event.listen(engine, "before_cursor_execute", on_statement)
    try:
        yield tally
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", on_statement)
        monkeypatch.setattr(hmac, "compare_digest", real_compare)
