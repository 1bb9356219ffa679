"""Seeded fake data for tenant fixtures, quick to build.

``Faker(locale)`` loads every provider module a locale has (~85 ms, on the path of
startup and of every new seed); fixtures need only people, addresses, phone numbers and
dates, so the generator is built with those providers alone. Seeded, it is deterministic.
"""

from __future__ import annotations

from datetime import date, timedelta

PROVIDERS = [
    "faker.providers.person",
    "faker.providers.address",
    "faker.providers.phone_number",
    "faker.providers.date_time",
]


def seeded_faker(seed: int, locale: str):
    """A faker generator for ``locale`` with the providers fixtures use, seeded."""
    from faker import Factory  # imported here: only seeding needs faker, and it is slow

    fake = Factory.create(locale, providers=PROVIDERS)
    fake.seed_instance(seed)
    return fake


# Seeded data must be the same whatever day it is built on (the shipped seed JSON and
# every tenant made later must agree), so dates of birth are counted back from this
# fixed day, not from today as faker's own ``date_of_birth`` does: the day seed 1's
# shipped data was built, so that data stays exactly what this builds.
AGES_AS_OF = date(2026, 12, 6)


def date_of_birth(fake, *, minimum_age: int, maximum_age: int, as_of: date = AGES_AS_OF) -> date:
    """faker's ``date_of_birth``, aged as of ``as_of``: the same random draw, so the
    rest of a seeded sequence is unchanged."""
    from faker.providers.date_time import change_year

    start = change_year(as_of, -(maximum_age + 1))
    end = change_year(as_of, -minimum_age)
    born = fake.date_time_ad(start_datetime=start, end_datetime=end).date()
    return born if born != start else born + timedelta(days=1)

