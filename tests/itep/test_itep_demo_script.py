"""iTEP's scripted demo (``exam-sandbox demo``) against a served sandbox, in a fresh
tenant: what it prints, and the state it leaves, read through the overview control and
the webhooks control."""

from __future__ import annotations

import time

import requests
from support import demo_run

from exam_sandbox.demo import ServedDemo
from exam_sandbox.providers.itep.provider import ItepProvider


def run(sandbox) -> tuple[ServedDemo, list[str]]:
    return demo_run(sandbox, ItepProvider())


def control(sandbox, demo: ServedDemo, path: str):
    response = requests.get(f"{sandbox.url}/_sandbox/tenants/{demo.tenant_id}/{path}", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def delivered(sandbox, demo: ServedDemo, count: int) -> list[dict]:
    """The tenant's deliveries once ``count`` are recorded as delivered: the receiver
    has a request before the sandbox records its answer."""
    deadline = time.monotonic() + 10
    while True:
        hooks = control(sandbox, demo, "webhooks")
        if [d["state"] for d in hooks] == ["delivered"] * count or time.monotonic() > deadline:
            return hooks
        time.sleep(0.05)


def test_the_demo_assigns_resits_completes_and_reads_the_result(sandbox):
    demo, lines = run(sandbox)
    view = control(sandbox, demo, "overview/itep")
    tables = {t["name"]: t for t in view["tables"]}

    resit, first = (r["cells"] for r in tables["tests"]["rows"][:2])
    for test in (resit, first):
        assert test["product"] == "AP"
        assert test["assigned_to"] == "Grace Hopper <grace.hopper@example.com>"
        assert test["oid"] == "DEMO-ENROLMENT-1"
        assert test["tracking_code"] == "DEMO-RESULTS"
    assert (first["status"], resit["status"]) == ("Problem", "Complete")
    stock = next(r["cells"] for r in tables["inventory"]["rows"] if r["key"] == "AP")
    assert stock["available"] == 20 - 2

    # Both moves fired the results webhook, and the run's receiver took both.
    hooks = delivered(sandbox, demo, 2)
    assert [
        (d["vendor"], d["state"], d["payload"]["TestID"], d["payload"]["Status"]) for d in hooks
    ] == [
        ("itep", "delivered", first["test_id"], "Problem"),
        ("itep", "delivered", resit["test_id"], "Complete"),
    ]
    assert control(sandbox, demo, "itep/outbox")[0]["test_id"] == first["test_id"]

    assert all(line.startswith("  [itep] ") for line in lines)
    steps = [line.removeprefix("  [itep] ") for line in lines]
    assert len(steps) == 7
    assert steps[0].startswith(
        "iTEP staff set up tracking code DEMO-RESULTS: results go to http://127.0.0.1:"
    )
    assert steps[1] == (
        "Assign a test ID to Grace Hopper and e-mail it (POST /test-ids/assign-and-email)"
    )
    assert steps[2] == f"Read test {first['test_id']} back (control: tests/{first['test_id']})"
    assert steps[3].startswith("Ready, e-mailed to grace.hopper@example.com. ")
    assert steps[4] == (
        f"The results webhook says {first['test_id']} is Problem: assign "
        "Grace Hopper a second test ID as a resit (POST /test-ids/assign)"
    )
    assert steps[5].startswith(f"Grace Hopper sits {resit['test_id']} to the end")
    assert steps[6] == (
        f"Results webhook read with the client: {resit['test_id']} Complete, overall 4.6 "
        "(B2); Grammar 4.6, Listening 5.1, Reading 4.8, Writing 4.2, Speaking 4.4"
    )


def test_the_demo_runs_again_in_another_fresh_tenant(sandbox):
    first, _ = run(sandbox)
    second, lines = run(sandbox)
    assert first.tenant_id != second.tenant_id
    assert len(lines) == 7
    assert [d["state"] for d in delivered(sandbox, second, 2)] == ["delivered"] * 2
