"""Surpass's scripted demo (``exam-sandbox demo``; core/demo_script.py): a customer's
integration books a seeded candidate on a test through the real client, reschedules it
(a session still editable is deleted and booked again: Surpass has no PUT TestSchedule),
the candidate sits it (the ``/state`` control stands in for Surpass's own delivery), and
a resit is booked once the first sitting is Finished (the open-session rule, TS-26). The
sandbox has no Surpass Result resource: the sessions' states are what comes back.

The seed's references do not depend on the seed: CAND00001's home centre is CEN001 and
Mathematics is one of its subjects, CEN001 offers Mathematics, and no seeded session is
for MATHS-PRAC (a live, uninvigilated test with two forms), so the first booking meets no
open session on any tenant.
"""

from __future__ import annotations

import datetime as dt

from exam_sandbox.core.demo_script import DemoRun

VENDOR = "surpass"
CANDIDATE, TEST, CENTRE = "CAND00001", "MATHS-PRAC", "CEN001"
FROM, TO = dt.time(9, 0), dt.time(17, 0)


def tenant_today(demo: DemoRun) -> dt.date:
    """The tenant clock's date (UTC): what the sandbox checks a window against."""
    now = demo.control("GET", "clock")["now"]
    return dt.datetime.fromisoformat(now.replace("Z", "+00:00")).date()


def run_demo(demo: DemoRun) -> None:
    with demo.client(VENDOR) as surpass:
        _run(demo, surpass)


def _run(demo: DemoRun, surpass) -> None:
    day = tenant_today(demo) + dt.timedelta(days=1)
    book = {"test": TEST, "centre": CENTRE, "candidate": CANDIDATE, "start_time": FROM,
            "end_time": TO}

    demo.step(VENDOR, f"Book {TEST} at {CENTRE} for candidate {CANDIDATE} on {day:%d/%m/%Y} "
              f"09:00-17:00 (POST TestSchedule)")
    first = surpass.schedule_test(start_date=day, **book)

    demo.step(VENDOR, f"Read the session back by its keycode (GET TestSession/{first.keycode})")
    session = surpass.get_test_session(first.keycode)

    demo.step(VENDOR, f"Session {session.id} is {session.state_name}, still editable: "
              f"reschedule it, first DELETE TestSchedule/{first.keycode}")
    surpass.delete_schedule(first.keycode)

    later = day + dt.timedelta(days=7)
    demo.step(VENDOR, f"... then book it again a week later, on {later:%d/%m/%Y} "
              f"(POST TestSchedule)")
    moved = surpass.schedule_test(start_date=later, **book)

    demo.step(VENDOR, f"The candidate downloads and starts session {moved.keycode} with PIN "
              f"{moved.pin}: Surpass moves it to InProgress (sandbox control)")
    demo.control("POST", f"{VENDOR}/testsession/{moved.id}/state", {"state": "InProgress"})

    demo.step(VENDOR, "The candidate finishes: Surpass moves the session to Finished (sandbox "
              "control; the sandbox has no Surpass Result resource, the state is the outcome)")
    demo.control("POST", f"{VENDOR}/testsession/{moved.id}/state", {"state": "Finished"})

    resit_day = later + dt.timedelta(days=14)
    demo.step(VENDOR, f"Book a resit on {resit_day:%d/%m/%Y}: allowed now that the first "
              f"sitting is Finished (open-session rule TS-26) (POST TestSchedule)")
    surpass.schedule_test(start_date=resit_day, **book)

    demo.step(VENDOR, f"Read {CANDIDATE}'s {TEST} sessions back (GET TestSession?$filter=...)")
    sessions = list(surpass.iter_test_sessions(
        where={"candidate/reference": CANDIDATE, "test/reference": TEST}, order_by="id"))
    shown = ", ".join(f"{s.keycode} {s.state_name}" for s in sessions)
    demo.step(VENDOR, f"Done: {len(sessions)} sessions ({shown})")
