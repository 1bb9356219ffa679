"""Agreement: the Cirrus client and a served Cirrus (the sandbox, or a real site with
``--cirrus-url``) carry out whole scenarios together, over real HTTP: create and read an
assessment, schedule candidates and open their LaunchUrls, refuse a duplicate, add
candidates, manage a schedule by external id, sit and publish results and read them,
the daily limit of ``/results``, and the results webhook arriving at a real receiver.

Each test goes through ``client.cirrus.CirrusClient`` only (the ``cirrus_client``
fixture); the sandbox's ``/_sandbox`` controls (publishing, sitting, settings, the clock,
the webhook list) come from the tenant and mark the test ``sandbox_only``. Messages are
checked on the sandbox only (a real site words some differently); statuses and error
kinds are checked everywhere. Site data and a real site's setup: ``cirrus_site.py``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import requests

from exam_sandbox.client.cirrus import (
    SIGNATURE_HEADER,
    Candidate,
    CirrusClient,
    DuplicateError,
    ExternalIdNotFoundError,
    NotAllowedError,
    Purpose,
    RateLimitedError,
    ScheduleResult,
    ValidationError,
    WebhookSignatureError,
    read_results_ready,
)

UTC = dt.UTC
GENERATED_ID = re.compile(r"^[A-Za-z]{6}$")  # a ScheduleExtId Cirrus makes up (sandbox)


def book(site, client: CirrusClient, candidates: list[Candidate], **options) -> ScheduleResult:
    """Schedule ``candidates`` on the scenario's assessment (deleted after the test)."""
    start, end = site.window()
    options.setdefault("start", start)
    options.setdefault("end", end)
    options.setdefault("assessment_ext_id", site.data("assessment"))
    made = client.schedule_test(
        group_ext_id="AGREE-GROUP", group_name="Agreement group", candidates=candidates, **options
    )
    site.delete_schedule_later(client, made.schedule_ext_id)
    return made


def sit_window(site, made: ScheduleResult) -> dt.datetime:
    """Freeze the tenant's clock an hour into the schedule's window (the sitting's time)."""
    return site.tenant.clock.freeze(made.schedule.start + dt.timedelta(hours=1))


# --------------------------------------------------------------------------- assessments


def test_read_an_assessment(cirrus_site, cirrus_client):
    external_id = cirrus_site.data("assessment")
    assessment = cirrus_client.get_assessment(external_id)
    assert assessment.external_id == external_id
    assert assessment.is_published is True and assessment.title
    assert isinstance(assessment.purpose, Purpose)

    with pytest.raises(ExternalIdNotFoundError) as unknown:
        cirrus_client.get_assessment(cirrus_site.unique("NO-SUCH-ASSESSMENT"))
    assert unknown.value.status == 400


@pytest.mark.sandbox_only
def test_create_publish_and_schedule_an_assessment(cirrus_site, cirrus_client):
    # Sandbox only: Cirrus has no way to delete an assessment a test made.
    external_id = cirrus_site.unique("AGREE-ASM")
    made = cirrus_client.create_assessment(
        title="Agreement assessment",
        purpose=Purpose.MIXED,
        code=external_id,
        external_id=external_id,
        max_time_per_attempt=45,
        extra_time=15,
    )
    assert made == external_id
    read = cirrus_client.get_assessment(external_id)
    assert (read.title, read.code, read.purpose) == (
        "Agreement assessment",
        external_id,
        Purpose.MIXED,
    )
    assert (read.max_time_per_attempt, read.extra_time) == (45, 15)
    assert read.is_published is False  # a new assessment is not published

    with pytest.raises(DuplicateError) as taken:
        cirrus_client.create_assessment(title="Again", purpose=1, code="X", external_id=external_id)
    assert taken.value.status == 400 and taken.value.existing_id == external_id

    candidate = cirrus_site.candidates(1)
    with pytest.raises(ValidationError) as unpublished:
        book(cirrus_site, cirrus_client, candidate, assessment_ext_id=external_id)
    assert unpublished.value.messages == ["Assessment must be published"]  # S5

    cirrus_site.tenant.cirrus_publish_assessment(external_id)
    assert cirrus_client.get_assessment(external_id).is_published is True
    booked = book(cirrus_site, cirrus_client, candidate, assessment_ext_id=external_id)
    assert booked.schedule.assessment_ext_id == external_id

    generated = cirrus_client.create_assessment(title="No id", purpose="formative", code="GEN")
    assert generated and cirrus_client.get_assessment(generated).code == "GEN"


# --------------------------------------------------------------------------- scheduling


def test_schedule_two_candidates_and_open_their_launch_urls(cirrus_site, cirrus_client):
    ada, alan = cirrus_site.candidates(2)
    assessment = cirrus_client.get_assessment(cirrus_site.data("assessment"))
    start, end = cirrus_site.window()

    made = book(cirrus_site, cirrus_client, [ada, alan], title="Agreement schedule")

    schedule = made.schedule
    assert schedule.assessment_ext_id == assessment.external_id
    assert (schedule.start, schedule.end, schedule.title) == (start, end, "Agreement schedule")
    assert made.schedule_ext_id == schedule.schedule_ext_id
    if cirrus_site.is_sandbox:
        assert GENERATED_ID.match(made.schedule_ext_id), made.schedule_ext_id
    assert list(made.launch_urls) == [ada.candidate_ext_id, alan.candidate_ext_id]
    urls = list(made.launch_urls.values())
    assert len(set(urls)) == 2 and all(u and u.startswith("http") for u in urls)
    for who in (ada, alan):
        link = made.candidate(who.candidate_ext_id)
        assert link.launch_url.endswith(link.startup_link)
        page = requests.get(link.launch_url, timeout=30)
        assert page.status_code == 200
        assert page.headers["Content-Type"].startswith("text/html")
        if cirrus_site.is_sandbox:  # a real site shows its own login page
            assert f"{who.first_name} {who.last_name}" in page.text
            assert assessment.title in page.text

    info = cirrus_client.get_schedule(made.schedule_ext_id)  # one namespace of schedules
    assert info.external_id == made.schedule_ext_id
    assert info.candidate_ext_ids == [ada.candidate_ext_id, alan.candidate_ext_id]
    assert info.is_activated is True


def test_a_duplicate_schedule_is_refused_with_its_id(cirrus_site, cirrus_client):
    schedule_ext_id = cirrus_site.unique("AGREE-SCH")
    [ada] = cirrus_site.candidates(1)
    made = book(cirrus_site, cirrus_client, [ada], schedule_ext_id=schedule_ext_id)
    assert made.schedule_ext_id == schedule_ext_id

    with pytest.raises(DuplicateError) as again:
        book(cirrus_site, cirrus_client, [ada], schedule_ext_id=schedule_ext_id)
    assert again.value.existing_id == schedule_ext_id
    assert isinstance(again.value, ValidationError)  # also the 400's kind
    if cirrus_site.is_sandbox:
        assert again.value.status == 400
        assert again.value.messages == [
            f"Schedule with external id [{schedule_ext_id}] already exists"
        ]  # S11

    updated = book(
        cirrus_site,
        cirrus_client,
        [ada],
        schedule_ext_id=schedule_ext_id,
        upsert=True,
        title="Upserted",
    )
    assert updated.schedule.title == "Upserted"
    assert cirrus_client.get_schedule(schedule_ext_id).title == "Upserted"


@pytest.mark.sandbox_only
def test_both_envelopes_of_schedule(cirrus_site, cirrus_client):
    """The site setting ``errorEnvelope``: the ASP.NET shape (default) or the Content
    envelope; the client reads both alike."""
    tenant = cirrus_site.tenant
    [ada] = cirrus_site.candidates(1)
    raw = requests.Session()
    raw.headers["Authorization"] = f"EAPI {cirrus_site.token}"
    for envelope in ("message", "content"):
        tenant.update_settings("cirrus", errorEnvelope=envelope)
        schedule_ext_id = cirrus_site.unique(f"AGREE-{envelope.upper()}")
        made = book(cirrus_site, cirrus_client, [ada], schedule_ext_id=schedule_ext_id)
        assert made.schedule_ext_id == schedule_ext_id
        assert made.launch_urls[ada.candidate_ext_id]
        with pytest.raises(DuplicateError) as again:
            book(cirrus_site, cirrus_client, [ada], schedule_ext_id=schedule_ext_id)
        assert (again.value.status, again.value.existing_id) == (400, schedule_ext_id)
        body = again.value.response.json()
        if envelope == "message":
            assert body == {
                "Message": f"Bad request | Schedule with external id "
                f"[{schedule_ext_id}] already exists"
            }
            assert set(made.raw) == {"Result", "Schedule", "Candidates"}
        else:
            assert body["Success"] is False and body["Content"] is None
            assert body["Errors"] == [
                f"Schedule with external id [{schedule_ext_id}] already exists"
            ]
        # The raw answer of a success, to see the envelope the client took off.
        sent = raw.post(
            f"{cirrus_site.url}/schedule/add-candidates",
            timeout=30,
            json={
                "Schedule": {"ScheduleExtId": schedule_ext_id, "GroupExtId": "G", "GroupName": "G"},
                "Candidates": [ada.to_wire()],
            },
        )
        assert sent.status_code == 200
        assert ("Content" in sent.json()) is (envelope == "content")
    raw.close()


def test_add_candidates_to_a_schedule(cirrus_site, cirrus_client):
    ada, alan, grace = cirrus_site.candidates(3)
    made = book(cirrus_site, cirrus_client, [ada])
    first_link = made.launch_urls[ada.candidate_ext_id]

    added = cirrus_client.add_candidates(
        made.schedule_ext_id,
        group_ext_id="AGREE-GROUP",
        group_name="Agreement group",
        candidates=[alan, grace],
    )

    assert list(added.launch_urls) == [alan.candidate_ext_id, grace.candidate_ext_id]
    assert all(added.launch_urls.values())
    assert first_link not in added.launch_urls.values()
    info = cirrus_client.get_schedule(made.schedule_ext_id)
    assert info.candidate_ext_ids == [c.candidate_ext_id for c in (ada, alan, grace)]

    # Already on it: the candidate keeps its link (assumed: an upsert of the candidate).
    again = cirrus_client.add_candidates(
        made.schedule_ext_id,
        group_ext_id="AGREE-GROUP",
        group_name="Agreement group",
        candidates=ada,
    )
    if cirrus_site.is_sandbox:
        assert again.launch_urls == {ada.candidate_ext_id: first_link}

    with pytest.raises(ExternalIdNotFoundError) as unknown:
        cirrus_client.add_candidates(
            cirrus_site.unique("NO-SUCH-SCH"), group_ext_id="G", group_name="G", candidates=grace
        )
    assert unknown.value.status == 400


# --------------------------------------------------------------------------- /external/schedule


def test_a_schedule_by_external_id(cirrus_site, cirrus_client):
    start, end = cirrus_site.window(40)
    schedule_ext_id = cirrus_site.unique("AGREE-EXT")
    made = cirrus_client.create_schedule(
        assessment_ext_id=cirrus_site.data("assessment"),
        start=start,
        end=end,
        title="Not yet published",
        schedule_ext_id=schedule_ext_id,
    )
    cirrus_site.delete_schedule_later(cirrus_client, made)
    assert made == schedule_ext_id

    info = cirrus_client.get_schedule(schedule_ext_id)
    assert (info.title, info.start, info.end) == ("Not yet published", start, end)
    assert info.is_activated is False and info.candidates == []

    later = start + dt.timedelta(days=1)
    changed = cirrus_client.update_schedule(
        schedule_ext_id,
        start=later,
        end=later + dt.timedelta(hours=4),
        title="Moved a day",
        pin="4321",
    )
    assert changed.success is True  # a PIN on a schedule not activated is taken
    moved = cirrus_client.get_schedule(schedule_ext_id)
    assert (moved.title, moved.start) == ("Moved a day", later)

    deleted = cirrus_client.delete_schedule(schedule_ext_id)
    assert deleted.success is True
    with pytest.raises(ExternalIdNotFoundError) as gone:
        cirrus_client.get_schedule(schedule_ext_id)
    assert gone.value.status == 400
    with pytest.raises(ExternalIdNotFoundError):
        cirrus_client.delete_schedule(schedule_ext_id)


def test_a_pin_on_an_activated_schedule_is_refused(cirrus_site, cirrus_client):
    made = book(cirrus_site, cirrus_client, cirrus_site.candidates(1))
    start = made.schedule.start
    with pytest.raises(ValidationError) as refused:
        cirrus_client.update_schedule(made.schedule_ext_id, start=start, pin="1234")
    assert refused.value.status == 400
    if cirrus_site.is_sandbox:
        assert refused.value.messages == [
            "'PIN' can only be changed on a schedule that is not activated"
        ]  # SCH-3
    # Without a PIN the same schedule changes.
    assert (
        cirrus_client.update_schedule(made.schedule_ext_id, start=start, title="Retitled").success
        is True
    )
    assert cirrus_client.get_schedule(made.schedule_ext_id).title == "Retitled"


# --------------------------------------------------------------------------- results


@pytest.mark.sandbox_only
def test_sit_publish_and_read_the_results(cirrus_site, cirrus_client):
    tenant = cirrus_site.tenant
    ada, alan = cirrus_site.candidates(2)
    made = book(cirrus_site, cirrus_client, [ada, alan])
    schedule_ext_id = made.schedule_ext_id
    sat_at = sit_window(cirrus_site, made)

    first = tenant.cirrus_complete(schedule_ext_id, ada.candidate_ext_id, score=72)
    held = tenant.cirrus_complete(schedule_ext_id, alan.candidate_ext_id, score=31, publish=False)
    assert (first.published, first.outcome) == (True, "SATISFACTORY")
    assert (held.published, held.outcome) == (False, "UNSATISFACTORY")

    mine = cirrus_client.get_results(
        candidate_ext_id=ada.candidate_ext_id, schedule_ext_id=schedule_ext_id
    )
    assert mine.candidate_ext_id == ada.candidate_ext_id
    info = mine.candidate_info
    assert (info.external_id, info.first_name, info.last_name, info.email) == (
        ada.candidate_ext_id,
        ada.first_name,
        ada.last_name,
        ada.email,
    )
    [attempt] = mine.attempts
    assert attempt.attempt_ext_id == first.attempt_ext_id
    assert (attempt.score, attempt.outcome) == (72, "SATISFACTORY")
    assert attempt.schedule_ext_id == schedule_ext_id
    assert attempt.assessment_ext_id == cirrus_site.data("assessment")
    assert attempt.raw["SubmittedDateTime"] == sat_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    by_attempt = cirrus_client.get_results(attempt_ext_id=first.attempt_ext_id)
    assert [a.attempt_ext_id for a in by_attempt.attempts] == [first.attempt_ext_id]

    # A held result is not read until it is published.
    assert cirrus_client.get_results(candidate_ext_id=alan.candidate_ext_id).attempts == []
    published = tenant.cirrus_publish(schedule_ext_id, alan.candidate_ext_id)
    assert published.published is True
    [late] = cirrus_client.get_results(candidate_ext_id=alan.candidate_ext_id).attempts
    assert (late.attempt_ext_id, late.score) == (held.attempt_ext_id, 31)

    # A rescore: the same attempt, its new score.
    tenant.cirrus_complete(schedule_ext_id, ada.candidate_ext_id, score=88)
    [rescored] = cirrus_client.get_results(attempt_ext_id=first.attempt_ext_id).attempts
    assert rescored.score == 88

    # A schedule with attempts cannot be deleted.
    with pytest.raises(ValidationError) as sat:
        cirrus_client.delete_schedule(schedule_ext_id)
    assert sat.value.messages == ["Can't delete schedule"]  # SCH-2

    with pytest.raises(ValidationError) as nobody:
        cirrus_client.get_results(candidate_ext_id=cirrus_site.unique("NOBODY"))
    assert nobody.value.status == 400


@pytest.mark.sandbox_only
def test_results_past_the_daily_limit_are_429_until_1330_utc(cirrus_site):
    tenant = cirrus_site.tenant
    client = cirrus_site.client(retry_after_max=0)  # never wait: see the 429 itself
    made = book(cirrus_site, client, cirrus_site.candidates(1))
    candidate = next(iter(made.launch_urls))
    tenant.update_settings("cirrus", results_daily_limit=2)
    tenant.clock.freeze("2031-03-03T12:00:00Z")  # 90 minutes before the day turns

    for _ in range(2):
        assert client.get_results(candidate_ext_id=candidate).attempts == []
    with pytest.raises(RateLimitedError) as limited:
        client.get_results(candidate_ext_id=candidate)
    assert limited.value.status == 429
    assert limited.value.retry_after == 90 * 60
    assert limited.value.response.headers["Retry-After"] == "5400"
    assert limited.value.messages == ["The daily limit of 2 calls to results has been reached"]

    tenant.clock.advance(minutes=90)  # 13:30 UTC: a new Cirrus day
    assert client.get_results(candidate_ext_id=candidate).attempts == []


# --------------------------------------------------------------------------- the webhook


@pytest.mark.sandbox_only
def test_the_results_webhook_reaches_a_receiver(cirrus_site, cirrus_client, webhook_receiver):
    tenant = cirrus_site.tenant
    tenant.update_settings("cirrus", webhook_url=webhook_receiver.url)
    ada, alan = cirrus_site.candidates(2)
    made = book(cirrus_site, cirrus_client, [ada, alan])
    sit_window(cirrus_site, made)

    sat = tenant.cirrus_complete(made.schedule_ext_id, ada.candidate_ext_id, score=64)
    tenant.cirrus_complete(made.schedule_ext_id, alan.candidate_ext_id, publish=False)
    [delivery] = webhook_receiver.wait_for(1, timeout=30)

    assert (delivery.method, delivery.content_type) == ("POST", "application/json")
    assert delivery.header(SIGNATURE_HEADER).startswith("sha256=")
    event = read_results_ready(delivery.body, delivery.headers, secret=tenant.webhook_secret)
    assert (
        event.candidate_ext_id,
        event.schedule_ext_id,
        event.attempt_ext_id,
        event.assessment_ext_id,
    ) == (
        ada.candidate_ext_id,
        made.schedule_ext_id,
        sat.attempt_ext_id,
        cirrus_site.data("assessment"),
    )
    with pytest.raises(WebhookSignatureError):
        read_results_ready(delivery.body, delivery.headers, secret="not-the-secret")
    # What a receiver does next: read the result the event names.
    [attempt] = cirrus_client.get_results(attempt_ext_id=event.attempt_ext_id).attempts
    assert attempt.score == 64

    # The sandbox lists the delivery; the held result sent nothing.
    [listed] = [d for d in tenant.webhooks() if d["vendor"] == "cirrus"]
    assert listed["url"] == webhook_receiver.url and listed["event"] == "Exam results ready"
    assert listed["payload"] == event.raw
    # The receiver has the body before the sandbox has its answer: wait for the record.
    listed = tenant.webhooks.wait_for(listed["id"])
    assert listed["state"] == "delivered" and listed["attempts"][-1]["status"] == 200
    assert len(webhook_receiver.requests) == 1


# --------------------------------------------------------------------------- auth


def test_a_wrong_token_is_403(cirrus_site, cirrus_client):
    external_id = cirrus_site.data("assessment")
    with pytest.raises(NotAllowedError) as refused:
        cirrus_site.client(token="Wrong0Token0" * 4).get_assessment(external_id)
    assert refused.value.status == 403
    assert refused.value.messages == ["Not allowed to use external API"]
    # The header without its space, as real integrations send it, is the same token.
    assert cirrus_site.client(auth_style="nospace").get_assessment(external_id).is_published
    assert cirrus_client.get_assessment(external_id).external_id == external_id
