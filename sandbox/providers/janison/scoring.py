"""Scale scores and CEFR grades (assumed: Janison does not publish its scales).

Per component, a raw score 0..100 maps linearly onto a scale of 80..230,
``scale = 80 + round(1.5 * raw)`` (halves round up), and the scale score onto a CEFR
grade with the bands the Cambridge English Scale uses:

    below 100 Below A1 | 100-119 A1 | 120-139 A2 | 140-159 B1 | 160-179 B2 |
    180-199 C1 | 200-230 C2

The overall (``finalScaleScore``) is the mean of the scale scores of the components
``includedInTotal``, halves rounding up, graded with the same bands. Scale scores are
strings on the wire, as the seed types them. Integer arithmetic throughout: the same raw
scores always give the same strings.
"""

from __future__ import annotations

from collections.abc import Sequence

SCALE_MIN = 80
SCALE_MAX = 230
RAW_MAX = 100
# (lowest scale score of the band, grade), highest band first.
BANDS = (
    (200, "C2"),
    (180, "C1"),
    (160, "B2"),
    (140, "B1"),
    (120, "A2"),
    (100, "A1"),
)
BELOW = "Below A1"


def scale_score(raw: int) -> int:
    """80 + 1.5 x raw, halves rounding up: 0 -> 80, 1 -> 82, 50 -> 155, 100 -> 230."""
    if not 0 <= raw <= RAW_MAX:
        raise ValueError(f"raw score {raw} is outside 0..{RAW_MAX}")
    return SCALE_MIN + (3 * raw + 1) // 2


def cefr_grade(scale: int) -> str:
    return next((grade for low, grade in BANDS if scale >= low), BELOW)


def overall(scales_in_total: Sequence[int]) -> int | None:
    """The mean of the included components' scale scores, halves rounding up."""
    if not scales_in_total:
        return None
    count = len(scales_in_total)
    return (2 * sum(scales_in_total) + count) // (2 * count)
