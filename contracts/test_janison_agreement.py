"""Agreement: the Janison client and a served Janison (the sandbox, or a real site with
``--janison-url``) carry out whole scenarios together, over real HTTP: enrol a group,
resit a component, sit it and read the results, retire a candidate, page and filter.

Each test goes through ``client.janison.JanisonClient`` only (the ``janison_client``
fixture); the sandbox's ``/_sandbox`` controls (``/complete``, settings, the clock) come
from the tenant and mark the test ``sandbox_only``. Error codes are checked on the
sandbox only (Janison documents none); statuses and error kinds are checked everywhere.
Site data and a real site's setup: ``janison_site.py``.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from exam_sandbox.client.core.odata import F
from exam_sandbox.client.janison import (
    AuthenticationError,
    CefrGrade,
    ConflictError,
    JanisonClient,
    ScheduleResult,
    ValidationError,
)

DAY = dt.date.today() + dt.timedelta(days=30)  # well after today, on any clock
KEYCODE = re.compile(r"^[A-Z0-9]{8}$")


def book(site, client: JanisonClient, candidates: list[str], day: dt.date = DAY,
         **options) -> ScheduleResult:
    """Enrol ``candidates`` on the scenario's package and centre (retired after the test)."""
    made = client.schedule_test(test_package=site.data("test_package"), centre=site.data("centre"),
                                candidates=candidates, date=day, **options)
    site.delete_schedule_later(client, made.id)
    return made


# --------------------------------------------------------------------------- enrolment


def test_enrol_a_group(janison_site, janison_client):
    group = janison_site.candidates(3)
    package = janison_client.get_test_package(janison_site.data("test_package"))
    assert package.components, "the package has components to sit"

    made = book(janison_site, janison_client, group, room_reference="Hall A")

    assert isinstance(made, ScheduleResult) and isinstance(made.id, int) and made.href
    assert [e.candidate.reference for e in made.enrolments] == group  # request order
    sessions = [e.test_session_id for e in made.enrolments]
    assert all(isinstance(s, int) for s in sessions) and len(set(sessions)) == len(group)
    keycodes = []
    for enrolment in made.enrolments:
        assert sorted(c.component.id for c in enrolment.components) == sorted(
            c.id for c in package.components
        )
        for allocation in enrolment.components:
            assert isinstance(allocation.version, int) and allocation.version >= 1
            assert KEYCODE.match(allocation.keycode), allocation.keycode
        keycodes += enrolment.keycodes
    assert len(set(keycodes)) == len(keycodes)
    assert made.enrolment_for(group[1]).test_session_id == sessions[1]


def test_an_enrolment_refused_writes_nothing(janison_site, janison_client):
    first, second = janison_site.candidates(2)
    with pytest.raises(ValidationError) as twice:
        book(janison_site, janison_client, [first, second, first])
    assert twice.value.status == 400
    janison_site.expect_codes(twice.value, 3101)  # ENR-1

    nobody = janison_site.unique("NOBODY")
    with pytest.raises(ValidationError) as unknown:
        book(janison_site, janison_client, [first, nobody])
    assert unknown.value.status == 400
    janison_site.expect_codes(unknown.value, 2102)  # JC-2
    assert unknown.value.errors[0].field == "candidates"

    again = book(janison_site, janison_client, [first, second])  # nothing was half-written
    assert [e.candidate.reference for e in again.enrolments] == [first, second]


@pytest.mark.sandbox_only
def test_a_past_date_follows_the_site_setting(janison_site, janison_client):
    tenant = janison_site.tenant
    tenant.clock.freeze("2031-03-01T10:00:00Z")
    [candidate] = janison_site.candidates(1)
    with pytest.raises(ValidationError) as past:
        book(janison_site, janison_client, [candidate], dt.date(2031, 2, 28))
    janison_site.expect_codes(past.value, 3103)  # ENR-3

    assert book(janison_site, janison_client, [candidate], dt.date(2031, 3, 1)).enrolments
    tenant.update_settings("janison", allow_past_test_package_date=True)
    assert book(janison_site, janison_client, [candidate], dt.date(2031, 2, 28)).enrolments


# --------------------------------------------------------------------------- resits


def test_resit_a_component(janison_site, janison_client):
    first, second, third = janison_site.candidates(3)
    made = book(janison_site, janison_client, [first, second])
    component = janison_client.get_component(janison_site.data("component"))
    sat = {e.candidate.reference: e for e in made.enrolments}
    old = next(c for c in sat[first].components if c.component.id == component.id)

    resat = janison_client.reschedule_components(made, components=component.reference,
                                                 candidate=first)

    assert (resat.id, resat.href) == (made.id, made.href)
    [enrolment] = resat.enrolments  # only the candidate's enrolment is touched
    assert enrolment.candidate.reference == first
    assert enrolment.test_session_id == sat[first].test_session_id
    [new] = enrolment.components  # only the component resat
    assert new.component.id == component.id
    assert KEYCODE.match(new.keycode) and new.keycode != old.keycode
    if janison_site.is_sandbox:  # "randomly selected": another than the one just sat
        assert new.version != old.version

    # Without a candidate, every enrolment is touched; a fetched allocation is a key too.
    everyone = janison_client.reschedule_components(made.id, components=[new])
    assert [e.candidate.reference for e in everyone.enrolments] == [first, second]
    assert all(len(e.components) == 1 for e in everyone.enrolments)

    # Not enrolled, or not a component of the package: refused.
    with pytest.raises(ValidationError) as stranger:
        janison_client.reschedule_components(made, components=component.reference, candidate=third)
    janison_site.expect_codes(stranger.value, 3104)  # ENR-4
    package = janison_site.data("test_package")
    elsewhere = janison_client.components_page(
        filter=F("testPackage") / "reference" != package, top=1
    )
    if elsewhere.items:
        with pytest.raises(ValidationError) as foreign:
            janison_client.reschedule_components(made, components=elsewhere.items[0])
        assert foreign.value.status == 400
        janison_site.expect_codes(foreign.value, 2403)  # JTSC-1c


# --------------------------------------------------------------------------- results


def scale(raw: int) -> int:
    """docs/providers/janison.md, SCORE: 80 + 1.5 x raw, halves up."""
    return math.floor(80 + 1.5 * raw + 0.5)


def grade(scale_score: int) -> CefrGrade:
    bands = [(200, "C2"), (180, "C1"), (160, "B2"), (140, "B1"), (120, "A2"), (100, "A1")]
    return CefrGrade(next((g for low, g in bands if scale_score >= low), "Below A1"))


@pytest.mark.sandbox_only
def test_sit_and_read_the_results(janison_site, janison_client):
    tenant = janison_site.tenant
    sat_at = tenant.clock.freeze("2031-03-01T10:42:00Z")
    first, second = janison_site.candidates(2)
    made = book(janison_site, janison_client, [first, second], dt.date(2031, 3, 1))
    package = janison_client.get_test_package(janison_site.data("test_package"))
    components = [janison_client.get_component(c.id) for c in package.components]
    raw = {c.reference: 20 + 17 * i for i, c in enumerate(components)}
    enrolment = made.enrolment_for(first)
    first_id = enrolment.candidate.id

    done = tenant.complete(made.id, raw, candidates=[first_id])
    [summary] = done.results

    result = janison_client.get_result(summary.id)
    assert result.completed is True and result.voided is False
    assert (result.candidate.reference, result.test_package.reference) == (first, package.reference)
    assert result.centre.reference == janison_site.data("centre")
    assert result.test_package_completion_date == sat_at
    keycodes = {c.component.id: c.keycode for c in enrolment.components}
    for part in result.components:
        expected = scale(raw[part.reference])
        assert part.raw_score == raw[part.reference]
        assert part.scale_score == expected and part.cefr_grade == grade(expected)
        assert part.keycode == keycodes[part.id] and part.completed is True
        assert part.date_completed == sat_at
    counted = [p.scale_score for p in result.components if p.included_in_total]
    final = (2 * sum(counted) + len(counted)) // (2 * len(counted))  # the mean, halves up
    assert result.final_scale_score == summary.final_scale_score == final
    assert result.overall_cefr_grade == grade(final)

    # Read by query too: this candidate's results for the package, newest first.
    mine = janison_client.iter_results(
        filter=(F("candidate") / "reference" == first)
        & (F("testPackage") / "reference" == package.reference),
        order_by="-id",
    )
    assert [r.id for r in mine][:1] == [result.id]
    assert not janison_client.results_page(where={"candidate/reference": second}).items

    # A sat schedule is no longer planned: it cannot be retired (ENR-5).
    with pytest.raises(ConflictError) as sat:
        janison_client.delete_schedule(made)
    assert sat.value.status == 409
    janison_site.expect_codes(sat.value, 3105)

    # A resit, sat again: the same result, rewritten.
    writing = janison_site.data("component")
    janison_client.reschedule_components(made, components=writing, candidate=first)
    tenant.complete(made.id, {writing: 100}, candidates=[first_id])
    again = janison_client.get_result(result.id)
    rewritten = next(p for p in again.components if p.reference == writing)
    assert (rewritten.raw_score, rewritten.scale_score) == (100, 230)
    assert rewritten.keycode != keycodes[rewritten.id]


# --------------------------------------------------------------------------- retiring


def test_retire_a_candidate(janison_site, janison_client):
    reference = janison_site.unique("AGREE")
    made = janison_client.create_candidate(
        reference=reference, first_name="Ada", last_name="Lovelace",
        date_of_birth=dt.date(2001, 12, 10), gender="Female",
        centres=[janison_site.data("centre")], tests=[janison_site.data("test")],
    )
    janison_site.delete_candidate_later(janison_client, made.id)
    fetched = janison_client.get_candidate(reference)
    assert (fetched.id, fetched.retired) == (made.id, False)
    assert [c.reference for c in fetched.centres] == [janison_site.data("centre")]

    gone = janison_client.delete_candidate(reference)
    assert (gone.id, gone.reference) == (made.id, reference)
    retired = janison_client.get_candidate(made.id)  # still readable
    assert retired.retired is True and retired.last_name == "Lovelace"
    found = janison_client.candidates_page(where={"retired": True, "reference": reference})
    assert [c.id for c in found] == [made.id]

    with pytest.raises(ConflictError) as changed:
        janison_client.update_candidate(made.id, phone="0400 000 000")
    assert changed.value.status == 409
    janison_site.expect_codes(changed.value, 3002)  # RET-1
    with pytest.raises(ValidationError) as booked:
        book(janison_site, janison_client, [reference])
    assert booked.value.status == 400
    janison_site.expect_codes(booked.value, 3003)  # RET-2
    if janison_site.is_sandbox:  # retireTwice: conflict, by default
        with pytest.raises(ConflictError):
            janison_client.delete_candidate(made.id)


@pytest.mark.sandbox_only
def test_a_user_and_their_centre(janison_site, janison_client):
    # Sandbox only: Janison has no way to delete a user or a centre a test made.
    user = janison_client.create_user(user_name="agreement.admin", reference="AGREE-USR",
                                      email="admin@example.com")
    with pytest.raises(ConflictError) as duplicate:
        janison_client.create_user(user_name="agreement.admin", reference="AGREE-USR-2")
    janison_site.expect_codes(duplicate.value, 2002)  # JU-1b

    centre = janison_client.create_centre(
        name="Agreement Hall", address_line1="1 George St", town="Sydney",
        county="New South Wales", country="Australia", tests=[janison_site.data("test")],
        centre_admin_user=user, reference="AGREE-CTR",
    )
    janison_client.update_centre(centre.id, post_code="2000")
    read = janison_client.get_centre("AGREE-CTR")
    assert (read.centre_admin_user.id, read.post_code, read.retired) == (user.id, "2000", False)
    janison_client.delete_centre(centre)
    assert janison_client.get_centre(centre.id).retired is True
    with pytest.raises(ValidationError) as booked:
        janison_client.schedule_test(test_package=janison_site.data("test_package"), centre=centre,
                                     candidates=janison_site.candidates(1), date=DAY)
    janison_site.expect_codes(booked.value, 3003)  # RET-2


# --------------------------------------------------------------------------- lists


def test_page_and_filter_candidates(janison_site, janison_client):
    query = {"where": {"retired": False}, "order_by": "-id"}
    first = janison_client.candidates_page(top=10, **query)
    if first.count is None or first.count <= 10:
        pytest.skip(f"the site has {first.count} candidates; the scenario needs over 10")
    assert (first.top, first.skip) == (10, 0)
    assert first.page_count == math.ceil(first.count / 10)
    assert first.prev_page_link is None and first.has_next

    paginator = janison_client.iter_candidates(top=10, **query)
    everyone = list(paginator)
    ids = [c.id for c in everyone]
    assert paginator.count == first.count == len(everyone)
    assert ids == sorted(set(ids), reverse=True)
    assert all(c.retired is False for c in everyone)
    assert ids[:10] == [c.id for c in first]

    last = janison_client.candidates_page(top=10, skip=(first.page_count - 1) * 10, **query)
    assert last.next_page_link is None and last.prev_page_link
    assert [c.id for c in last] == ids[(first.page_count - 1) * 10:]

    centre = janison_site.data("centre")
    there = list(janison_client.iter_candidates(filter=F("centres").any(reference=centre)))
    assert there and all(centre in {c.reference for c in t.centres} for t in there)
    # contains() ignores case on the sandbox (assumed; docs/providers/janison.md).
    named = list(janison_client.iter_candidates(where={"retired": False},
                                                contains={"lastName": "a"}))
    assert named and all("a" in c.last_name.lower() for c in named)
    assert {c.id for c in named} <= set(ids)


def test_filter_results(janison_site, janison_client):
    package = janison_site.data("test_package")
    page = janison_client.results_page(where={"testPackage/reference": package}, top=5,
                                       order_by="-id")
    if not page.items:
        pytest.skip(f"the site has no results for {package}")
    assert all(r.test_package.reference == package for r in page)
    assert [r.id for r in page] == sorted((r.id for r in page), reverse=True)
    graded = page.items[0].components[0].cefr_grade
    matching = janison_client.iter_results(
        filter=F("components").any(F("CEFRGrade") == str(graded)), limit=20
    )
    assert all(any(c.cefr_grade == graded for c in r.components) for r in matching)


# --------------------------------------------------------------------------- auth


def test_wrong_credentials_are_401(janison_site, janison_client):
    with pytest.raises(AuthenticationError) as token:
        janison_site.client(token=janison_site.token + "-wrong").tests_page(top=1)
    assert token.value.status == 401
    with pytest.raises(AuthenticationError) as key:
        janison_site.client(subscription_key="not-a-key").tests_page(top=1)
    assert key.value.status == 401
    assert janison_client.tests_page(top=1).items  # the right ones work


@pytest.mark.sandbox_only
def test_a_token_from_the_client_credentials_grant(janison_site):
    with janison_site.tenant.janison_client(oauth=True, retries=0) as client:
        assert client.tests_page(top=1).items
        [candidate] = janison_site.candidates(1)
        made = client.schedule_test(test_package=janison_site.data("test_package"),
                                    centre=janison_site.data("centre"),
                                    candidates=[candidate], date=DAY)
        assert client.delete_schedule(made).id == made.id
