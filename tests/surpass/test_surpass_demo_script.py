"""Surpass's scripted demo (``exam-sandbox demo``) against a served sandbox, in a fresh
tenant: what it prints, and the state it leaves, read through the overview control."""

from __future__ import annotations

import re

from support import demo_run, served_tables

from exam_sandbox.demo import ServedDemo
from exam_sandbox.providers.surpass.provider import SurpassProvider

DAY = r"\d\d/\d\d/\d{4}"
KEYCODE = r"[A-Z0-9]{8}"


def run(sandbox) -> tuple[ServedDemo, list[str]]:
    return demo_run(sandbox, SurpassProvider())


def sessions(sandbox, demo: ServedDemo) -> dict:
    return served_tables(sandbox, demo.tenant_id, "surpass")["sessions"]


def test_the_demo_books_reschedules_sits_and_resits(sandbox):
    demo, lines = run(sandbox)
    table = sessions(sandbox, demo)
    seeded = table["total"] - 2  # the deleted first booking is gone
    mine = [r["cells"] for r in table["rows"][:2]]
    resit, sat = mine
    assert (resit["state"], sat["state"]) == ("ScheduledButNotCreated", "Finished")
    assert all(c["test"] == "Practice Quiz (MATHS-PRAC)" for c in mine)
    assert all(c["candidate"].endswith("(CAND00001)") for c in mine)
    assert (resit["id"], sat["id"]) == (seeded + 3, seeded + 2)
    assert [a["name"] for a in table["rows"][0]["actions"]] == ["state-Ready", "state-Finished"]
    assert [a["name"] for a in table["rows"][1]["actions"]] == ["state-Marked"]

    assert all(line.startswith("  [surpass] ") for line in lines)
    steps = [line.removeprefix("  [surpass] ") for line in lines]
    patterns = [
        rf"Book MATHS-PRAC at CEN001 for candidate CAND00001 on {DAY} 09:00-17:00 "
        r"\(POST TestSchedule\)",
        rf"Read the session back by its keycode \(GET TestSession/{KEYCODE}\)",
        rf"Session {seeded + 1} is ScheduledButNotCreated, still editable: reschedule it, "
        rf"first DELETE TestSchedule/{KEYCODE}",
        rf"\.\.\. then book it again a week later, on {DAY} \(POST TestSchedule\)",
        rf"The candidate downloads and starts session {sat['keycode']} with PIN {sat['pin']}: "
        r"Surpass moves it to InProgress \(sandbox control\)",
        r"The candidate finishes: Surpass moves the session to Finished \(sandbox control; "
        r"the sandbox has no Surpass Result resource, the state is the outcome\)",
        rf"Book a resit on {DAY}: allowed now that the first sitting is Finished",
        r"Read CAND00001's MATHS-PRAC sessions back \(GET TestSession\?\$filter=\.\.\.\)",
        rf"Done: 2 sessions \({sat['keycode']} Finished, {resit['keycode']} "
        r"ScheduledButNotCreated\)",
    ]
    assert len(steps) == len(patterns)
    for step, pattern in zip(steps, patterns, strict=True):
        assert re.match(pattern, step), (step, pattern)


def test_the_demo_runs_again_in_another_fresh_tenant(sandbox):
    first, first_lines = run(sandbox)
    second, second_lines = run(sandbox)
    assert first.tenant_id != second.tenant_id
    assert len(first_lines) == len(second_lines)
    assert sessions(sandbox, second)["total"] == sessions(sandbox, first)["total"]
