"""Deterministic seed data for a Janison tenant: same seed, same rows, ids, keycodes,
versions and scores.

Kept small on purpose (tenant creation is on every test's path): 2 tests, 3 packages,
11 components, 3 users, 4 centres, 40 candidates and 4 schedules, three of them past and
completed (with results), one planned. The faker part is a pure function of the seed,
cached per process. ``write_data`` writes a seed's rows once per database, into the seed's
template (core/tenant_template.py); each tenant is then a copy made inside the database,
plus its own credential row, which derives from the tenant's secret.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy.orm import Session

from exam_sandbox.core.db import bulk_insert
from exam_sandbox.core.fake import date_of_birth, seeded_faker
from exam_sandbox.core.tenant_template import fingerprint, seed_from_template

from . import allocation, scoring
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
    fake = seeded_faker(seed, "en_AU")
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
                "date_of_birth": date_of_birth(fake, minimum_age=16, maximum_age=60),
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


@dataclass(frozen=True)
class Ref:
    """A foreign key in a template row: the ``index``-th row seeded into ``table``."""

    table: str
    index: int


# Tables in the order they are written (parents first), by the names templates use.
TABLES = {
    "test": JTest,
    "testpackage": JTestPackage,
    "component": JComponent,
    "user": JUser,
    "centre": JCentre,
    "candidate": JCandidate,
    "user_centre": user_centre,
    "centre_test": centre_test,
    "candidate_centre": candidate_centre,
    "candidate_test": candidate_test,
    "testschedule": JSchedule,
    "enrolment": JEnrolment,
    "enrolment_component": JEnrolmentComponent,
    "result": JResult,
    "result_component": JResultComponent,
}


# Every table ``write_data`` fills, parents first: what a tenant's copy is made of. Not
# the credential (from the tenant's secret) nor the tokens (controls, kept on a reset).
TEMPLATE_TABLES = tuple(getattr(t, "__table__", t) for t in TABLES.values())


@lru_cache(maxsize=1)
def template_version() -> str:
    # The files that decide the rows: these fixtures, keycodes/versions/raw scores, scales.
    return fingerprint(__file__, allocation.__file__, scoring.__file__)


def seed_tenant(session: Session, tenant_id: str, seed: int, credentials: dict) -> None:
    """The seed's data (a copy of its template) and the tenant's own credential row."""
    seed_from_template(
        session,
        vendor="janison",
        seed=seed,
        version=template_version(),
        tables=TEMPLATE_TABLES,
        tenant_id=tenant_id,
        build=lambda template: write_data(session, template, seed),
    )
    write_credentials(session, tenant_id, credentials)


def write_credentials(session: Session, tenant_id: str, credentials: dict) -> None:
    """The tenant's subscription key, static token and OAuth2 client."""
    bulk_insert(session, JCredential, [{"tenant_id": tenant_id, **credentials}])


def write_data(session: Session, tenant_id: str, seed: int) -> None:
    """Write the seed's rows (every table of ``TEMPLATE_TABLES``) for ``tenant_id``: one
    bulk insert per table."""
    pks: dict[str, list[int]] = {}
    for name, rows in templates(seed).items():
        pks[name] = bulk_insert(
            session,
            TABLES[name],
            [
                {
                    "tenant_id": tenant_id,
                    **{
                        k: pks[v.table][v.index] if isinstance(v, Ref) else v
                        for k, v in row.items()
                    },
                }
                for row in rows
            ],
        )


@lru_cache(maxsize=32)
def templates(seed: int) -> dict[str, list[dict]]:
    """Every seeded row of every table but ``tenant_id``, foreign keys as ``Ref``: a pure
    function of the seed, so the versions, keycodes and scores are computed once."""
    data = dataset(seed)
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    rows["test"] = [{"id": i + 1, "reference": r, "name": n} for i, (r, n) in enumerate(TESTS)]
    rows["testpackage"] = [
        {"id": i + 1, "reference": r, "name": n, "test_pk": Ref("test", t)}
        for i, (t, r, n) in enumerate(PACKAGES)
    ]
    rows["component"] = [
        {
            "id": i + 1,
            "reference": f"{PACKAGES[p][1]}-{suffix}",
            "name": name,
            "type": kind,
            "versions": versions,
            "included_in_total": included,
            "package_pk": Ref("testpackage", p),
        }
        for i, (p, suffix, name, kind, versions, included) in enumerate(COMPONENTS)
    ]
    rows["user"] = [{"id": i + 1, **u} for i, u in enumerate(data.users)]
    rows["centre"] = [
        {
            "id": i + 1,
            **{k: v for k, v in c.items() if k != "admin_user"},
            "admin_user_pk": Ref("user", c["admin_user"]),
            "retired": False,
        }
        for i, c in enumerate(data.centres)
    ]
    rows["candidate"] = [
        {"id": i + 1, **c, "retired": False} for i, c in enumerate(data.candidates)
    ]
    for name, left, right, pairs in (
        ("user_centre", "user", "centre", data.user_centres),
        ("centre_test", "centre", "test", data.centre_tests),
        ("candidate_centre", "candidate", "centre", data.candidate_centres),
        ("candidate_test", "candidate", "test", data.candidate_tests),
    ):
        rows[name] = [{f"{left}_pk": Ref(left, a), f"{right}_pk": Ref(right, b)} for a, b in pairs]
    for s, (plan, chosen) in enumerate(zip(SCHEDULES, data.schedules, strict=True)):
        _schedule_rows(rows, seed, s, plan, chosen)
    return rows


def _schedule_rows(rows: dict, seed: int, s: int, plan: tuple, chosen: list[int]) -> None:
    """A seeded schedule, its enrolments and allocations; if it is past, its results."""
    centre, package, day, _size, completed = plan
    rows["testschedule"].append(
        {
            "id": s + 1,
            "reference": f"TS{s + 1:04d}",
            "package_pk": Ref("testpackage", package),
            "centre_pk": Ref("centre", centre),
            "test_package_date": day,
            "extend_validity_period": False,
            "room_reference": f"Room {s + 1}",
            "retired": False,
            "created_at": datetime.combine(day - timedelta(days=21), FIRST_SITTING),
        }
    )
    parts = [(i, c) for i, c in enumerate(COMPONENTS) if c[0] == package]
    for candidate in chosen:
        enrolment = len(rows["enrolment"])
        session_id = enrolment + 1
        rows["enrolment"].append(
            {
                "id": session_id,
                "schedule_pk": Ref("testschedule", s),
                "candidate_pk": Ref("candidate", candidate),
                "completed": completed,
            }
        )
        result = len(rows["result"])
        scales, sat_at = [], None
        for n, (c, (_p, _x, _name, _kind, versions, included)) in enumerate(parts):
            sat_at = datetime.combine(day, FIRST_SITTING) + timedelta(minutes=COMPONENT_MINUTES * n)
            raw = derived_raw_score(seed, session_id, c + 1, 0)
            keycode = keycode_for(seed, session_id, c + 1, 0)
            rows["enrolment_component"].append(
                {
                    "id": len(rows["enrolment_component"]) + 1,
                    "enrolment_pk": Ref("enrolment", enrolment),
                    "component_pk": Ref("component", c),
                    "version": version_for(seed, session_id, c + 1, 0, versions),
                    "keycode": keycode,
                    "attempt": 0,
                    "completed": completed,
                    "raw_score": raw if completed else None,
                    "date_completed": sat_at if completed else None,
                }
            )
            if not completed:
                continue
            scale = scoring.scale_score(raw)
            if included:
                scales.append(scale)
            rows["result_component"].append(
                {
                    "id": len(rows["result_component"]) + 1,
                    "result_pk": Ref("result", result),
                    "component_pk": Ref("component", c),
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
            rows["result"].append(
                {
                    "id": result + 1,
                    "reference": f"RES{result + 1:05d}",
                    "enrolment_pk": Ref("enrolment", enrolment),
                    "candidate_pk": Ref("candidate", candidate),
                    "package_pk": Ref("testpackage", package),
                    "centre_pk": Ref("centre", centre),
                    "final_scale_score": str(final),
                    "overall_cefr_grade": scoring.cefr_grade(final),
                    "completion_date": sat_at,
                    "completed": True,
                    "voided": False,
                }
            )
