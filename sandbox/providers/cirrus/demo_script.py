"""Cirrus's scripted demo (core/demo_script.py): an integration publishes an assessment,
books a candidate, moves the booking, the candidate sits, fails, is booked again and
passes with a result held for review, and the integration reads both results back.

The integration's calls go through the real client (``exam_sandbox.client.cirrus``);
what the candidate and Cirrus's staff do (sit, publish) through the documented
``/_sandbox`` controls. Every id it needs is made in the run (Cirrus generates the
schedules' ids) or seeded in every tenant (the unpublished assessment ``DRAFT-1``), so
it runs in any fresh tenant, and again in the same one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import requests

from exam_sandbox.client.cirrus import Candidate
from exam_sandbox.core.demo_script import DemoError, DemoRun

VENDOR = "cirrus"
ASSESSMENT = "DRAFT-1"  # seeded unpublished (fixtures.py)
CANDIDATE = Candidate("DEMO-ADA", "Ada", "Lovelace", "ada.lovelace@example.com")
GROUP = {"group_ext_id": "DEMO-GROUP", "group_name": "Demo class"}
FIRST_SCORE = 41.0  # under the pass mark (50): UNSATISFACTORY, so she resits
RESIT_SCORE = 78.0
LAUNCH_TIMEOUT = 10


def run_demo(demo: DemoRun) -> None:
    cirrus = demo.client(VENDOR)
    try:
        _script(demo, cirrus)
    finally:
        cirrus.close()


def _script(demo: DemoRun, cirrus) -> None:
    candidate = CANDIDATE.candidate_ext_id
    demo.step(VENDOR, f"Read assessment {ASSESSMENT} (GET /assessment/{ASSESSMENT})")
    assessment = cirrus.get_assessment(ASSESSMENT)
    if not assessment.is_published:
        demo.step(
            VENDOR,
            f"{assessment.title!r} is not published: its author publishes it (control: publish)",
        )
        demo.control("POST", f"{VENDOR}/assessments/{ASSESSMENT}/publish", {})

    tomorrow = (_now(demo) + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    demo.step(
        VENDOR, f"Book {_name()} on {ASSESSMENT} for {tomorrow:%Y-%m-%d %H:%M} UTC (POST /schedule)"
    )
    booked = cirrus.schedule_test(
        assessment_ext_id=ASSESSMENT, start=tomorrow, candidates=[CANDIDATE], **GROUP
    )
    first = booked.schedule_ext_id
    link = booked.candidate(candidate).launch_url

    demo.step(
        VENDOR,
        f"She can sit it today: move schedule {first} to start now "
        f"(PATCH /external/schedule/{first})",
    )
    cirrus.update_schedule(first, start=_start_now(demo))

    demo.step(
        VENDOR,
        f"{_name()} opens her launch link {link} and sits the test "
        f"(control: complete, score {FIRST_SCORE:g})",
    )
    _open(link)
    sat = demo.control(
        "POST",
        f"{VENDOR}/schedules/{first}/candidates/{candidate}/complete",
        {"score": FIRST_SCORE},
    )

    demo.step(
        VENDOR, f"{sat['outcome']}: book her resit on a new schedule starting now (POST /schedule)"
    )
    resit = cirrus.schedule_test(
        assessment_ext_id=ASSESSMENT,
        start=_start_now(demo),
        title=f"{ASSESSMENT} resit",
        candidates=[CANDIDATE],
        **GROUP,
    )
    second = resit.schedule_ext_id

    demo.step(
        VENDOR,
        f"She sits the resit on schedule {second}; the result is held for "
        f"review (control: complete, score {RESIT_SCORE:g}, publish false)",
    )
    demo.control(
        "POST",
        f"{VENDOR}/schedules/{second}/candidates/{candidate}/complete",
        {"score": RESIT_SCORE, "publish": False},
    )

    demo.step(VENDOR, "A marker publishes the held result (control: publish)")
    demo.control("POST", f"{VENDOR}/schedules/{second}/candidates/{candidate}/publish", {})

    demo.step(VENDOR, f"Read {_name()}'s results (GET /results?CandidateExtId={candidate})")
    results = cirrus.get_results(candidate_ext_id=candidate)
    if len(results.attempts) != 2:
        raise DemoError(f"cirrus: expected 2 published attempts, got {len(results.attempts)}")
    demo.step(
        VENDOR,
        "Results: "
        + "; ".join(
            f"schedule {a.schedule_ext_id} attempt {a.attempt_ext_id} {a.score:g} {a.outcome}"
            for a in results.attempts
        ),
    )


def _name() -> str:
    return f"{CANDIDATE.first_name} {CANDIDATE.last_name}"


def _now(demo: DemoRun) -> datetime:
    """The tenant clock's now (every window is on it, and it may not be the wall's)."""
    text = demo.control("GET", "clock")["now"]
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _start_now(demo: DemoRun) -> datetime:
    """A window that is open now: Cirrus's dates have whole seconds, so a minute back."""
    return _now(demo).replace(microsecond=0) - timedelta(minutes=1)


def _open(link: str | None) -> None:
    """What the candidate's browser does with the launch link: the sandbox's page."""
    if not link:
        raise DemoError("cirrus: the schedule's answer has no LaunchUrl")
    response = requests.get(link, timeout=LAUNCH_TIMEOUT)
    if response.status_code != 200:
        raise DemoError(f"cirrus: GET {link} -> {response.status_code}")
