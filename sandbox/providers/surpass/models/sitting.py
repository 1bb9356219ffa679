"""A session moved along its sitting by the vendor (the sandbox's ``/state`` control).

On a real site the customer's API never moves a session forward: Surpass does, as the
exam is created and downloaded to the test centre (ScheduledButNotDownloaded, Ready),
the candidate starts it (InProgress), finishes it (Finished) and it is marked (Marked),
all states of ``SurpassApiExamState`` (SDK). The control stands in for that, one
``SurpassApiExamState`` forward at a time or several at once, never back: the API's own
PUT TestSession (TSS-1) keeps the customer's moves (pause, resume, void).
"""

from __future__ import annotations

from exam_sandbox.core.errors import Conflict, ErrorDetail, NotFound
from exam_sandbox.core.scope import RequestScope

from ..tables import TestSession
from .sessions import find_session, state_name

# The states a control may move a session to, in the order a sitting passes them.
TARGETS = {
    "ScheduledButNotDownloaded": 2,
    "Ready": 4,
    "InProgress": 6,
    "Finished": 9,
    "Marked": 11,
}
# How far along its sitting each state is (0..5); a state left out (None 0, Voided 10,
# Archived 13, Exception 99) ends the sitting: nothing moves it on.
STAGE = {
    1: 0,  # ScheduledButNotCreated
    2: 1, 3: 1,  # ScheduledButNotDownloaded, ScheduledButLocked
    4: 2, 5: 2, 14: 2, 22: 2,  # Ready, LockedForInvigilator, LockedByPin, RequiresCheckIn
    6: 3, 7: 3, 8: 3,  # InProgress, Paused, Offline
    9: 4, 15: 4, 16: 4, 18: 4, 19: 4, 20: 4,  # Finished, and awaiting marking or upload
    11: 5, 12: 5,  # Marked, ScriptVerified
}


def next_targets(state: int) -> list[str]:
    """The targets a session in ``state`` may move to, nearest first."""
    stage = STAGE.get(state)
    if stage is None:
        return []
    return [name for name, value in TARGETS.items() if STAGE[value] > stage]


def move_session(scope: RequestScope, key: str, target: str) -> tuple[TestSession, int]:
    """Move the session named by ``key`` (id or keycode) to ``target``; returns the
    session and the state it left. 404 for no session, 409 for a move that is not
    forward along the sitting."""
    session = find_session(scope.session, key)
    if session is None:
        raise NotFound(ErrorDetail(404, f"No test session '{key}'"))
    previous = session.state
    if target not in next_targets(previous):
        raise Conflict(
            ErrorDetail(
                409,
                f"Test session {session.id} is {state_name(previous)}: it cannot move to "
                f"{target} (a sitting only moves forward, and not after Voided or Archived)",
            )
        )
    session.state = TARGETS[target]
    scope.session.flush()
    return session, previous
