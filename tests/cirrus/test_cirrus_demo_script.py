"""Cirrus's scripted demo (``exam-sandbox demo``) against a served sandbox, in a fresh
tenant: what it prints, and the state it leaves, read through the overview control."""

from __future__ import annotations

from support import demo_run, served_tables

from exam_sandbox.demo import ServedDemo
from exam_sandbox.providers.cirrus.provider import CirrusProvider


def run(sandbox) -> tuple[ServedDemo, list[str]]:
    return demo_run(sandbox, CirrusProvider())


def overview(sandbox, demo: ServedDemo) -> dict:
    return served_tables(sandbox, demo.tenant_id, "cirrus")


def test_the_demo_books_resits_sits_and_reads_results(sandbox):
    demo, lines = run(sandbox)
    tables = overview(sandbox, demo)

    schedules = tables["schedules"]["rows"]
    assert tables["schedules"]["total"] == 2
    resit, first = (r["cells"] for r in schedules)
    assert first["assessment"] == resit["assessment"] == "DRAFT-1"
    assert resit["title"] == "DRAFT-1 resit"
    assert first["window"] == resit["window"] == "Open"  # the first was moved to now
    assert first["candidates"] == resit["candidates"] == 1

    sittings = [r["cells"] for r in tables["sittings"]["rows"]]
    assert [
        (s["schedule"], s["candidate"], s["state"], s["score"], s["outcome"], s["published"])
        for s in sittings
    ] == [
        (resit["schedule"], "DEMO-ADA", "Sat", 78.0, "SATISFACTORY", "yes"),
        (first["schedule"], "DEMO-ADA", "Sat", 41.0, "UNSATISFACTORY", "yes"),
    ]
    assert all(s["name"] == "Ada Lovelace" for s in sittings)
    assert all(
        s["launch"].startswith(f"{sandbox.url}/cirrus/t/{demo.tenant_id}/") for s in sittings
    )
    draft = next(r for r in tables["assessments"]["rows"] if r["key"] == "DRAFT-1")
    assert draft["cells"]["published"] == "Published"

    assert all(line.startswith("  [cirrus] ") for line in lines)
    steps = [line.removeprefix("  [cirrus] ") for line in lines]
    assert steps[0] == "Read assessment DRAFT-1 (GET /assessment/DRAFT-1)"
    assert steps[1].startswith("'Chemistry mock (draft)' is not published")
    assert steps[2].startswith("Book Ada Lovelace on DRAFT-1 for ")
    assert steps[3].startswith(f"She can sit it today: move schedule {first['schedule']} ")
    assert f"launch link {sittings[1]['launch']} " in steps[4]
    assert steps[5].startswith("UNSATISFACTORY: book her resit")
    assert steps[6].startswith(f"She sits the resit on schedule {resit['schedule']}")
    assert steps[7] == "A marker publishes the held result (control: publish)"
    assert steps[8] == "Read Ada Lovelace's results (GET /results?CandidateExtId=DEMO-ADA)"
    attempts = [s["attempt"] for s in sittings]
    assert steps[9] == (
        f"Results: schedule {first['schedule']} attempt {attempts[1]} 41 UNSATISFACTORY; "
        f"schedule {resit['schedule']} attempt {attempts[0]} 78 SATISFACTORY"
    )
    assert len(steps) == 10


def test_the_demo_runs_again_in_another_fresh_tenant(sandbox):
    first, _ = run(sandbox)
    second, lines = run(sandbox)
    assert first.tenant_id != second.tenant_id
    assert overview(sandbox, second)["sittings"]["total"] == 2
    assert len(lines) == 10
