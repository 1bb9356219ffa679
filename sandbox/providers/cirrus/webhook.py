"""The "Exam results ready" webhook (the webhooks page): with a ``webhookUrl`` set,
publishing a result POSTs ``application/json``
``{"CandidateExtId", "ScheduleExtId", "AttemptExtId", "AssessmentExtId"}`` (assumed:
the page's payload could not be read); the receiver then calls ``/results``. Deliveries,
signing and retries are core's (core/webhooks).
"""

from __future__ import annotations

import json

from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.webhooks.store import enqueue

EVENT = "Exam results ready"


def results_ready(
    scope: RequestScope,
    candidate_ext_id: str,
    schedule_ext_id: str,
    attempt,
    assessment_ext_id: str,
) -> int | None:
    """Queue the webhook for a published result, in the publishing transaction; None when
    the site has no webhook or filters this result out (``webhookOnlySatisfactory``)."""
    url = scope.settings["webhookUrl"]
    if not url:
        return None
    if scope.settings["webhookOnlySatisfactory"] and attempt.outcome != "SATISFACTORY":
        return None
    payload = {
        "CandidateExtId": candidate_ext_id,
        "ScheduleExtId": schedule_ext_id,
        "AttemptExtId": attempt.external_id,
        "AssessmentExtId": assessment_ext_id,
    }
    return enqueue(
        scope,
        vendor="cirrus",
        url=url,
        event=EVENT,
        payload=payload,
        body=json.dumps(payload).encode(),
        content_type="application/json",
    )
