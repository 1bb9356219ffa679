"""Typed results of the iTEP client, and :class:`Candidate`, the one request-side model.

Parsing is tolerant on purpose: nothing of iTEP's API is public. Every field is
optional, members match ignoring case, ``_`` and ``-`` (``test_id``, ``TestID``), a
value that cannot be coerced is kept as it came, and every model keeps the object it
came from in ``raw`` (members this client does not know included).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Self

from exam_sandbox.client.core.models import Model, raw_field, wire
from exam_sandbox.client.core.wire import parse_int, parse_number
from exam_sandbox.client.itep.wire import (
    format_test_date,
    parse_assigned_to,
    parse_level,
    parse_test_date,
    squash,
)

__all__ = [
    "Assignment",
    "Candidate",
    "SectionScore",
    "TestResult",
    "TestStatus",
]


class TestStatus(enum.StrEnum):
    """A test's status, as the Markdown export of iTEP's webhook page labels them.

    The page's HTML revision names them otherwise (Started, Technical Difficulty,
    Completed, ...); a status this list lacks is kept as the text that came.
    """

    __test__ = False  # not a pytest test class

    READY = "Ready"
    INCOMPLETE = "Incomplete"
    FINISHED = "Finished"
    REVIEW = "Review"
    PROBLEM = "Problem"
    INVALIDATED = "Invalidated"
    COMPLETE = "Complete"
    DISABLED = "Disabled"


def parse_status(v: Any) -> TestStatus | Any:
    """``"complete"`` -> ``TestStatus.COMPLETE``; an unknown status as it came."""
    if v is None or v == "":
        return None
    if isinstance(v, str):
        for status in TestStatus:
            if status.value.lower() == v.strip().lower():
                return status
    return v


class _Squashed(Model):
    """:class:`Model`, matching members by :func:`.wire.squash` of their names."""

    @classmethod
    def from_wire(cls, data: Any) -> Self:
        if isinstance(data, cls):
            return data
        if not isinstance(data, Mapping):
            data = {}
        made = super().from_wire({squash(k): v for k, v in data.items()})
        return dataclasses.replace(made, raw=dict(data))  # type: ignore[type-var]


# --------------------------------------------------------------------------- requests


@dataclass(frozen=True, init=False)
class Candidate:
    """Who a test ID is assigned to: the Assigned-to object of both assign calls.

    iTEP takes any JSON object and "strongly recommends" the candidate's ``name``,
    ``email`` and an identifier from your own system (``reference``); anything else
    goes in as keyword arguments and is sent as given::

        Candidate("Ada Lovelace", "ada@example.com", "HR-1", department="R&D")

    ``assign_and_email`` needs ``email``: iTEP mails the test ID there.
    """

    name: str | None
    email: str | None
    reference: str | None
    extra: Mapping[str, Any] = dataclasses.field(hash=False)

    def __init__(
        self,
        name: str | None = None,
        email: str | None = None,
        reference: str | None = None,
        **extra: Any,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "email", email)
        object.__setattr__(self, "reference", reference)
        object.__setattr__(self, "extra", dict(extra))

    def to_wire(self) -> dict[str, Any]:
        """The JSON object sent: ``name``, ``email``, ``reference`` (those given), then
        the extra members."""
        known = {"name": self.name, "email": self.email, "reference": self.reference}
        return {**{k: v for k, v in known.items() if v is not None}, **self.extra}


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class Assignment(_Squashed):
    """The answer of ``assign_test_id`` and ``assign_and_email``: the test ID now
    assigned (its status stays ``Ready`` until the candidate starts), what it was
    assigned to, and where it came from (``source``: ``"inventory"``, or ``"sale"``
    when the inventory was empty and the product allows a sale at fulfillment).
    ``emailed_to`` is set by ``assign_and_email`` only.
    """

    test_id: str | None = wire()
    status: TestStatus | str | None = wire(parse_status)
    product_code: str | None = wire()
    assigned_to: dict[str, Any] | Any = wire(parse_assigned_to)
    oid: str | None = wire()
    tracking_code: str | None = wire()
    source: str | None = wire()
    emailed_to: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


class SectionScore(NamedTuple):
    """One section of a result: its iTEP ``level`` (0.0-6.0) and ``cefr`` label."""

    level: float | Any
    cefr: str | None


#: ``Grammar_Level`` -> ("Grammar", "level"); ``Overall_*`` is the overall, not a section.
_SECTION_MEMBER = re.compile(r"(?P<section>.+?)[_\s-]*(?P<part>level|cefr)", re.IGNORECASE)


@dataclass(frozen=True)
class TestResult(_Squashed):
    """One results webhook delivery's ``data``: the test, its date and its levels.

    ``duration`` is minutes; ``test_date`` is ``TestDate`` (``M/D/YYYY``) as a ``date``,
    checked against ``TestMonth``/``TestDay``/``TestYear`` (or made from them when
    ``TestDate`` is absent); ``overall_level`` and every section's level are floats
    (0.0-6.0, one decimal). ``sections`` maps each ``<Section>_Level``/``<Section>_cefr``
    pair's name (``"Grammar"``, as sent) to its :class:`SectionScore`, in the order sent;
    a section that sent only one of the two has ``None`` for the other.

    ``from_wire`` raises ``ValueError`` for a date it cannot read or one that disagrees
    with its parts (:func:`~.webhooks.read_results` turns that into ``WebhookError``).
    """

    __test__ = False  # not a pytest test class

    oid: str | None = wire()
    test_id: str | None = wire()
    duration: int | float | None = wire(parse_number)
    test_date: dt.date | None = wire(parse_test_date)
    score_report_url: str | None = wire()
    overall_level: float | None = wire(parse_level)
    overall_cefr: str | None = wire()
    status: TestStatus | str | None = wire(parse_status)
    sections: dict[str, SectionScore] = dataclasses.field(default_factory=dict)
    raw: Mapping[str, Any] = raw_field()

    @classmethod
    def from_wire(cls, data: Any) -> Self:
        result = super().from_wire(data)
        day = _checked_date(result.test_date, result.raw)
        return dataclasses.replace(result, test_date=day, sections=_sections(result.raw))

    @property
    def test_date_text(self) -> str | None:
        """``test_date`` as iTEP writes it (``"3/7/2027"``)."""
        return None if self.test_date is None else format_test_date(self.test_date)


def _parts(raw: Mapping[str, Any]) -> dict[str, Any]:
    low = {squash(k): v for k, v in raw.items()}
    return {p: low.get(f"test{p}") for p in ("year", "month", "day")}


def _checked_date(parsed: dt.date | None, raw: Mapping[str, Any]) -> dt.date | None:
    """``TestDate`` agreeing with each of ``TestMonth``/``TestDay``/``TestYear`` sent;
    without ``TestDate``, the date the three make (``None`` if they are not all sent)."""
    given = {k: v for k, v in _parts(raw).items() if v not in (None, "")}
    numbers = {k: parse_int(v) for k, v in given.items()}
    bad = sorted(k for k, v in numbers.items() if not isinstance(v, int))
    if bad:
        raise ValueError(f"Test{bad[0].capitalize()} is not a whole number: {given[bad[0]]!r}")
    if parsed is None:
        if len(numbers) < 3:
            return None
        try:
            return dt.date(numbers["year"], numbers["month"], numbers["day"])
        except ValueError as exc:
            raise ValueError(f"TestYear/TestMonth/TestDay make no date: {exc}") from None
    for part, number in numbers.items():
        if getattr(parsed, part) != number:
            raise ValueError(
                f"TestDate {format_test_date(parsed)} disagrees with "
                f"Test{part.capitalize()} {number}"
            )
    return parsed


def _sections(raw: Mapping[str, Any]) -> dict[str, SectionScore]:
    found: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}
    for key, value in raw.items():
        match = _SECTION_MEMBER.fullmatch(str(key).strip())
        if match is None:
            continue
        name = match["section"]
        folded = squash(name)
        if folded in ("overall", ""):  # Overall_Level is the overall, not a section
            continue
        names.setdefault(folded, name)
        found.setdefault(folded, {})[match["part"].lower()] = value
    return {
        names[k]: SectionScore(parse_level(v.get("level")), _text(v.get("cefr")))
        for k, v in found.items()
    }


def _text(v: Any) -> str | None:
    return None if v in (None, "") else str(v)
