"""The results webhook, through the tenant's deliveries (``GET /_sandbox/tenants/<id>/
webhooks``: ``vendor`` "itep", ``event`` "Results", ``payload`` the decoded ``data``): it
fires only for a test with a tracking code, when its status becomes Finished (if the
code's ``on_finished``), Complete, Invalidated or Problem, or is reset (back to Ready from
another status); never on Review, Incomplete or Disabled, nor when the status stays. The
payload's fields exactly as docs/providers/itep-wire.md gives them; the score report page
it links to. One test receives it for real: a form with one field ``data``, signed."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from isupport import (
    CANDIDATE,
    HOOK,
    NOW,
    SECTIONS,
    assigned,
    available,
    deliveries,
    move,
    moved,
    tracking_code,
)

FIELDS = {
    "OID",
    "TestID",
    "Duration",
    "TestDate",
    "TestMonth",
    "TestDay",
    "TestYear",
    "score_report_url",
    "Overall_Level",
    "Overall_cefr",
    "Status",
} | {f"{s}_{k}" for s in SECTIONS for k in ("Level", "cefr")}
SCORES = {"Grammar": 3.6, "Listening": 3.1, "Reading": 3.3, "Writing": 3.0, "Speaking": 3.9}


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    tracking_code(tenant, "ACME-HR")
    tracking_code(tenant, "ON-FINISHED", url=HOOK + "/finished", on_finished=True)
    return tenant


def tracked(t, code: str = "ACME-HR", oid: str | None = "HR-1", **kwargs) -> str:
    """A test ID assigned with tracking code ``code``."""
    body = {"assigned_to": CANDIDATE, "tracking_code": code, "oid": oid}
    return assigned(t, body, **kwargs)["test_id"]


def report_url(t, test_id: str) -> str:
    return f"http://localhost/itep/t/{t.id}/reports/{test_id}"


def expected(t, test_id: str, status: str, scores: dict, duration: int, **changes) -> dict:
    """The payload for ``scores`` of the five sections under the default CEFR bands."""
    overall = round(sum(scores.values()) / 5, 1)
    data = {
        "OID": "HR-1",
        "TestID": test_id,
        "Duration": duration,
        "TestDate": "3/7/2027",
        "TestMonth": 3,
        "TestDay": 7,
        "TestYear": 2027,
        "score_report_url": report_url(t, test_id),
        "Overall_Level": overall,
        "Overall_cefr": default_cefr(overall),
        "Status": status,
    }
    for section, level in scores.items():
        data[f"{section}_Level"] = level
        data[f"{section}_cefr"] = default_cefr(level)
    data.update(changes)
    return data


def default_cefr(level: float) -> str:
    names = ["Pre-A1", "A1", "A2", "B1", "B2", "C1", "C2"]
    return names[min(int(level), 6)]


# --- what fires it, and what does not ------------------------------------------------------


@pytest.mark.parametrize("status", ["Complete", "Invalidated", "Problem"])
def test_fires_on_complete_invalidated_and_problem(t, status):
    test_id = tracked(t)
    answer = moved(t, test_id, status, scores=SCORES, duration=74)
    (delivery,) = deliveries(t)
    assert answer["webhook"] == delivery["id"] == 1
    assert set(delivery) == {"id", "vendor", "url", "event", "payload", "attempts", "state"}
    assert (delivery["vendor"], delivery["event"], delivery["url"]) == ("itep", "Results", HOOK)
    assert delivery["payload"] == expected(t, test_id, status, SCORES, 74)
    assert delivery["state"] in ("pending", "delivered", "failed")


def test_finished_fires_only_when_the_code_says_so(t):
    plain = tracked(t, "ACME-HR")
    assert moved(t, plain, "Finished")["webhook"] is None
    assert deliveries(t) == []
    on_finished = tracked(t, "ON-FINISHED")
    answer = moved(t, on_finished, "Finished", scores=SCORES, duration=80)
    (delivery,) = deliveries(t)
    assert answer["webhook"] == delivery["id"]
    assert delivery["url"] == HOOK + "/finished"
    assert delivery["payload"] == expected(t, on_finished, "Finished", SCORES, 80)
    # The code's on_finished changed afterwards: the next Finished follows it.
    tracking_code(t, "ACME-HR", on_finished=True)
    moved(t, plain, "Review")
    assert moved(t, plain, "Finished")["webhook"] is not None
    assert [d["payload"]["TestID"] for d in deliveries(t)] == [on_finished, plain]


@pytest.mark.parametrize("previous", ["Complete", "Incomplete", "Disabled", "Review"])
def test_a_reset_fires(t, previous):
    test_id = tracked(t)
    moved(t, test_id, previous)
    before = len(deliveries(t))
    answer = moved(t, test_id, "Ready", scores=SCORES, duration=50)
    listed = deliveries(t)
    assert len(listed) == before + 1
    assert answer["webhook"] == listed[-1]["id"]
    assert listed[-1]["payload"] == expected(t, test_id, "Ready", SCORES, 50)


@pytest.mark.parametrize("status", ["Review", "Incomplete", "Disabled"])
def test_does_not_fire_on_review_incomplete_or_disabled(t, status):
    test_id = tracked(t, "ON-FINISHED")
    assert moved(t, test_id, status)["webhook"] is None
    assert deliveries(t) == []


@pytest.mark.parametrize("status", ["Ready", "Complete", "Finished", "Problem", "Invalidated"])
def test_does_not_fire_when_the_status_does_not_change(t, status):
    test_id = tracked(t, "ON-FINISHED")
    if status != "Ready":
        moved(t, test_id, status)
    before = [d["id"] for d in deliveries(t)]
    assert moved(t, test_id, status, scores=SCORES)["webhook"] is None
    assert [d["id"] for d in deliveries(t)] == before


def test_never_fires_without_a_tracking_code(t):
    untracked = assigned(t)["test_id"]
    unassigned = available(t, "AP")[0]
    for test_id in (untracked, unassigned):
        for status in ("Finished", "Complete", "Ready", "Invalidated", "Ready", "Problem"):
            assert moved(t, test_id, status)["webhook"] is None
    assert deliveries(t) == []


def test_each_trigger_is_one_delivery_in_order(t):
    test_id = tracked(t, "ON-FINISHED")
    path = ["Incomplete", "Finished", "Review", "Complete", "Invalidated", "Ready", "Problem"]
    fired = [moved(t, test_id, s)["webhook"] for s in path]
    assert fired == [None, 1, None, 2, 3, 4, 5]
    assert [d["payload"]["Status"] for d in deliveries(t)] == [
        "Finished",
        "Complete",
        "Invalidated",
        "Ready",
        "Problem",
    ]


def test_a_refused_move_fires_nothing(t):
    test_id = tracked(t)
    assert move(t, test_id, "Complete", scores={"Math": 3.0}).status_code == 400
    assert move(t, test_id, "Complete", scores={"Grammar": 7}).status_code == 400
    assert deliveries(t) == []


# --- the payload --------------------------------------------------------------------------------


def test_the_payload_fields_exactly(t):
    test_id = tracked(t)
    moved(t, test_id, "Complete", scores=SCORES, duration=74)
    payload = deliveries(t)[0]["payload"]
    assert set(payload) == FIELDS
    assert payload == {
        "OID": "HR-1",
        "TestID": test_id,
        "Duration": 74,
        "TestDate": "3/7/2027",
        "TestMonth": 3,
        "TestDay": 7,
        "TestYear": 2027,
        "score_report_url": report_url(t, test_id),
        "Overall_Level": 3.4,  # 16.9 / 5 = 3.38
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
    assert urlsplit(payload["score_report_url"]).scheme in ("http", "https")


@pytest.mark.parametrize(
    ("now", "date", "month", "day", "year"),
    [
        ("2027-03-07T23:59:59Z", "3/7/2027", 3, 7, 2027),
        ("2027-11-23T00:00:00Z", "11/23/2027", 11, 23, 2027),
        ("2030-01-01T12:00:00Z", "1/1/2030", 1, 1, 2030),
        ("2028-10-05T08:00:00Z", "10/5/2028", 10, 5, 2028),
    ],
)
def test_the_date_is_the_tenant_clocks_without_zero_padding(t, now, date, month, day, year):
    test_id = tracked(t)
    t.freeze(now)
    moved(t, test_id, "Complete")
    payload = deliveries(t)[0]["payload"]
    assert (payload["TestDate"], payload["TestMonth"], payload["TestDay"], payload["TestYear"]) == (
        date,
        month,
        day,
        year,
    )
    assert re.fullmatch(r"[1-9]\d?/[1-9]\d?/\d{4}", payload["TestDate"])


def test_the_date_is_the_moves_not_the_assignments(t):
    test_id = tracked(t)  # assigned on 3/7/2027
    t.freeze("2027-04-02T09:00:00Z")
    moved(t, test_id, "Complete")
    t.freeze("2027-05-20T09:00:00Z")
    moved(t, test_id, "Ready")
    assert [d["payload"]["TestDate"] for d in deliveries(t)] == ["4/2/2027", "5/20/2027"]


def test_the_oid_is_the_assignments_or_null(t):
    with_oid = tracked(t, oid="SIS-42")
    without = tracked(t, oid=None)
    moved(t, with_oid, "Complete")
    moved(t, without, "Complete")
    assert [d["payload"]["OID"] for d in deliveries(t)] == ["SIS-42", None]


@pytest.mark.parametrize(
    ("scores", "overall", "cefrs"),
    [
        (
            {"Grammar": 0.5, "Listening": 1.0, "Reading": 2.9, "Writing": 4.0, "Speaking": 6.0},
            2.9,  # 14.4 / 5 = 2.88
            ["Pre-A1", "A1", "A2", "B2", "C2"],
        ),
        (
            {"Grammar": 5.5, "Listening": 5.0, "Reading": 4.9, "Writing": 0.0, "Speaking": 1.9},
            3.5,  # 17.3 / 5 = 3.46
            ["C1", "C1", "B2", "Pre-A1", "A1"],
        ),
        ({s: 6.0 for s in SECTIONS}, 6.0, ["C2"] * 5),
        ({s: 0.0 for s in SECTIONS}, 0.0, ["Pre-A1"] * 5),
        (
            {"Grammar": 2.0, "Listening": 2.1, "Reading": 2.1, "Writing": 2.1, "Speaking": 2.1},
            2.1,  # 10.4 / 5 = 2.08
            ["A2"] * 5,
        ),
    ],
)
def test_overall_level_is_the_mean_and_cefr_follows_the_default_bands(t, scores, overall, cefrs):
    test_id = tracked(t)
    moved(t, test_id, "Complete", scores=scores, duration=60)
    payload = deliveries(t)[0]["payload"]
    assert payload["Overall_Level"] == overall
    assert payload["Overall_cefr"] == default_cefr(overall)
    assert [payload[f"{s}_Level"] for s in SECTIONS] == [scores[s] for s in SECTIONS]
    assert [payload[f"{s}_cefr"] for s in SECTIONS] == cefrs


def test_levels_given_with_more_decimals_are_reported_to_one(t):
    test_id = tracked(t)
    scores = {
        "Grammar": 3.14159,
        "Listening": 2.96,
        "Reading": 3.0,
        "Writing": 3.0,
        "Speaking": 3.0,
    }
    moved(t, test_id, "Complete", scores=scores)
    payload = deliveries(t)[0]["payload"]
    assert (payload["Grammar_Level"], payload["Listening_Level"]) == (3.1, 3.0)
    assert payload["Overall_Level"] == 3.0  # 15.1 / 5 = 3.02
    html = t.http.get(urlsplit(payload["score_report_url"]).path).get_data(as_text=True)
    assert "<tr><td>Grammar</td><td>3.1</td><td>B1</td></tr>" in html


def test_cefr_follows_a_changed_bands_setting(t):
    bands = [[0.0, "Beginner"], [2.5, "Intermediate"], [4.5, "Advanced"]]
    changed = t.settings("itep", cefrBands=bands)
    assert changed["cefrBands"] == bands
    test_id = tracked(t)
    scores = {"Grammar": 2.4, "Listening": 2.5, "Reading": 4.4, "Writing": 4.5, "Speaking": 6.0}
    moved(t, test_id, "Complete", scores=scores)
    payload = deliveries(t)[0]["payload"]
    assert [payload[f"{s}_cefr"] for s in SECTIONS] == [
        "Beginner",
        "Intermediate",
        "Intermediate",
        "Advanced",
        "Advanced",
    ]
    assert (payload["Overall_Level"], payload["Overall_cefr"]) == (4.0, "Intermediate")
    # A level under the lowest band takes the lowest band's label.
    t.settings("itep", cefrBands=[[1.0, "One"], [3.0, "Three"]])
    moved(t, test_id, "Ready", scores={"Grammar": 0.5})
    payload = deliveries(t)[1]["payload"]
    assert payload["Grammar_cefr"] == "One"
    assert payload["Speaking_cefr"] == "Three"


def test_the_bands_setting_is_checked(t):
    for bands in ([], [[3.0, "B"], [1.0, "A"]], [[1.0, "A"], [1.0, "B"]], [[7.0, "X"]], "B1"):
        answer = t.admin("PATCH", "/settings/itep", json={"cefrBands": bands})
        assert answer.status_code == 400, (bands, answer.json)
        assert set(answer.json["error"]["details"]) == {"cefrBands"}


def test_levels_and_duration_from_the_seed_when_not_given(t, http):
    test_id = tracked(t)
    moved(t, test_id, "Complete")
    payload = deliveries(t)[0]["payload"]
    levels = [payload[f"{s}_Level"] for s in SECTIONS]
    assert all(1.0 <= level <= 5.9 and round(level, 1) == level for level in levels)
    assert payload["Overall_Level"] == round(sum(levels) / 5, 1)
    assert isinstance(payload["Duration"], int) and 60 <= payload["Duration"] <= 120
    # Given ones replace them section by section; the rest stay the seed's.
    moved(t, test_id, "Ready", scores={"Grammar": 0.0}, duration=33)
    again = deliveries(t)[1]["payload"]
    assert again["Grammar_Level"] == 0.0 and again["Duration"] == 33
    assert [again[f"{s}_Level"] for s in SECTIONS[1:]] == levels[1:]
    # Another tenant of the same seed derives the same levels and duration.
    created = http.post("/_sandbox/tenants", json={"seed": 7})
    twin = type(t)(created.json["tenant"], created.json["credentials"], http)
    try:
        twin.freeze(NOW)
        tracking_code(twin, "ACME-HR")
        assert tracked(twin) == test_id
        moved(twin, test_id, "Complete")
        theirs = deliveries(twin)[0]["payload"]
        assert theirs == {**payload, "score_report_url": report_url(twin, test_id)}
    finally:
        http.delete(f"/_sandbox/tenants/{twin.id}")


def test_descriptive_labels_in_the_payload(t):
    t.settings("itep", statusLabels="descriptive")
    test_id = tracked(t, "ON-FINISHED")
    for given, shown in (
        ("Completed", "Completed"),
        ("Technical Difficulty", "Technical Difficulty"),
        ("Ready", "Ready"),
        ("Finished", "Finished"),
        ("Invalidated", "Invalidated"),
        ("Started", None),  # Incomplete: no webhook
        ("Problem", "Technical Difficulty"),  # the Markdown label is taken too
    ):
        fired = moved(t, test_id, given)["webhook"]
        assert (fired is None) == (shown is None), given
        if shown:
            assert deliveries(t)[-1]["payload"]["Status"] == shown


def test_a_sold_test_fires_too(t):
    for _ in range(20):
        assigned(t)
    t.settings("itep", saleAtFulfillment={"AP": True})
    body = {"assigned_to": CANDIDATE, "tracking_code": "ACME-HR", "oid": "HR-1"}
    sold = assigned(t, body)
    assert sold["source"] == "sale"
    moved(t, sold["test_id"], "Complete", scores=SCORES, duration=74)
    assert deliveries(t)[0]["payload"] == expected(t, sold["test_id"], "Complete", SCORES, 74)


def test_the_score_report_shows_the_sites_status_label(t):
    test_id = tracked(t)
    moved(t, test_id, "Complete", scores=SCORES)
    path = urlsplit(deliveries(t)[0]["payload"]["score_report_url"]).path
    assert "status Complete</p>" in t.http.get(path).get_data(as_text=True)
    t.settings("itep", statusLabels="descriptive")
    assert "status Completed</p>" in t.http.get(path).get_data(as_text=True)


def test_a_bp_test_reports_its_five_sections(t):
    bp = {"X-API-Key": t.credentials["itep"]["api_key_bp"]}
    test_id = tracked(t, auth=bp)
    assert test_id.endswith("BP")
    moved(t, test_id, "Complete", scores=SCORES, duration=74)
    assert deliveries(t)[0]["payload"] == expected(t, test_id, "Complete", SCORES, 74)


# --- the score report page ----------------------------------------------------------------------


def test_the_score_report_page(t):
    test_id = tracked(t)
    moved(t, test_id, "Complete", scores=SCORES, duration=74)
    url = deliveries(t)[0]["payload"]["score_report_url"]
    page = t.http.get(urlsplit(url).path)
    assert page.status_code == 200
    assert page.content_type == "text/html; charset=utf-8"
    html = page.get_data(as_text=True)
    assert test_id in html and "Academic-Plus" in html and "Ada Lovelace" in html
    rows = re.findall(r"<tr><td>(\w+)</td><td>([\d.]+)</td><td>([\w-]+)</td></tr>", html)
    assert rows == [(s, f"{SCORES[s]:.1f}", "B1") for s in SECTIONS]
    assert "<tr><th>Overall</th><th>3.4</th><th>B1</th></tr>" in html
    # No key needed, and the bands setting applies to the page too.
    t.settings("itep", cefrBands=[[0.0, "Low"], [3.5, "High"]])
    html = t.http.get(urlsplit(url).path).get_data(as_text=True)
    assert "<tr><td>Speaking</td><td>3.9</td><td>High</td></tr>" in html
    assert "<tr><th>Overall</th><th>3.4</th><th>Low</th></tr>" in html


def test_the_score_report_page_of_an_unknown_test_is_404(t, http):
    test_id = tracked(t)
    for path in (
        f"/itep/t/{t.id}/reports/NOPE",
        f"/itep/t/{t.id}/reports/{test_id.lower()}",
        f"/itep/t/t-nope/reports/{test_id}",
    ):
        page = http.get(path)
        assert page.status_code == 404
        assert page.content_type == "text/html; charset=utf-8"
        assert "Score report not found" in page.get_data(as_text=True)
    # Another tenant (another seed) does not show this tenant's test under its own id.
    created = http.post("/_sandbox/tenants", json={"seed": 8})
    try:
        other = created.json["tenant"]
        assert http.get(f"/itep/t/{other}/reports/{test_id}").status_code == 404
    finally:
        http.delete(f"/_sandbox/tenants/{created.json['tenant']}")


# --- for real -------------------------------------------------------------------------------------


def test_delivered_to_a_real_receiver(t, webhook_receiver):
    secret = t.admin("GET").json["webhook_secret"]
    tracking_code(t, "REAL", url=webhook_receiver.url)
    test_id = tracked(t, "REAL")
    moved(t, test_id, "Complete", scores=SCORES, duration=74)
    (received,) = webhook_receiver.wait_for(1, timeout=15)
    assert received.method == "POST"
    assert received.content_type == "application/x-www-form-urlencoded"
    fields = parse_qs(received.body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
    assert list(fields) == ["data"] and len(fields["data"]) == 1
    data = json.loads(fields["data"][0])
    assert data == expected(t, test_id, "Complete", SCORES, 74)
    assert received.form == {"data": fields["data"][0]}
    assert webhook_receiver.verify(secret, received)
    assert received.signature.startswith("sha256=")
    assert not webhook_receiver.verify("whsec_wrong", received)
    (delivery,) = deliveries(t)
    assert delivery["payload"] == data
