"""Canned Cirrus answers, shaped as the vendor's docs and real integrations show them
(``/work/shared/providers/cirrus-itep.md`` §1.5-1.8; the interface page)."""

from __future__ import annotations

from typing import Any

API = "/cirrus/api/v1/integrations"  # the sandbox's prefix; the stand-in serves it
TOKEN = "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l"  # 48 letters and digits
SESSION = "A1" * 32  # 64 upper-case hex digits
HOST = "https://test-demo.cirrusplatform.com"


def ok(content: Any) -> dict[str, Any]:
    """The Content envelope of a success."""
    return {"Content": content, "Success": True, "Errors": None}


def failed(*messages: str) -> dict[str, Any]:
    """The Content envelope of a failure."""
    return {"Content": None, "Success": False, "Errors": list(messages)}


def bad_request(message: str) -> dict[str, Any]:
    """The ASP.NET body ``POST /schedule`` answers a refusal with."""
    return {"Message": f"Bad request | {message}"}


def candidate_link(ext_id: str, session: str = SESSION, **extra: Any) -> dict[str, Any]:
    link = f"/delivery/external-login?session={session}"
    return {
        "CandidateExtId": ext_id,
        "StartupLink": link,
        "LaunchUrl": HOST + link,
        "FirstName": "Ada",
        "LastName": "Lovelace",
        "Email": f"{ext_id}@example.org",
        "Password": None,
        **extra,
    }


def schedule_created(schedule_ext_id: str = "oaOXkn", *candidates: str) -> dict[str, Any]:
    """The bare success of ``POST /schedule`` (a real integration's sample, 2020)."""
    return {
        "Result": f"Schedule[{schedule_ext_id}] created successfully",
        "Schedule": {
            "Title": "Maths",
            "AssessmentExtId": "MATHS-1",
            "ScheduleExtId": schedule_ext_id,
            "StartDateTime": "2030-05-01T09:00:00Z",
            "EndDateTime": "2030-05-01T11:00:00Z",
            "GroupExtId": "CLASS-7",
            "GroupName": "Class 7",
            "ScheduleGroupExtId": None,
            "ScheduleGroupName": None,
            "PIN": None,
            "ExtraTime": None,
            "Owner": "sandbox-scheduler",
        },
        "Candidates": [
            candidate_link(c, session=f"{i:064X}")
            for i, c in enumerate(candidates or ("C-1",), start=1)
        ],
    }
