"""Deterministic seed data for a Surpass tenant: same seed, same rows, ids and keycodes.

Building the data (faker) is the slow part, so it is a pure function of the seed, cached
per process, and shipped precomputed for the default seed (``seed_1.json``, so a start
needs no faker). ``write_data`` writes a seed's rows once per database, into the seed's
template (core/tenant_template.py); each tenant is then a copy made inside the database,
plus its own user, whose password hash derives from the tenant's secret.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from exam_sandbox.core import seed_data
from exam_sandbox.core.db import bulk_insert
from exam_sandbox.core.fake import date_of_birth, seeded_faker
from exam_sandbox.core.tenant_template import fingerprint, seed_from_template

from . import keys
from .auth import PERMISSIONS, hash_password
from .keys import keycode_for, pin_for
from .tables import (
    Candidate,
    Centre,
    CentreSubjectAssociation,
    Country,
    County,
    Subject,
    Test,
    TestForm,
    TestSession,
    User,
    candidate_centre,
    candidate_subject,
)

CANDIDATES = 120
COUNTRIES = [
    ("United Kingdom", "GBR"),
    ("Ireland", "IRL"),
    ("Australia", "AUS"),
    ("United States", "USA"),
    ("India", "IND"),
    ("New Zealand", "NZL"),
]
COUNTIES = [
    ("Greater London", 1),
    ("West Yorkshire", 1),
    ("Kent", 1),
    ("Lancashire", 1),
    ("Midlothian", 1),
    ("County Durham", 1),
    ("County Dublin", 2),
    ("County Cork", 2),
    ("New South Wales", 3),
    ("Victoria", 3),
    ("California", 4),
    ("Maharashtra", 5),
]
# (reference, name, status, item count): the last can be deleted (SU-3), the rest cannot.
SUBJECTS = [
    ("MATHS", "Mathematics", "Active", 140),
    ("ENGLANG", "English Language", "Active", 96),
    ("COMPSCI", "Computing", "Active", 75),
    ("HSAFETY", "Health and Safety at Work", "Active", 40),
    ("LEGACYSCI", "Legacy Science", "Archived", 0),
]
# (subject index, reference suffix, name, status, invigilated, user associations, forms)
TESTS = [
    (0, "FND", "Foundation Paper", "Live", True, False, 2),
    (0, "PRAC", "Practice Quiz", "Live", False, False, 2),
    (1, "READ", "Reading Comprehension", "Live", True, True, 3),
    (1, "WRIT", "Writing Assessment", "Live", False, True, 1),
    (2, "PROG", "Programming Fundamentals", "Live", False, False, 2),
    (2, "NETW", "Networking Essentials", "Draft", False, False, 1),
    (3, "IOSH", "Workplace Safety Certificate", "Live", True, False, 2),
    (3, "REFR", "Refresher Module", "Live", False, False, 0),
    (4, "OLD", "Retired Science Paper", "Retired", False, False, 1),
]
GENDERS = ("Male", "Female", "Unspecified")
# States the seeded past sessions take, so every TestSession rule has a row to act on.
SEEDED_SESSION_STATES = (1, 2, 4, 5, 6, 7, 9, 10, 11, 14)


@dataclass(frozen=True)
class Dataset:
    centres: list[dict]
    candidates: list[dict]
    candidate_centres: list[tuple[int, int]]  # (candidate index, centre index)
    candidate_subjects: list[tuple[int, int]]  # (candidate index, subject index)
    associations: list[tuple[int, int, bool]]  # (centre index, subject index, primary)
    sessions: list[dict]


# The seed whose dataset ships as JSON (the demo tenant's and the controls' default).
PRECOMPUTED_SEED = 1
PRECOMPUTED = Path(__file__).with_name(f"seed_{PRECOMPUTED_SEED}.json")


@lru_cache(maxsize=32)
def dataset(seed: int) -> Dataset:
    if seed == PRECOMPUTED_SEED:
        return seed_data.load(Dataset, PRECOMPUTED)
    return build_dataset(seed)


def build_dataset(seed: int) -> Dataset:
    """The seed's data, built with faker (what ``seed_1.json`` holds for seed 1)."""
    fake = seeded_faker(seed, "en_GB")
    rng = random.Random(seed)
    towns = []
    while len(towns) < 5:
        town = fake.city()
        if town not in towns:
            towns.append(town)
    centres = [
        {
            "reference": f"CEN{index + 1:03d}",
            "name": f"{town} Assessment Centre",
            "address_line1": fake.street_address(),
            "town": town,
            "post_code": fake.postcode(),
            "county": rng.randrange(6),
        }
        for index, town in enumerate(towns)
    ]
    candidates, candidate_centres, candidate_subjects = [], [], []
    for index in range(CANDIDATES):
        gender = GENDERS[rng.randrange(3)]
        first = fake.first_name_male() if gender == "Male" else fake.first_name_female()
        last = fake.last_name()
        candidates.append(
            {
                "reference": f"CAND{index + 1:05d}",
                "first_name": first,
                "middle_name": fake.first_name() if rng.random() < 0.2 else None,
                "last_name": last,
                "date_of_birth": date_of_birth(fake, minimum_age=16, maximum_age=65),
                "gender": gender,
                "email": f"{first}.{last}{index + 1}@example.com".lower().replace(" ", ""),
                "tel": fake.phone_number(),
                "uln": f"{rng.randrange(10**9, 10**10)}",
                "reasonable_adjustments": rng.random() < 0.1,
            }
        )
        home = index % len(centres)
        candidate_centres.append((index, home))
        if rng.random() < 0.3:
            candidate_centres.append((index, (home + 1) % len(centres)))
        for subject in sorted({index % 4, rng.randrange(4)}):
            candidate_subjects.append((index, subject))
    # Every active subject at three or four centres; centre 5 offers no Computing (TS-16).
    associations = [
        (centre, subject, centre == subject % len(centres))
        for subject in range(len(SUBJECTS))
        for centre in range(len(centres))
        if not (centre == 4 and subject == 2) and (centre + subject) % 5 != 3
    ]
    sessions = []
    base_day = date(2026, 1, 5)
    offered = {(centre, subject) for centre, subject, _primary in associations}
    taken = set()
    for index, state in enumerate(SEEDED_SESSION_STATES):
        # A candidate, one of their subjects and one of their centres offering it (TS-16).
        candidate, centre, subject = next(
            (c, e, s)
            for step in range(CANDIDATES)
            for c in [(index * 7 + step) % CANDIDATES]
            if c not in taken
            for e in [e for cc, e in candidate_centres if cc == c]
            for s in [s for cc, s in candidate_subjects if cc == c]
            if (e, s) in offered
        )
        taken.add(candidate)
        test = next(i for i, t in enumerate(TESTS) if t[0] == subject and t[3] == "Live" and t[6])
        sessions.append(
            {
                "candidate": candidate,
                "centre": centre,
                "test": test,
                "state": state,
                "day": base_day + timedelta(days=index),
            }
        )
    return Dataset(
        centres, candidates, candidate_centres, candidate_subjects, associations, sessions
    )


# Every table ``write_data`` fills, parents first: what a tenant's copy is made of.
TEMPLATE_TABLES = tuple(
    getattr(t, "__table__", t)
    for t in (
        Country,
        County,
        Centre,
        Subject,
        CentreSubjectAssociation,
        Test,
        TestForm,
        Candidate,
        candidate_centre,
        candidate_subject,
        TestSession,
    )
)


@lru_cache(maxsize=1)
def template_version() -> str:
    return fingerprint(__file__, keys.__file__, PRECOMPUTED)


def seed_tenant(session: Session, tenant_id: str, seed: int, *, username: str, password: str):
    """The seed's data (a copy of its template) and the tenant's own user."""
    seed_from_template(
        session,
        vendor="surpass",
        seed=seed,
        version=template_version(),
        tables=TEMPLATE_TABLES,
        tenant_id=tenant_id,
        build=lambda template: write_data(session, template, seed),
    )
    write_user(session, tenant_id, username=username, password=password)


def write_user(session: Session, tenant_id: str, *, username: str, password: str) -> None:
    """The tenant's own API user: all permissions, every centre and subject."""
    bulk_insert(
        session,
        User,
        [
            {
                "tenant_id": tenant_id,
                "id": 1,
                "username": username,
                "reference": username,
                "password_hash": hash_password(username, password),
                "permissions": list(PERMISSIONS),
                "all_associations": True,
            }
        ],
    )


def write_data(session: Session, tenant_id: str, seed: int) -> None:
    """Write the seed's rows (every table of ``TEMPLATE_TABLES``) for ``tenant_id``."""
    data = dataset(seed)
    tid = {"tenant_id": tenant_id}
    country_pks = bulk_insert(
        session,
        Country,
        [
            {**tid, "id": i + 1, "name": name, "code": code}
            for i, (name, code) in enumerate(COUNTRIES)
        ],
    )
    county_pks = bulk_insert(
        session,
        County,
        [
            {**tid, "id": i + 1, "name": name, "country_pk": country_pks[country - 1]}
            for i, (name, country) in enumerate(COUNTIES)
        ],
    )
    centre_pks = bulk_insert(
        session,
        Centre,
        [
            {
                **tid,
                "id": i + 1,
                "reference": c["reference"],
                "name": c["name"],
                "address_line1": c["address_line1"],
                "town": c["town"],
                "post_code": c["post_code"],
                "county_pk": county_pks[c["county"]],
                "country_pk": country_pks[0],
            }
            for i, c in enumerate(data.centres)
        ],
    )
    subject_pks = bulk_insert(
        session,
        Subject,
        [
            {
                **tid,
                "id": i + 1,
                "reference": ref,
                "name": name,
                "status": status,
                "item_count": items,
                "primary_centre_pk": centre_pks[i % len(centre_pks)],
            }
            for i, (ref, name, status, items) in enumerate(SUBJECTS)
        ],
    )
    bulk_insert(
        session,
        CentreSubjectAssociation,
        [
            {
                **tid,
                "id": i + 1,
                "centre_pk": centre_pks[c],
                "subject_pk": subject_pks[s],
                "primary": p,
            }
            for i, (c, s, p) in enumerate(data.associations)
        ],
    )
    test_pks = bulk_insert(
        session,
        Test,
        [
            {
                **tid,
                "id": i + 1,
                "reference": f"{SUBJECTS[s][0]}-{suffix}",
                "name": name,
                "status": status,
                "requires_invigilation": invig,
                "enable_user_associations": users,
                "subject_pk": subject_pks[s],
                "duration_minutes": 45 + 15 * (i % 4),
            }
            for i, (s, suffix, name, status, invig, users, _forms) in enumerate(TESTS)
        ],
    )
    form_rows, first_form = [], {}
    for t, (s, suffix, _name, _status, _i, _u, forms) in enumerate(TESTS):
        for f in range(forms):
            first_form.setdefault(t, len(form_rows))
            form_rows.append(
                {
                    **tid,
                    "id": len(form_rows) + 1,
                    "reference": f"{SUBJECTS[s][0]}-{suffix}-F{f + 1}",
                    "name": f"Form {chr(65 + f)}",
                    "test_pk": test_pks[t],
                }
            )
    form_pks = bulk_insert(session, TestForm, form_rows)
    candidate_pks = bulk_insert(
        session, Candidate, [{**tid, "id": i + 1, **row} for i, row in enumerate(data.candidates)]
    )
    bulk_insert(
        session,
        candidate_centre,
        [
            {**tid, "candidate_pk": candidate_pks[c], "centre_pk": centre_pks[e]}
            for c, e in data.candidate_centres
        ],
    )
    bulk_insert(
        session,
        candidate_subject,
        [
            {**tid, "candidate_pk": candidate_pks[c], "subject_pk": subject_pks[s]}
            for c, s in data.candidate_subjects
        ],
    )
    session_rows = []
    for i, s in enumerate(data.sessions):
        candidate, centre = s["candidate"], s["centre"]
        start = datetime.combine(s["day"], datetime.min.time())
        session_rows.append(
            {
                **tid,
                "id": i + 1,
                "keycode": keycode_for(seed, i + 1),
                "state": s["state"],
                "pin": pin_for(seed, centre + 1, s["test"] + 1, s["day"], 6),
                "candidate_pk": candidate_pks[candidate],
                "centre_pk": centre_pks[centre],
                "test_pk": test_pks[s["test"]],
                "test_form_pk": form_pks[first_form[s["test"]]],
                "start_date": s["day"],
                "end_date": s["day"],
                "start_time": "0900",
                "end_time": "1700",
                "scheduled_from": start + timedelta(hours=9),
                "scheduled_to": start + timedelta(hours=17),
                "requires_invigilation": TESTS[s["test"]][4],
                "test_tags": [],
                "options": {},
                "created_at": start - timedelta(days=14),
            }
        )
    bulk_insert(session, TestSession, session_rows)
