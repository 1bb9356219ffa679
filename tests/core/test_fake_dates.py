"""Seeded data must not depend on the day it is built (the shipped seed JSON is checked
against what faker builds, and failed the day after it was shipped)."""

from __future__ import annotations

from datetime import date

from exam_sandbox.core.fake import AGES_AS_OF, date_of_birth, seeded_faker


def test_dates_of_birth_are_counted_from_a_fixed_day_not_today():
    born = [date_of_birth(seeded_faker(7, "en_GB"), minimum_age=16, maximum_age=65)
            for _ in range(2)]
    assert born[0] == born[1]
    ages = [(AGES_AS_OF - b).days / 365.25 for b in born]
    assert all(16 <= age <= 66 for age in ages)


def test_the_draw_is_fakers_so_the_rest_of_a_sequence_is_unchanged():
    ours, theirs = seeded_faker(3, "en_GB"), seeded_faker(3, "en_GB")
    date_of_birth(ours, minimum_age=16, maximum_age=65)
    theirs.date_time_ad()  # one draw, as faker's own date_of_birth makes
    assert ours.last_name() == theirs.last_name()


def test_a_leap_day_reference_is_allowed():
    born = date_of_birth(seeded_faker(1, "en_GB"), minimum_age=16, maximum_age=65,
                         as_of=date(2028, 2, 29))
    assert date(1962, 3, 1) <= born <= date(2012, 3, 1)
