"""iTEP's wire choices in one place (docs/providers/itep-wire.md; all assumed): test ID
format, statuses, what makes a test available, the levels and the webhook's dates."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from marshmallow import ValidationError, validate

PRODUCTS = {
    "AP": ("Academic-Plus", ("Grammar", "Listening", "Reading", "Writing", "Speaking")),
    "BP": ("Business-Plus", ("Grammar", "Listening", "Reading", "Writing", "Speaking")),
}
# The Markdown export's labels (notes 2.3): how statuses are stored.
STATUSES = (
    "Ready",
    "Incomplete",
    "Finished",
    "Review",
    "Problem",
    "Invalidated",
    "Complete",
    "Disabled",
)
# The two lists the results-webhook page gives, position for position (notes 2.3: which
# one the API shows is unknown; the setting statusLabels chooses).
STATUS_LABELS = {
    "markdown": STATUSES,
    "descriptive": (
        "Ready",
        "Started",
        "Finished",
        "Review",
        "Technical Difficulty",
        "Invalidated",
        "Completed",
        "Disabled",
    ),
}
_CANONICAL = {
    label: STATUSES[i] for labels in STATUS_LABELS.values() for i, label in enumerate(labels)
}
ALL_LABELS = tuple(sorted(_CANONICAL))
READY = "Ready"
TEST_ID = re.compile(r"^[A-Z0-9]{8}[A-Z]{2}$")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TEXT_LIMIT = 100  # oid, tracking_code
_EMAIL = validate.Email()


def is_email(value) -> bool:
    """An e-mail address, as marshmallow's ``Email`` takes it (the contract's ``format:
    email``; ``user@localhost`` too)."""
    if not isinstance(value, str) or len(value) > 320:
        return False
    try:
        _EMAIL(value)
    except ValidationError:
        return False
    return True


def canonical(label: str) -> str:
    """The stored status for a label of either list."""
    return _CANONICAL[label]


def label(status: str, vocabulary: str) -> str:
    """A stored status as the site's ``statusLabels`` shows it."""
    return STATUS_LABELS[vocabulary][STATUSES.index(status)]


def is_available(status: str, assigned_to) -> bool:
    """The notes' definition: status Ready and an empty Assigned-to."""
    return status == READY and not assigned_to


def test_id_for(seed: int, product_code: str, number: int, attempt: int = 0) -> str:
    """8 characters of [A-Z0-9] from the seed, then the product code: the same seed gives
    the same IDs; ``attempt`` gives the next candidate when one is taken."""
    digest = hashlib.sha256(f"itep\x1f{seed}\x1f{product_code}\x1f{number}\x1f{attempt}".encode())
    value = int.from_bytes(digest.digest()[:8])
    chars = []
    for _ in range(8):
        value, digit = divmod(value, len(_ALPHABET))
        chars.append(_ALPHABET[digit])
    return "".join(chars) + product_code


def test_date(day: date) -> str:
    """``M/D/YYYY``, no zero padding (the webhook page)."""
    return f"{day.month}/{day.day}/{day.year}"


def seeded_level(seed: int, test_id: str, section: str) -> float:
    """A level (1.0-5.9, one decimal) from the tenant's seed when none is given."""
    digest = hashlib.sha256(f"itep-level\x1f{seed}\x1f{test_id}\x1f{section}".encode()).digest()
    return round(1.0 + (int.from_bytes(digest[:2]) % 50) / 10, 1)


def seeded_duration(seed: int, test_id: str) -> int:
    digest = hashlib.sha256(f"itep-duration\x1f{seed}\x1f{test_id}".encode()).digest()
    return 60 + digest[0] % 61


def cefr_of(level: float, bands: list) -> str:
    """The CEFR label of ``level``: the last band whose lower bound it reaches."""
    label = bands[0][1]
    for lower, name in bands:
        if level >= lower:
            label = name
    return label
