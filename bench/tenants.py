"""Bench-only: grow a served tenant to N candidates (and some past sessions) fast.

100k candidates through the API would take minutes and measure the API, not the list we
want to time. So, as a bench owning its data dir, this writes straight into the served
database file with SQLAlchemy Core executemany, under the same write lock the workers
take (``BEGIN IMMEDIATE``). All state is in the database, so the workers see the rows on
their next request.

The rows look like the seeded ones (``sandbox/providers/surpass/fixtures.py``): en_GB
names drawn with faker's own frequency tables, a home centre plus a second one for 30%,
one or two of the four active subjects, references ``CAND<id>``. Every candidate is
associated only with centres and subjects it can really be scheduled at, and
``schedule_plan`` says, per candidate, a (centre, test) that passes every TestSchedule
rule, so a benchmark can schedule each one once without ``autoSyncCentreSubject``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from faker.providers.person.en_GB import Provider as Names
from sqlalchemy import func, select

from exam_sandbox.core.db import Database, IdCounter, count_keys_past, insert_rows
from exam_sandbox.providers.surpass.keys import keycode_for, pin_for
from exam_sandbox.providers.surpass.tables import (
    Candidate,
    Centre,
    CentreSubjectAssociation,
    Subject,
    Test,
    TestForm,
    TestSession,
    candidate_centre,
    candidate_subject,
)

GENDERS = ("Male", "Female", "Unspecified")
ACTIVE_SUBJECTS = 4  # the seeded tenant's fifth subject is archived; nobody studies it
# A live tenant's history: mostly marked or finished, some still to sit, a few voided.
PAST_STATES = (11,) * 12 + (9,) * 4 + (1,) * 3 + (10,)
FIRST_DAY = date(2030, 1, 7)


@dataclass(frozen=True)
class Target:
    """Where candidate ``reference`` can be scheduled: its centre and a test it can sit."""

    reference: str
    centre: str
    test: str


@dataclass
class _Site:
    centres: list[tuple[int, int, str]]  # (pk, id, reference), by id
    subjects: list[int]  # pks, by id
    offers: set[tuple[int, int]]  # (centre pk, subject pk)
    tests: dict[int, list[tuple[int, int, str, bool, int]]]  # subject pk -> schedulable tests


def _site(session, tenant_id: str) -> _Site:
    centres = [
        tuple(row)
        for row in session.execute(
            select(Centre.pk, Centre.id, Centre.reference)
            .where(Centre.tenant_id == tenant_id, Centre.status == "Active")
            .order_by(Centre.id)
        )
    ]
    subjects = list(
        session.execute(
            select(Subject.pk).where(Subject.tenant_id == tenant_id).order_by(Subject.id)
        ).scalars()
    )[:ACTIVE_SUBJECTS]
    offers = set(
        tuple(row)
        for row in session.execute(
            select(CentreSubjectAssociation.centre_pk, CentreSubjectAssociation.subject_pk)
            .where(CentreSubjectAssociation.tenant_id == tenant_id)
        )
    )
    first_form = dict(
        session.execute(
            select(TestForm.test_pk, func.min(TestForm.pk))
            .where(TestForm.tenant_id == tenant_id)
            .group_by(TestForm.test_pk)
        ).all()
    )
    tests: dict[int, list] = {}
    for pk, test_id, reference, subject_pk, invigilated in session.execute(
        select(Test.pk, Test.id, Test.reference, Test.subject_pk, Test.requires_invigilation)
        .where(Test.tenant_id == tenant_id, Test.status == "Live")
        .order_by(Test.id)
    ):
        if pk in first_form:  # TS-13: a test without forms cannot be scheduled
            tests.setdefault(subject_pk, []).append(
                (pk, test_id, reference, invigilated, first_form[pk])
            )
    return _Site(centres, subjects, offers, tests)


def _next(session, column, *where) -> int:
    return (session.execute(select(func.max(column)).where(*where)).scalar() or 0) + 1


def _people(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(gender, first name, last name), with faker's en_GB frequencies."""
    last_names = rng.choices(list(Names.last_names), list(Names.last_names.values()), k=count)
    people = []
    for last in last_names:
        gender = GENDERS[rng.randrange(3)]
        pool = Names.first_names_male if gender == "Male" else Names.first_names_female
        people.append((gender, rng.choice(pool), last))
    return people


def grow_candidates(
    db: Database, tenant_id: str, total: int, *, seed: int = 1, past_sessions: int = 0
) -> list[Target]:
    """Add candidates until the tenant holds ``total``; give the first ``past_sessions`` new
    ones a session each. Returns a schedulable target for every new candidate without one.
    """
    rng = random.Random(f"{tenant_id}:{seed}")
    targets: list[Target] = []
    with db.session(write=True) as session:
        site = _site(session, tenant_id)
        have = session.execute(
            select(func.count()).where(Candidate.tenant_id == tenant_id)
        ).scalar_one()
        count = max(total - have, 0)
        first_pk = _next(session, Candidate.pk)
        first_id = _next(session, Candidate.id, Candidate.tenant_id == tenant_id)
        rows, centre_links, subject_links, sessions = [], [], [], []
        session_pk = _next(session, TestSession.pk)
        session_id = _next(session, TestSession.id, TestSession.tenant_id == tenant_id)
        keycodes = set(
            session.execute(
                select(TestSession.keycode).where(TestSession.tenant_id == tenant_id)
            ).scalars()
        )
        for n, (gender, first, last) in enumerate(_people(rng, count)):
            pk, cid = first_pk + n, first_id + n
            reference = f"CAND{cid:05d}"
            rows.append(
                {
                    "pk": pk,
                    "tenant_id": tenant_id,
                    "id": cid,
                    "reference": reference,
                    "first_name": first,
                    "middle_name": rng.choice(Names.first_names_female) if rng.random() < 0.2
                    else None,
                    "last_name": last,
                    "date_of_birth": date(1961, 1, 1) + timedelta(days=rng.randrange(17_500)),
                    "gender": gender,
                    "email": f"{first}.{last}{cid}@example.com".lower().replace(" ", ""),
                    "tel": f"0{rng.randrange(10**9, 10**10)}",
                    "uln": f"{rng.randrange(10**9, 10**10)}",
                    "reasonable_adjustments": rng.random() < 0.1,
                    "retired": False,
                    "is_external": False,
                }
            )
            home = cid % len(site.centres)
            centres = [site.centres[home]]
            if rng.random() < 0.3:
                centres.append(site.centres[(home + 1) % len(site.centres)])
            subjects = sorted({site.subjects[cid % ACTIVE_SUBJECTS],
                               site.subjects[rng.randrange(ACTIVE_SUBJECTS)]})
            centre_links += [
                {"tenant_id": tenant_id, "candidate_pk": pk, "centre_pk": c[0]} for c in centres
            ]
            subject_links += [
                {"tenant_id": tenant_id, "candidate_pk": pk, "subject_pk": s} for s in subjects
            ]
            options = [
                (centre, test)
                for centre in centres
                for subject in subjects
                if (centre[0], subject) in site.offers
                for test in site.tests.get(subject, ())
            ]
            if not options:
                continue  # registered where nothing it studies is offered: a real case
            centre, test = options[rng.randrange(len(options))]
            if n >= past_sessions:
                targets.append(Target(reference, centre[2], test[2]))
                continue
            sessions.append(
                _past_session(rng, tenant_id, seed, session_pk, session_id, keycodes, pk,
                              centre, test)
            )
            session_pk, session_id = session_pk + 1, session_id + 1
        connection = session.connection()
        for table, batch in (
            (Candidate.__table__, rows),
            (candidate_centre, centre_links),
            (candidate_subject, subject_links),
            (TestSession.__table__, sessions),
        ):
            insert_rows(connection, table, batch)
        # Keys of our choosing: PostgreSQL's sequences must count on past them.
        count_keys_past(connection, [Candidate.__table__, TestSession.__table__])
        # Ids are handed out from a per-tenant counter once one exists: move it past ours.
        for model, last in ((Candidate, first_id + count - 1), (TestSession, session_id - 1)):
            counter = session.get(IdCounter, (tenant_id, model.__tablename__))
            if counter is not None:
                counter.last = max(counter.last, last)
    return targets


def _past_session(rng, tenant_id, seed, pk, session_id, keycodes, candidate_pk, centre, test):
    test_pk, test_id, _reference, invigilated, form_pk = test
    attempt, keycode = 0, keycode_for(seed, session_id)
    while keycode.isdigit() or keycode in keycodes:  # as the sandbox picks one
        attempt += 1
        keycode = keycode_for(seed, session_id, attempt)
    keycodes.add(keycode)
    day = FIRST_DAY + timedelta(days=rng.randrange(120))
    start = datetime.combine(day, datetime.min.time())
    return {
        "pk": pk,
        "tenant_id": tenant_id,
        "id": session_id,
        "keycode": keycode,
        "pin": pin_for(seed, centre[1], test_id, day, 6),
        "state": rng.choice(PAST_STATES),
        "candidate_pk": candidate_pk,
        "centre_pk": centre[0],
        "test_pk": test_pk,
        "test_form_pk": form_pk,
        "start_date": day,
        "end_date": day,
        "start_time": "0900",
        "end_time": "1700",
        "scheduled_from": start + timedelta(hours=9),
        "scheduled_to": start + timedelta(hours=17),
        "enforce_times": False,
        "requires_invigilation": invigilated,
        "marked_externally": False,
        "test_tags": [],
        "options": {},
        "created_at": start - timedelta(days=14),
    }
