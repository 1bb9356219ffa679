"""Canned iTEP answers and deliveries, shaped as the wire format the sandbox fixes
(``docs/providers/itep-wire.md``; the interface page's "iTEP" section)."""

from __future__ import annotations

from typing import Any

API = "/itep/api/v1"  # the sandbox's prefix; the stand-in serves it
KEY = "itp_AP_5mX2kQ9vR7wZ3nB8"
ADA = {"name": "Ada Lovelace", "email": "ada@example.com", "reference": "HR-1"}


def assigned(test_id: str = "123982B8AP", **overrides: Any) -> dict[str, Any]:
    """The 200 of ``POST /test-ids/assign`` (the email call adds ``emailed_to``)."""
    return {
        "test_id": test_id,
        "status": "Ready",
        "product_code": test_id[-2:],
        "assigned_to": ADA,
        "oid": "HR-1",
        "tracking_code": "ACME-HR",
        "source": "inventory",
        **overrides,
    }


def refused(code: str, message: str | None = None) -> dict[str, str]:
    """Every iTEP 4xx body: ``{"error": code, "message": text}``."""
    return {"error": code, "message": message or f"refused: {code.replace('_', ' ')}"}


#: The results webhook's ``data`` of the wire page, for an Academic-Plus test.
RESULT = {
    "OID": "HR-1",
    "TestID": "123982B8AP",
    "Duration": 74,
    "TestDate": "3/7/2027",
    "TestMonth": 3,
    "TestDay": 7,
    "TestYear": 2027,
    "score_report_url": "http://127.0.0.1:8080/itep/reports/123982B8AP",
    "Overall_Level": 3.4,
    "Overall_cefr": "B1",
    "Status": "Complete",
    "Grammar_Level": 3.6,
    "Grammar_cefr": "B1",
    "Listening_Level": 3.1,
    "Listening_cefr": "B1",
    "Reading_Level": 3.3,
    "Reading_cefr": "B1",
    "Writing_Level": 3.0,
    "Writing_cefr": "B1",
    "Speaking_Level": 3.9,
    "Speaking_cefr": "B1",
}
