"""Janison's scripted demo (``exam-sandbox demo``; core/demo_script.py): a customer's
integration signs in with OAuth2 client credentials, books a test schedule for two seeded
candidates through the real client, the candidates sit it (the ``/complete`` control
stands in for Janison's delivery), the results are read back, the weaker candidate
resits one component (POST testschedulecomponent: a new version and keycode), sits it,
and the rewritten result is read back.

The seed's references do not depend on the seed: package ENG-GEN-LR (whose Reading
component is ENG-GEN-LR-R), centre CTR002 and candidates CAN0034 and CAN0035, whom no
seeded schedule enrols.
"""

from __future__ import annotations

import datetime as dt

from exam_sandbox.core.demo_script import DemoRun

VENDOR = "janison"
PACKAGE, CENTRE, CANDIDATES = "ENG-GEN-LR", "CTR002", ("CAN0034", "CAN0035")
RESIT_COMPONENT, RESIT_SCORE = "ENG-GEN-LR-R", 88


def tenant_today(demo: DemoRun) -> dt.date:
    """The tenant clock's date (UTC): what ENR-3 checks ``testPackageDate`` against."""
    now = demo.control("GET", "clock")["now"]
    return dt.datetime.fromisoformat(now.replace("Z", "+00:00")).date()


def _graded(result) -> str:
    return f"{result.overall_cefr_grade} ({result.final_scale_score})"


def run_demo(demo: DemoRun) -> None:
    credentials = demo.credentials[VENDOR]
    oauth = {
        "token": None,  # the client-credentials grant instead of the static token
        "client_id": credentials["clientId"],
        "client_secret": credentials["clientSecret"],
        "token_url": f"{demo.base_url}/{VENDOR}/oauth2/token",
    }
    with demo.client(VENDOR, **oauth) as janison:
        _run(demo, janison)


def _run(demo: DemoRun, janison) -> None:
    day = tenant_today(demo) + dt.timedelta(days=7)
    demo.step(VENDOR, f"Get an OAuth2 token (POST oauth2/token), then book {PACKAGE} at "
              f"{CENTRE} on {day:%Y-%m-%d} for {' and '.join(CANDIDATES)} (POST testschedule)")
    booked = janison.schedule_test(test_package=PACKAGE, centre=CENTRE,
                                   candidates=list(CANDIDATES), date=day)

    keycodes = "; ".join(f"{e.candidate.reference}: {' '.join(e.keycodes)}"
                         for e in booked.enrolments)
    demo.step(VENDOR, f"Schedule {booked.id} booked ({keycodes}). The candidates sit it: "
              f"Janison completes their enrolments (sandbox control)")
    completed = demo.control("POST", f"{VENDOR}/testschedule/{booked.id}/complete", {})

    result_ids = [r["id"] for r in completed["results"]]
    demo.step(VENDOR, f"Read the results back (GET result/{result_ids[0]}, "
              f"result/{result_ids[1]})")
    results = [janison.get_result(result_id) for result_id in result_ids]

    weaker = min(results, key=lambda r: (float(r.final_scale_score or 0), r.id))
    graded = ", ".join(f"{r.candidate.reference} {_graded(r)}" for r in results)
    demo.step(VENDOR, f"Results: {graded}. {weaker.candidate.reference} resits Reading: a new "
              f"version and keycode (POST testschedulecomponent)")
    resit = janison.reschedule_components(booked, components=[RESIT_COMPONENT],
                                          candidate=weaker.candidate.reference)

    new_keycodes = " ".join(resit.enrolment_for(weaker.candidate.reference).keycodes)
    demo.step(VENDOR, f"{weaker.candidate.reference} sits the resit ({new_keycodes}), raw "
              f"score {RESIT_SCORE} in Reading (sandbox control)")
    demo.control("POST", f"{VENDOR}/testschedule/{booked.id}/complete",
                 {"candidates": [weaker.candidate.id], "scores": {RESIT_COMPONENT: RESIT_SCORE}})

    demo.step(VENDOR, f"Read {weaker.candidate.reference}'s result back, rewritten after the "
              f"resit (GET result/{weaker.id})")
    after = janison.get_result(weaker.id)
    demo.step(VENDOR, f"Done: {weaker.candidate.reference} {_graded(weaker)} -> "
              f"{_graded(after)}")
