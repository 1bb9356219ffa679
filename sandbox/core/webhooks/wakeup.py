"""Which dispatcher serves a database in this process, and waking it once a transaction
that enqueued (or redelivered) commits.

Woken before the commit, the dispatcher could look, find nothing yet and go back to
sleep; woken after a rollback, it would look for nothing. So ``enqueue`` asks for a wake
when its transaction commits (an ``after_commit`` listener on that session, once), and a
refused request never starts a thread. A database that no dispatcher of this process
serves (a script's own ``Database``) is not woken: a running server finds the delivery
when it next polls, or when it starts.
"""

from __future__ import annotations

import weakref
from typing import Protocol

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

_WAKE_KEY = "exam_sandbox.webhooks.wake"


class Wakeable(Protocol):
    def wake(self) -> None: ...


# Keyed by the database's writer engine, weakly both ways: the dispatcher holds its
# database, and neither must outlive the app that made them.
_serving: weakref.WeakKeyDictionary[Engine, weakref.ref] = weakref.WeakKeyDictionary()


def serve(engine: Engine, dispatcher: Wakeable) -> None:
    """``dispatcher`` is the one to wake for commits on ``engine``."""
    _serving[engine] = weakref.ref(dispatcher)


def dispatcher_for(engine) -> Wakeable | None:
    found = _serving.get(engine)
    return found() if found is not None else None


def wake_after_commit(session: Session) -> None:
    """Wake the dispatcher serving ``session``'s database when its transaction commits."""
    if session.info.get(_WAKE_KEY):
        return  # already asked for in this session
    dispatcher = dispatcher_for(session.get_bind())
    if dispatcher is None:
        return
    session.info[_WAKE_KEY] = True

    def _committed(_session) -> None:
        _session.info.pop(_WAKE_KEY, None)
        dispatcher.wake()

    event.listen(session, "after_commit", _committed, once=True)
