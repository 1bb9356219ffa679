"""Deterministic seed data for a Janison tenant: same seed, same rows, ids, keycodes,
versions and scores.

Kept small on purpose (tenant creation is on every test's path): 2 tests, 3 packages,
11 components, 3 users, 4 centres, 40 candidates and 4 schedules, three of them past and
completed (with results), one planned. The faker part is a pure function of the seed,
cached per process; writing it is one bulk insert per table.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import insert
from sqlalchemy.orm import Session

from sandbox.core.db import bulk_insert

from . import scoring
from .allocation import derived_raw_score, keycode_for, version_for
from .tables import (
    JCandidate,
    JCentre,
    JComponent,
    JCredential,
    JEnrolment,
    JEnrolmentComponent,
    JResult,
    JResultComponent,
    JSchedule,
    JTest,
    JTestPackage,
    JUser,
    candidate_centre,
    candidate_test,
    centre_test,
    user_centre,
)

CANDIDATES = 40
TESTS = [("ENG-GEN", "General English"), ("ENG-ACAD", "Academic English")]
# (test index, reference, name)
PACKAGES = [
    (0, "ENG-GEN-4S", "General English: four skills"),
    (0, "ENG-GEN-LR", "General English: listening and reading"),
    (1, "ENG-ACAD-4S", "Academic English: four skills"),
]
# (package index, suffix, name, type, versions, included in total)
COMPONENTS = [
    (0, "L", "Listening", "Listening", 4, True),
    (0, "R", "Reading", "Reading", 5, True),
    (0, "W", "Writing", "Writing", 3, True),
    (0, "S", "Speaking", "Speaking", 3, True),
    (1, "L", "Listening", "Listening", 4, True),
    (1, "R", "Reading", "Reading", 4, True),
    (1, "PL", "Practice listening", "Listening", 2, False),
    (2, "L", "Listening", "Listening", 3, True),
    (2, "R", "Reading", "Reading", 4, True),
    (2, "W", "Writing", "Writing", 2, True),
    (2, "S", "Speaking", "Speaking", 3, True),
]
# (county, country) of each centre.
REGIONS = [
    ("New South Wales", "Australia"),
    ("Victoria", "Australia"),
    ("Queensland", "Australia"),
    ("Western Australia", "Australia"),
]
# (centre index, package index, day, candidates, completed)
SCHEDULES = [
    (0, 0, date(2026, 2, 2), 4, True),
    (1, 1, date(2026, 2, 9), 3, True),
    (2, 2, date(2026, 3, 2), 3, True),
    (0, 0, date(2030, 6, 3), 3, False),
]
GENDERS = ("Male", "Female", "Unspecified")
FIRST_SITTING = time(9, 0)
COMPONENT_MINUTES = 45


@dataclass(frozen=True)
class Dataset:
    users: list[dict]
    user_centres: list[tuple[int, int]]
    centres: list[dict]
    centre_tests: list[tuple[int, int]]
    candidates: list[dict]
    candidate_centres: list[tuple[int, int]]
    candidate_tests: list[tuple[int, int]]
    schedules: list[list[int]]  # candidate indexes per schedule, in SCHEDULES order


@lru_cache(maxsize=32)
def dataset(seed: int) -> Dataset:
    from faker import Faker  # imported here: faker is slow to import and only seeding needs it

    fake = Faker("en_AU")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    users = []
    for index in range(3):
        first, last = fake.first_name(), fake.last_name()
        users.append(
            {
                "reference": f"USR{index + 1:03d}",
                "user_name": f"{first}.{last}{index + 1}".lower().replace(" ", ""),
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}@example.com".lower().replace(" ", ""),
                "phone": fake.phone_number(),
            }
        )
    towns: list[str] = []
    while len(towns) < len(REGIONS):
        town = fake.city()
        if town not in towns:
            towns.append(town)
    centres = [
        {
            "reference": f"CTR{index + 1:03d}",
            "name": f"{town} Test Centre",
            "address_line1": fake.street_address(),
            "town": town,
            "county": county,
            "country": country,
            "post_code": fake.postcode(),
            "admin_user": index // 2,
        }
        for index, (town, (county, country)) in enumerate(zip(towns, REGIONS, strict=True))
    ]
    user_centres = [(centre["admin_user"], index) for index, centre in enumerate(centres)]
    centre_tests = [(c, t) for c in range(len(centres)) for t in range(len(TESTS))]
    candidates, candidate_centres, candidate_tests = [], [], []
    for index in range(CANDIDATES):
        gender = GENDERS[rng.randrange(3)]
        first = fake.first_name_male() if gender == "Male" else fake.first_name_female()
        last = fake.last_name()
        candidates.append(
            {
                "reference": f"CAN{index + 1:04d}",
                "first_name": first,
                "middle_name": fake.first_name() if rng.random() < 0.2 else None,
                "last_name": last,
                "date_of_birth": fake.date_of_birth(minimum_age=16, maximum_age=60),
                "gender": gender,
                "uln": f"{rng.randrange(10**9, 10**10)}",
                "town": centres[index % len(centres)]["town"],
                "county_id": centres[index % len(centres)]["county"],
                "country_id": centres[index % len(centres)]["country"],
                "email": f"{first}.{last}{index + 1}@example.com".lower().replace(" ", ""),
                "phone": fake.phone_number(),
            }
        )
        home = index % len(centres)
        candidate_centres.append((index, home))
        if rng.random() < 0.25:
            candidate_centres.append((index, (home + 1) % len(centres)))
        candidate_tests.append((index, 0))
        if index % 3 == 0:
            candidate_tests.append((index, 1))
    schedules, taken = [], set()
    for centre, package, _day, size, _completed in SCHEDULES:
        test = PACKAGES[package][0]
        chosen = [
            c
            for c in range(CANDIDATES)
            if c % len(centres) == centre and (c, test) in candidate_tests and c not in taken
        ][:size]
        taken.update(chosen)
        schedules.append(chosen)
    return Dataset(
        users,
        user_centres,
        centres,
        centre_tests,
        candidates,
        candidate_centres,
        candidate_tests,
        schedules,
    )


def _links(session: Session, table, tid: dict, left: str, right: str, pairs) -> None:
    if pairs:
        session.connection().execute(
            insert(table), [{**tid, f"{left}_pk": a, f"{right}_pk": b} for a, b in pairs]
        )


def seed_tenant(session: Session, tenant_id: str, seed: int, credentials: dict) -> None:
    data = dataset(seed)
    tid = {"tenant_id": tenant_id}
    test_pks = bulk_insert(
        session,
        JTest,
        [{**tid, "id": i + 1, "reference": r, "name": n} for i, (r, n) in enumerate(TESTS)],
    )
    package_pks = bulk_insert(
        session,
        JTestPackage,
        [
            {**tid, "id": i + 1, "reference": r, "name": n, "test_pk": test_pks[t]}
            for i, (t, r, n) in enumerate(PACKAGES)
        ],
    )
    component_rows = [
        {
            **tid,
            "id": i + 1,
            "reference": f"{PACKAGES[p][1]}-{suffix}",
            "name": name,
            "type": kind,
            "versions": versions,
            "included_in_total": included,
            "package_pk": package_pks[p],
        }
        for i, (p, suffix, name, kind, versions, included) in enumerate(COMPONENTS)
    ]
    component_pks = bulk_insert(session, JComponent, component_rows)
    user_pks = bulk_insert(
        session, JUser, [{**tid, "id": i + 1, **u} for i, u in enumerate(data.users)]
    )
    centre_pks = bulk_insert(
        session,
        JCentre,
        [
            {
                **tid,
                "id": i + 1,
                **{k: v for k, v in c.items() if k != "admin_user"},
                "admin_user_pk": user_pks[c["admin_user"]],
                "retired": False,
            }
            for i, c in enumerate(data.centres)
        ],
    )
    candidate_pks = bulk_insert(
        session,
        JCandidate,
        [{**tid, "id": i + 1, **c, "retired": False} for i, c in enumerate(data.candidates)],
    )
    _links(
        session,
        user_centre,
        tid,
        "user",
        "centre",
        [(user_pks[u], centre_pks[c]) for u, c in data.user_centres],
    )
    _links(
        session,
        centre_test,
        tid,
        "centre",
        "test",
        [(centre_pks[c], test_pks[t]) for c, t in data.centre_tests],
    )
    _links(
        session,
        candidate_centre,
        tid,
        "candidate",
        "centre",
        [(candidate_pks[c], centre_pks[e]) for c, e in data.candidate_centres],
    )
    _links(
        session,
        candidate_test,
        tid,
        "candidate",
        "test",
        [(candidate_pks[c], test_pks[t]) for c, t in data.candidate_tests],
    )
    _seed_schedules(session, tid, seed, data, package_pks, centre_pks, candidate_pks, component_pks)
    session.connection().execute(insert(JCredential.__table__), [{**tid, **credentials}])


def _seed_schedules(
    session, tid, seed, data, package_pks, centre_pks, candidate_pks, component_pks
) -> None:
    schedule_rows, enrolments, allocations, results, result_components = [], [], [], [], []
    for s, ((centre, package, day, _size, completed), chosen) in enumerate(
        zip(SCHEDULES, data.schedules, strict=True)
    ):
        schedule_rows.append(
            {
                **tid,
                "id": s + 1,
                "reference": f"TS{s + 1:04d}",
                "package_pk": package_pks[package],
                "centre_pk": centre_pks[centre],
                "test_package_date": day,
                "extend_validity_period": False,
                "room_reference": f"Room {s + 1}",
                "retired": False,
                "created_at": datetime.combine(day - timedelta(days=21), FIRST_SITTING),
            }
        )
        parts = [(i, c) for i, c in enumerate(COMPONENTS) if c[0] == package]
        for candidate in chosen:
            session_id = len(enrolments) + 1
            enrolments.append(
                {
                    **tid,
                    "id": session_id,
                    "schedule": s,
                    "candidate_pk": candidate_pks[candidate],
                    "completed": completed,
                }
            )
            scales = []
            for n, (c, (_p, _x, _name, _kind, versions, included)) in enumerate(parts):
                sat_at = datetime.combine(day, FIRST_SITTING) + timedelta(
                    minutes=COMPONENT_MINUTES * n
                )
                raw = derived_raw_score(seed, session_id, c + 1, 0) if completed else None
                keycode = keycode_for(seed, session_id, c + 1, 0)
                allocations.append(
                    {
                        **tid,
                        "id": len(allocations) + 1,
                        "enrolment": session_id - 1,
                        "component_pk": component_pks[c],
                        "version": version_for(seed, session_id, c + 1, 0, versions),
                        "keycode": keycode,
                        "attempt": 0,
                        "completed": completed,
                        "raw_score": raw,
                        "date_completed": sat_at if completed else None,
                    }
                )
                if not completed:
                    continue
                scale = scoring.scale_score(raw)
                if included:
                    scales.append(scale)
                result_components.append(
                    {
                        **tid,
                        "id": len(result_components) + 1,
                        "result": len(results),
                        "component_pk": component_pks[c],
                        "raw_score": raw,
                        "scale_score": str(scale),
                        "cefr_grade": scoring.cefr_grade(scale),
                        "date_completed": sat_at,
                        "keycode": keycode,
                        "included_in_total": included,
                        "completed": True,
                        "voided": False,
                    }
                )
            if completed:
                final = scoring.overall(scales)
                results.append(
                    {
                        **tid,
                        "id": len(results) + 1,
                        "reference": f"RES{len(results) + 1:05d}",
                        "enrolment": session_id - 1,
                        "candidate_pk": candidate_pks[candidate],
                        "package_pk": package_pks[package],
                        "centre_pk": centre_pks[centre],
                        "final_scale_score": str(final),
                        "overall_cefr_grade": scoring.cefr_grade(final),
                        "completion_date": sat_at,
                        "completed": True,
                        "voided": False,
                    }
                )
    schedule_pks = bulk_insert(session, JSchedule, schedule_rows)
    enrolment_pks = bulk_insert(
        session, JEnrolment, _parented(enrolments, "schedule", "schedule_pk", schedule_pks)
    )
    bulk_insert(
        session,
        JEnrolmentComponent,
        _parented(allocations, "enrolment", "enrolment_pk", enrolment_pks),
    )
    result_pks = bulk_insert(
        session, JResult, _parented(results, "enrolment", "enrolment_pk", enrolment_pks)
    )
    bulk_insert(
        session, JResultComponent, _parented(result_components, "result", "result_pk", result_pks)
    )


def _parented(rows: list[dict], index: str, column: str, pks: list[int]) -> list[dict]:
    """``rows`` with the parent's index under ``index`` replaced by its pk in ``column``."""
    return [
        {**{k: v for k, v in row.items() if k != index}, column: pks[row[index]]} for row in rows
    ]
