"""The "Exam results ready" webhook: publishing a result (and publishing again after a
rescore) with ``webhookUrl`` set enqueues a delivery listed at
``/_sandbox/tenants/<id>/webhooks``; a held result enqueues nothing until published;
``webhookOnlySatisfactory`` drops UNSATISFACTORY results; no URL, no delivery. One test
sends it for real to the ``webhook_receiver`` fixture."""

from __future__ import annotations

import json

import pytest
from csupport import IN_WINDOW, NOW, PUBLISHED, candidate, made, publish, sat, schedule_body

# Nothing listens on port 9 (discard): deliveries are enqueued, their attempts fail.
HOOK = "http://127.0.0.1:9/cirrus-results"
EVENT = "Exam results ready"


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    made(tenant, schedule_body(candidates=[candidate("CAN-1"), candidate("CAN-2")]))
    tenant.freeze(IN_WINDOW)
    return tenant


def listed(t) -> list[dict]:
    answer = t.admin("GET", "/webhooks")
    assert answer.status_code == 200, answer.json
    return answer.json


def payload(attempt: str, candidate_ext_id: str = "CAN-1") -> dict:
    return {
        "CandidateExtId": candidate_ext_id,
        "ScheduleExtId": "SCH-1",
        "AttemptExtId": attempt,
        "AssessmentExtId": PUBLISHED,
    }


def test_publishing_enqueues_a_delivery(t):
    t.settings("cirrus", webhookUrl=HOOK)
    attempt = sat(t, score=80)["AttemptExtId"]
    (delivery,) = listed(t)
    assert set(delivery) == {"id", "vendor", "url", "event", "payload", "attempts", "state"}
    assert delivery["vendor"] == "cirrus"
    assert delivery["url"] == HOOK
    assert delivery["event"] == EVENT
    assert delivery["payload"] == payload(attempt)
    assert delivery["state"] in ("pending", "delivered", "failed")
    assert isinstance(delivery["attempts"], list)


def test_each_published_result_is_one_delivery(t):
    t.settings("cirrus", webhookUrl=HOOK)
    first = sat(t, "SCH-1", "CAN-1", score=80)["AttemptExtId"]
    second = sat(t, "SCH-1", "CAN-2", score=90)["AttemptExtId"]
    assert [d["payload"] for d in listed(t)] == [payload(first), payload(second, "CAN-2")]


def test_held_result_enqueues_nothing_until_published(t):
    t.settings("cirrus", webhookUrl=HOOK)
    attempt = sat(t, score=80, publish=False)["AttemptExtId"]
    assert listed(t) == []
    assert publish(t, "SCH-1", "CAN-1").status_code == 200
    assert [d["payload"] for d in listed(t)] == [payload(attempt)]
    # Publishing a published result again sends nothing more.
    assert publish(t, "SCH-1", "CAN-1").status_code == 200
    assert len(listed(t)) == 1


def test_only_satisfactory_drops_unsatisfactory_results(t):
    t.settings("cirrus", webhookUrl=HOOK, webhookOnlySatisfactory=True)
    sat(t, "SCH-1", "CAN-1", score=20)  # UNSATISFACTORY
    assert listed(t) == []
    sat(t, "SCH-1", "CAN-2", score=95, outcome="UNSATISFACTORY", publish=False)
    assert publish(t, "SCH-1", "CAN-2").status_code == 200
    assert listed(t) == []
    # A SATISFACTORY one is sent.
    attempt = sat(t, "SCH-1", "CAN-1", score=75)["AttemptExtId"]  # a rescore: now satisfactory
    assert [d["payload"] for d in listed(t)] == [payload(attempt)]


def test_only_satisfactory_off_sends_unsatisfactory_results(t):
    t.settings("cirrus", webhookUrl=HOOK)
    attempt = sat(t, score=10)["AttemptExtId"]
    assert [d["payload"] for d in listed(t)] == [payload(attempt)]


def test_rescore_and_publish_is_a_second_delivery(t):
    t.settings("cirrus", webhookUrl=HOOK)
    attempt = sat(t, score=40)["AttemptExtId"]
    sat(t, score=60, publish=False)  # a rescore, held
    assert len(listed(t)) == 1
    assert publish(t, "SCH-1", "CAN-1").status_code == 200
    deliveries = listed(t)
    assert [d["payload"] for d in deliveries] == [payload(attempt), payload(attempt)]
    assert deliveries[0]["id"] < deliveries[1]["id"]  # newest last
    sat(t, score=70)  # a rescore published at once: a third
    assert len(listed(t)) == 3


def test_no_webhook_url_no_delivery(t):
    sat(t, "SCH-1", "CAN-1", score=80)
    sat(t, "SCH-1", "CAN-2", publish=False)
    assert publish(t, "SCH-1", "CAN-2").status_code == 200
    assert listed(t) == []
    # Set afterwards: results published before it are not sent; the next one is.
    t.settings("cirrus", webhookUrl=HOOK)
    assert listed(t) == []
    sat(t, "SCH-1", "CAN-1", score=81)
    assert len(listed(t)) == 1
    # Cleared again: nothing more.
    t.settings("cirrus", webhookUrl=None)
    sat(t, "SCH-1", "CAN-1", score=82)
    assert len(listed(t)) == 1


def test_a_refused_sitting_enqueues_nothing(t):
    t.settings("cirrus", webhookUrl=HOOK)
    t.freeze("2031-01-01T00:00:00Z")  # outside the window: 409
    assert (
        t.admin(
            "POST", "/cirrus/schedules/SCH-1/candidates/CAN-1/complete", json={"score": 90}
        ).status_code
        == 409
    )
    assert listed(t) == []


def test_webhook_url_setting_is_validated(t):
    answer = t.admin("PATCH", "/settings/cirrus", json={"webhookUrl": "not a url"})
    assert answer.status_code == 400
    assert t.admin("GET", "/settings/cirrus").json["webhookUrl"] is None


def test_delivered_to_a_real_receiver(t, webhook_receiver):
    secret = t.admin("GET").json["webhook_secret"]
    t.settings("cirrus", webhookUrl=webhook_receiver.url)
    attempt = sat(t, score=80)["AttemptExtId"]
    (received,) = webhook_receiver.wait_for(1, timeout=15)
    assert received.method == "POST"
    assert received.content_type == "application/json"
    assert json.loads(received.body) == payload(attempt)
    assert list(json.loads(received.body)) == list(payload(attempt))  # the documented order
    assert webhook_receiver.verify(secret, received)
    assert received.signature.startswith("sha256=")
    (delivery,) = listed(t)
    assert delivery["payload"] == payload(attempt)
