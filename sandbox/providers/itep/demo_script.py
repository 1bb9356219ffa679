"""iTEP's scripted demo (core/demo_script.py): an integration assigns and e-mails a test
ID to a candidate, reads it back, hears through the results webhook that the test had a
problem, assigns a second test ID as a resit, and reads the resit's result when it is
complete.

The integration's calls go through the real client (``exam_sandbox.client.itep``): the
assign calls, and ``read_results`` on the webhook it receives, signature checked, as a
customer's receiver would. The receiver is a local HTTP server of the run
(``exam_sandbox.webhook_receiver``, which imports nothing of the sandbox), so the
sandbox must be able to reach this process: ``exam-sandbox demo`` serves it on the same
host. What iTEP's staff and the candidate do (the tracking code, the test's statuses)
goes through the documented ``/_sandbox`` controls. It uses the seeded AP inventory,
one test ID per assign, so it runs in any fresh tenant.
"""

from __future__ import annotations

import time

from exam_sandbox.client.itep import Candidate, read_results
from exam_sandbox.client.itep.models import TestResult
from exam_sandbox.core.demo_script import DemoError, DemoRun
from exam_sandbox.webhook_receiver import WebhookReceiver

VENDOR = "itep"
CANDIDATE = Candidate("Grace Hopper", "grace.hopper@example.com", "DEMO-GRACE")
OID = "DEMO-ENROLMENT-1"
TRACKING_CODE = "DEMO-RESULTS"
LEVELS = {"Grammar": 4.6, "Listening": 5.1, "Reading": 4.8, "Writing": 4.2, "Speaking": 4.4}
WEBHOOK_TIMEOUT = 20.0  # seconds; a first attempt goes out within a tick (0.5 s)


def run_demo(demo: DemoRun) -> None:
    itep = demo.client(VENDOR)
    try:
        with WebhookReceiver() as receiver:
            _script(demo, itep, receiver)
    finally:
        itep.close()


def _script(demo: DemoRun, itep, receiver: WebhookReceiver) -> None:
    name = CANDIDATE.name
    demo.step(
        VENDOR,
        f"iTEP staff set up tracking code {TRACKING_CODE}: results go to "
        f"{receiver.url} (control: tracking-codes)",
    )
    demo.control("PUT", f"{VENDOR}/tracking-codes/{TRACKING_CODE}", {"url": receiver.url})

    demo.step(VENDOR, f"Assign a test ID to {name} and e-mail it (POST /test-ids/assign-and-email)")
    first = itep.assign_and_email(CANDIDATE, oid=OID, tracking_code=TRACKING_CODE)

    demo.step(VENDOR, f"Read test {first.test_id} back (control: tests/{first.test_id})")
    test = demo.control("GET", f"{VENDOR}/tests/{first.test_id}")

    demo.step(
        VENDOR,
        f"{test['status']}, e-mailed to {test['emailed_to']}. {name} starts "
        "it and hits a technical problem (control: status Problem)",
    )
    demo.control("POST", f"{VENDOR}/tests/{first.test_id}/status", {"status": "Problem"})
    problem = _result(demo, receiver, first.test_id)

    demo.step(
        VENDOR,
        f"The results webhook says {problem.test_id} is {problem.status}: "
        f"assign {name} a second test ID as a resit (POST /test-ids/assign)",
    )
    resit = itep.assign_test_id(CANDIDATE, oid=OID, tracking_code=TRACKING_CODE)

    demo.step(
        VENDOR,
        f"{name} sits {resit.test_id} to the end (control: status Complete, "
        "with her section levels)",
    )
    demo.control(
        "POST", f"{VENDOR}/tests/{resit.test_id}/status", {"status": "Complete", "scores": LEVELS}
    )
    result = _result(demo, receiver, resit.test_id)

    sections = ", ".join(f"{s} {score.level:g}" for s, score in result.sections.items())
    demo.step(
        VENDOR,
        f"Results webhook read with the client: {result.test_id} "
        f"{result.status}, overall {result.overall_level:g} "
        f"({result.overall_cefr}); {sections}",
    )


def _result(demo: DemoRun, receiver: WebhookReceiver, test_id: str) -> TestResult:
    """The results webhook for ``test_id``, read as a receiver would: the signature
    checked with the tenant's secret, the form's ``data`` parsed by the client."""
    deadline = time.monotonic() + WEBHOOK_TIMEOUT
    while True:
        for request in reversed(receiver.requests):
            result = read_results(request.body, request.headers, secret=demo.webhook_secret)
            if result.test_id == test_id:
                return result
        if time.monotonic() > deadline:
            raise DemoError(
                f"itep: no results webhook for {test_id} reached {receiver.url} "
                f"within {WEBHOOK_TIMEOUT:g} s"
            )
        time.sleep(0.05)
