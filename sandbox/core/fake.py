"""Seeded fake data for tenant fixtures, quick to build.

``Faker(locale)`` loads every provider module a locale has (~85 ms, on the path of
startup and of every new seed); fixtures need only people, addresses, phone numbers and
dates, so the generator is built with those providers alone. Seeded, it is deterministic.
"""

from __future__ import annotations

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
