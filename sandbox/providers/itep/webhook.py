"""The results webhook (the results-webhook page): for a test with a tracking code, a
status change to Finished (when the code's ``on_finished``), Complete, Invalidated or
Problem, or a reset (back to Ready from another status), POSTs
``application/x-www-form-urlencoded`` with one field ``data``: the JSON of the result.
Deliveries, signing and retries are core's (core/webhooks)."""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlencode

from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.webhooks.store import enqueue

from .wire import READY, cefr_of, label, seeded_duration, seeded_level, test_date

EVENT = "Results"
ALWAYS = frozenset({"Complete", "Invalidated", "Problem"})


def fires(old_status: str, new_status: str, on_finished: bool) -> bool:
    if new_status == old_status:
        return False
    if new_status == READY:
        return True  # a reset
    if new_status == "Finished":
        return on_finished
    return new_status in ALWAYS


def levels_of(scope: RequestScope, test, sections: list[str]) -> dict[str, float]:
    given = test.levels or {}
    return {s: float(given.get(s, seeded_level(scope.seed, test.test_id, s))) for s in sections}


def payload(
    scope: RequestScope, test, sections: list[str], when: datetime, report_url: str
) -> dict:
    bands = scope.settings["cefrBands"]
    levels = levels_of(scope, test, sections)
    overall = round(sum(levels.values()) / len(levels), 1) if levels else 0.0
    day = when.date()
    data = {
        "OID": test.oid,
        "TestID": test.test_id,
        "Duration": test.duration
        if test.duration is not None
        else seeded_duration(scope.seed, test.test_id),
        "TestDate": test_date(day),
        "TestMonth": day.month,
        "TestDay": day.day,
        "TestYear": day.year,
        "score_report_url": report_url,
        "Overall_Level": overall,
        "Overall_cefr": cefr_of(overall, bands),
        "Status": label(test.status, scope.settings["statusLabels"]),
    }
    for section, level in levels.items():
        data[f"{section}_Level"] = level
        data[f"{section}_cefr"] = cefr_of(level, bands)
    return data


def send_results(scope: RequestScope, url: str, data: dict) -> int:
    body = urlencode({"data": json.dumps(data)}).encode()
    return enqueue(
        scope,
        vendor="itep",
        url=url,
        event=EVENT,
        payload=data,
        body=body,
        content_type="application/x-www-form-urlencoded",
    )
