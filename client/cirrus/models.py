"""Typed results of the Cirrus client, and :class:`Candidate`, the one request-side model.

Parsing is tolerant on purpose: the real responses are only partly documented. Every
field is optional, member names match case-insensitively, values are coerced
(``"2021-04-21T07:30:00Z"`` -> an aware UTC ``datetime``, ``1`` -> ``Purpose.SUMMATIVE``),
a value that cannot be coerced is kept as it came, and every model keeps the wire
object it came from in ``raw`` (members this client does not know included).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exam_sandbox.client.cirrus.wire import (
    compact,
    find_attempts,
    member,
    parse_bool,
    parse_instant,
    parse_int,
    parse_number,
)
from exam_sandbox.client.core.models import Model, model, models, raw_field, wire, wire_list
from exam_sandbox.client.core.wire import parse_any

__all__ = [
    "ArchiveState",
    "Assessment",
    "AssessmentStatus",
    "AssessmentType",
    "AssignmentConnection",
    "Attempt",
    "Availability",
    "Candidate",
    "CandidateInfo",
    "CandidateLink",
    "CandidateResults",
    "Hierarchy",
    "Person",
    "Purpose",
    "ReasonableAdjustmentType",
    "Schedule",
    "ScheduleCandidate",
    "ScheduleInfo",
    "ScheduleResult",
    "WhichAttemptCounts",
    "Workflow",
    "WriteResult",
]


class Purpose(enum.IntEnum):
    SUMMATIVE = 1
    FORMATIVE = 2
    MIXED = 3


class AssessmentStatus(enum.IntEnum):
    DRAFT = 1
    LIVE = 2


class Availability(enum.IntEnum):
    ALWAYS = 0
    TIME_SPAN = 1


class AssessmentType(enum.IntEnum):
    MANUAL = 1
    BLUEPRINT = 2


class WhichAttemptCounts(enum.IntEnum):
    LAST = 0
    BEST = 1


class ArchiveState(enum.IntEnum):
    ACTIVE = 1
    ARCHIVED = 2


class ReasonableAdjustmentType(enum.StrEnum):
    NOT_DEFINED = "NOT_DEFINED"
    PERCENTAGE = "PERCENTAGE"
    CUSTOM = "CUSTOM"
    UNLIMITED = "UNLIMITED"


class Workflow(enum.StrEnum):
    """``POST /schedule``'s ``Workflow``: ``EXTERNAL_ATTEMPTS`` takes an ``AttemptExtId``
    per candidate."""

    DEFAULT = "DEFAULT"
    EXTERNAL_ATTEMPTS = "EXTERNAL_ATTEMPTS"


# --------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class Candidate:
    """A candidate to schedule (``POST /schedule``, ``/schedule/add-candidates``).

    ``candidate_ext_id``, ``first_name``, ``last_name`` and ``email`` are mandatory at
    Cirrus; ``user_name`` defaults there to ``candidate_ext_id``; a ``password`` lets the
    candidate also log in by hand; ``reasonable_adjustment_percentage`` needs
    ``special_needs=True``; ``attempt_ext_id`` is for ``Workflow.EXTERNAL_ATTEMPTS``.
    """

    candidate_ext_id: str
    first_name: str
    last_name: str
    email: str
    user_name: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    special_needs: bool | None = None
    reasonable_adjustment_percentage: int | None = None
    attempt_ext_id: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return compact(
            {
                "CandidateExtId": self.candidate_ext_id,
                "FirstName": self.first_name,
                "LastName": self.last_name,
                "Email": self.email,
                "UserName": self.user_name,
                "Password": self.password,
                "SpecialNeeds": self.special_needs,
                "ReasonableAdjustmentPercentage": self.reasonable_adjustment_percentage,
                "AttemptExtId": self.attempt_ext_id,
            }
        )


# --------------------------------------------------------------------------- assessments


@dataclass(frozen=True)
class AssignmentConnection(Model):
    title: str | None = wire()
    type: str | None = wire()  # "cluster" | "hierarchy"
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Assessment(Model):
    """``GET /assessment/{externalId}``: durations are minutes (``None``: unlimited)."""

    external_id: str | None = wire()
    title: str | None = wire()
    code: str | None = wire()
    revision: int | None = wire(parse_int)
    purpose: Purpose | Any = wire(member(Purpose))
    status: AssessmentStatus | Any = wire(member(AssessmentStatus))
    is_published: bool | None = wire(parse_bool)
    availability: Availability | Any = wire(member(Availability))
    availability_start_date: dt.datetime | None = wire(parse_instant)
    availability_end_date: dt.datetime | None = wire(parse_instant)
    assessment_type: AssessmentType | Any = wire(member(AssessmentType), name="Type")
    assignment_connections: list[AssignmentConnection] = wire_list(models(AssignmentConnection))
    allowed_number_of_attempts: int | None = wire(parse_int)
    which_attempt_counts: WhichAttemptCounts | Any = wire(member(WhichAttemptCounts))
    reasonable_adjustment_type: ReasonableAdjustmentType | Any = wire(
        member(ReasonableAdjustmentType)
    )
    max_time_per_attempt: int | None = wire(parse_int)
    extra_time: int | None = wire(parse_int)
    raw: Mapping[str, Any] = raw_field()


# --------------------------------------------------------------------------- POST /schedule


@dataclass(frozen=True)
class Schedule(Model):
    """The ``Schedule`` a ``POST /schedule`` answers with."""

    schedule_ext_id: str | None = wire()
    assessment_ext_id: str | None = wire()
    title: str | None = wire()
    start: dt.datetime | None = wire(parse_instant, name="StartDateTime")
    end: dt.datetime | None = wire(parse_instant, name="EndDateTime")
    group_ext_id: str | None = wire()
    group_name: str | None = wire()
    schedule_group_ext_id: str | None = wire()
    schedule_group_name: str | None = wire()
    pin: str | None = wire(name="PIN")
    extra_time: int | None = wire(parse_int)
    owner: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class CandidateLink(Model):
    """A scheduled candidate: send them to ``launch_url`` (``startup_link`` is the same
    link relative to the site)."""

    candidate_ext_id: str | None = wire()
    launch_url: str | None = wire()
    startup_link: str | None = wire()
    first_name: str | None = wire()
    last_name: str | None = wire()
    email: str | None = wire()
    user_name: str | None = wire()
    attempt_ext_id: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


_SCHEDULE_IN_RESULT = re.compile(r"Schedule\s*\[([^\]]+)\]", re.IGNORECASE)


@dataclass(frozen=True)
class ScheduleResult(Model):
    """``POST /schedule`` (and ``/schedule/add-candidates``, whose answer has no
    ``schedule``): the text ``result``, the schedule, and a link per candidate."""

    result: str | None = wire()
    schedule: Schedule | None = wire(model(Schedule))
    candidates: list[CandidateLink] = wire_list(models(CandidateLink))
    raw: Mapping[str, Any] = raw_field()

    @property
    def schedule_ext_id(self) -> str | None:
        """The schedule's external id (also read from ``"Schedule[<id>] created ..."``)."""
        if self.schedule is not None and self.schedule.schedule_ext_id:
            return self.schedule.schedule_ext_id
        found = _SCHEDULE_IN_RESULT.search(self.result or "")
        return found.group(1) if found else None

    @property
    def launch_urls(self) -> dict[str, str | None]:
        """``{CandidateExtId: LaunchUrl}`` in the answer's order."""
        return {c.candidate_ext_id or "": c.launch_url for c in self.candidates}

    def candidate(self, candidate_ext_id: str) -> CandidateLink:
        """The link of one candidate; ``KeyError`` if the answer does not name them."""
        for c in self.candidates:
            if c.candidate_ext_id == candidate_ext_id:
                return c
        raise KeyError(candidate_ext_id)


# --------------------------------------------------------------------------- /external/schedule


@dataclass(frozen=True)
class Hierarchy(Model):
    external_id: str | None = wire()
    full_path: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class ScheduleCandidate(Model):
    external_id: str | None = wire()
    first_name: str | None = wire()
    last_name: str | None = wire()
    user_name: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Person(Model):
    """An invigilator, or a user the schedule is shared with (who also has ``email``)."""

    external_id: str | None = wire()
    first_name: str | None = wire()
    last_name: str | None = wire()
    user_name: str | None = wire()
    email: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class ScheduleInfo(Model):
    """``GET /external/schedule/{externalId}``."""

    external_id: str | None = wire()
    title: str | None = wire()
    start: dt.datetime | None = wire(parse_instant, name="StartDateTime")
    end: dt.datetime | None = wire(parse_instant, name="EndDateTime")
    hierarchy: Hierarchy | None = wire(model(Hierarchy))
    archive_state: ArchiveState | Any = wire(member(ArchiveState))
    is_activated: bool | None = wire(parse_bool)
    candidates: list[ScheduleCandidate] = wire_list(models(ScheduleCandidate))
    invigilators: list[Person] = wire_list(models(Person))
    sharing_information: list[Person] = wire_list(models(Person))
    raw: Mapping[str, Any] = raw_field()

    @property
    def candidate_ext_ids(self) -> list[str | None]:
        return [c.external_id for c in self.candidates]


@dataclass(frozen=True)
class WriteResult(Model):
    """The envelope of a PATCH or DELETE: ``{"Content"?, "Success", "Errors"}``."""

    success: bool | None = wire(parse_bool)
    content: Any = wire(parse_any)
    raw: Mapping[str, Any] = raw_field()


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CandidateInfo(Model):
    external_id: str | None = wire()
    first_name: str | None = wire()
    last_name: str | None = wire()
    user_name: str | None = wire()
    email: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Attempt(Model):
    """One published attempt. ``score`` is the number under a member named ``Score``,
    else the first whose name contains "score" (``MaxScore`` and the like last);
    ``scores`` has every such member. ``assessment_ext_id`` and ``schedule_ext_id``
    fall back to the object the attempt is nested in."""

    attempt_ext_id: str | None = wire()
    assessment_ext_id: str | None = wire()
    schedule_ext_id: str | None = wire()
    candidate_ext_id: str | None = wire()
    outcome: str | None = wire()
    scores: dict[str, Any] = dataclasses.field(default_factory=dict)
    raw: Mapping[str, Any] = raw_field()

    @classmethod
    def from_wire(cls, data: Any) -> Attempt:
        attempt = super().from_wire(data)
        scores = {
            str(k): parse_number(v)
            for k, v in attempt.raw.items()
            if "score" in str(k).lower() and _is_number(parse_number(v))
        }
        return dataclasses.replace(attempt, scores=scores)

    @property
    def score(self) -> int | float | None:
        def rank(name: str) -> int:
            low = name.lower()
            return 0 if low == "score" else 2 if low.startswith(("max", "min", "possible")) else 1

        ordered = sorted(self.scores, key=rank)  # stable: the wire order within a rank
        return self.scores[ordered[0]] if ordered else None


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


@dataclass(frozen=True)
class CandidateResults(Model):
    """``GET /results``: one candidate's published attempts.

    Only the beginning of the answer is documented (``CandidateExtId``,
    ``CandidateInfo``); the attempts are found wherever they are (every object with an
    ``AttemptExtId``, not looked into further), so ``raw`` has the rest.
    """

    candidate_ext_id: str | None = wire()
    candidate_info: CandidateInfo | None = wire(model(CandidateInfo))
    attempts: list[Attempt] = dataclasses.field(default_factory=list)
    raw: Mapping[str, Any] = raw_field()

    @classmethod
    def from_wire(cls, data: Any) -> CandidateResults:
        results = super().from_wire(data)
        attempts = []
        for found, context in find_attempts(results.raw):
            attempt = Attempt.from_wire(found)
            missing = {k: v for k, v in context.items() if getattr(attempt, k) is None}
            attempts.append(dataclasses.replace(attempt, **missing) if missing else attempt)
        return dataclasses.replace(results, attempts=attempts)

    def attempt(self, attempt_ext_id: str) -> Attempt:
        for a in self.attempts:
            if a.attempt_ext_id == attempt_ext_id:
                return a
        raise KeyError(attempt_ext_id)
