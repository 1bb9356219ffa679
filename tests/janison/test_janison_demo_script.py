"""Janison's scripted demo (``exam-sandbox demo``) against a served sandbox, in a fresh
tenant: what it prints, and the state it leaves, read through the overview control and
the vendor's own results."""

from __future__ import annotations

import re

from support import demo_run, served_tables

from exam_sandbox.demo import ServedDemo
from exam_sandbox.providers.janison.provider import JanisonProvider

KEYCODE = r"[A-Z0-9]{8}"
GRADE = r"(Below A1|A1|A2|B1|B2|C1|C2) \(\d+\)"


def run(sandbox) -> tuple[ServedDemo, list[str]]:
    return demo_run(sandbox, JanisonProvider())


def tables(sandbox, demo: ServedDemo) -> dict:
    return served_tables(sandbox, demo.tenant_id, "janison")


def test_the_demo_books_sits_resits_and_reads_results(sandbox):
    demo, lines = run(sandbox)
    shown = tables(sandbox, demo)
    schedule = shown["schedules"]["rows"][0]
    assert schedule["cells"] | {"centre": None, "reference": None,
                                "testPackageDate": None} == {
        "id": shown["schedules"]["total"],
        "reference": None,
        "testPackage": "General English: listening and reading (ENG-GEN-LR)",
        "centre": None,
        "testPackageDate": None,
        "status": "Completed",
        "enrolled": 2,
        "completed": 2,
    }
    assert schedule["actions"] == []
    enrolments = [r["cells"] for r in shown["enrolments"]["rows"][:2]]
    assert [(e["testSchedule"], e["candidate"][-9:], e["status"]) for e in enrolments] == [
        (schedule["cells"]["id"], "(CAN0035)", "Completed"),
        (schedule["cells"]["id"], "(CAN0034)", "Completed"),
    ]
    assert sorted(e["attempt"] for e in enrolments) == [1, 2]  # one resat Reading

    assert all(line.startswith("  [janison] ") for line in lines)
    steps = [line.removeprefix("  [janison] ") for line in lines]
    patterns = [
        r"Get an OAuth2 token \(POST oauth2/token\), then book ENG-GEN-LR at CTR002 on "
        r"\d{4}-\d\d-\d\d for CAN0034 and CAN0035 \(POST testschedule\)",
        rf"Schedule {schedule['cells']['id']} booked \(CAN0034: {KEYCODE} {KEYCODE} {KEYCODE}; "
        rf"CAN0035: {KEYCODE} {KEYCODE} {KEYCODE}\)\. The candidates sit it: Janison completes "
        r"their enrolments \(sandbox control\)",
        r"Read the results back \(GET result/\d+, result/\d+\)",
        rf"Results: CAN0034 {GRADE}, CAN0035 {GRADE}\. CAN003[45] resits Reading: a new version "
        r"and keycode \(POST testschedulecomponent\)",
        rf"CAN003[45] sits the resit \({KEYCODE}\), raw score 88 in Reading \(sandbox control\)",
        r"Read CAN003[45]'s result back, rewritten after the resit \(GET result/\d+\)",
        rf"Done: CAN003[45] {GRADE} -> {GRADE}",
    ]
    assert len(steps) == len(patterns)
    for step, pattern in zip(steps, patterns, strict=True):
        assert re.fullmatch(pattern, step), (step, pattern)
    resat = next(e for e in enrolments if e["attempt"] == 2)
    assert steps[-1].endswith(f"-> {resat['overallCEFRGrade']} ({resat['finalScaleScore']})")


def test_the_demo_runs_again_in_another_fresh_tenant(sandbox):
    first, first_lines = run(sandbox)
    second, second_lines = run(sandbox)
    assert first.tenant_id != second.tenant_id
    assert len(first_lines) == len(second_lines)
    assert tables(sandbox, second)["schedules"]["total"] == tables(sandbox, first)[
        "schedules"]["total"]
