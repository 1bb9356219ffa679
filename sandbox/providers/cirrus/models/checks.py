"""The body checks Cirrus's schedule calls share, each raising its rule's error.

The marshmallow schemas document these bodies (and so the OpenAPI contract), but do not
refuse them: the notes fix an order (S1-S19) that interleaves field checks with checks
that need the database, so the models run every check, in that order, on the decoded
body, each through one of these functions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import invalid
from ..wire import (
    CANDIDATE_ID_LIMIT,
    SCHEDULE_ID_LIMIT,
    blank,
    is_email,
    is_external_id,
    parse_instant,
)
from .sql import AssessmentRow

WORKFLOWS = ("DEFAULT", "EXTERNAL_ATTEMPTS")
# S7: with no EndDateTime, the window is the assessment's time plus an hour.
DEFAULT_MARGIN = timedelta(minutes=60)


@dataclass(frozen=True, slots=True)
class CandidateIn:
    external_id: str
    first_name: str
    last_name: str
    email: str
    user_name: str
    password: str | None
    special_needs: bool
    adjustment_percentage: int | None
    attempt_ext_id: str | None


def mapping(value, field: str) -> dict:
    """A member that must be a JSON object (REQ-1 otherwise)."""
    if not isinstance(value, dict):
        raise invalid("REQ-1", field=field, problem="a JSON object is expected")
    return value


def text(
    body: dict, name: str, field: str, limit: int, *, required: bool = False, empty_rule: str = "S9"
) -> str | None:
    """An optional (or, with ``required``, mandatory) string of at most ``limit``."""
    value = body.get(name)
    if blank(value):
        if required:
            raise invalid(empty_rule, field=field)
        return None
    if not isinstance(value, str):
        raise invalid("REQ-1", field=field, problem="a string is expected")
    if len(value) > limit:
        raise invalid("REQ-1", field=field, problem=f"at most {limit} characters")
    return value


def flag(body: dict, name: str, field: str) -> bool:
    """A boolean; Cirrus's own ``"true"``/``"false"`` strings are taken too."""
    value = body.get(name)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise invalid("REQ-1", field=field, problem="true or false is expected")


def external_id(body: dict, name: str, field: str, *, rule: str, limit: int) -> str | None:
    """An optional external id (S10-style: letters, digits, '-' and '_')."""
    value = body.get(name)
    if value is None:
        return None
    if not is_external_id(value, limit):
        raise invalid(rule, field=field, limit=limit)
    return value


def instant(
    body: dict, name: str, field: str, time_zone: str, *, required: bool
) -> datetime | None:
    """S6: an RFC 3339 date and time (``defaultTimeZone`` when it has no offset)."""
    value = body.get(name)
    if blank(value):
        if required:
            raise invalid("S6a", field=field)
        return None
    parsed = parse_instant(value, time_zone)
    if parsed is None:
        raise invalid("S6b", field=field)
    return parsed


def window_end(
    assessment: AssessmentRow, start: datetime, end: datetime | None, field: str
) -> datetime:
    """S7 (an end derived from the assessment's time) and S8 (an end given must leave
    more than MaxTimePerAttempt + ExtraTime after the start)."""
    minutes = (assessment.max_time_per_attempt or 0) + (assessment.extra_time or 0)
    if end is None:
        return start + timedelta(minutes=assessment.max_time_per_attempt or 0) + DEFAULT_MARGIN
    if end - start <= timedelta(minutes=minutes):
        raise invalid("S8", field=field, minutes=minutes)
    return end


def schedule_ext_id(body: dict, name: str, field: str) -> str | None:
    return external_id(body, name, field, rule="S10", limit=SCHEDULE_ID_LIMIT)


def workflow(body: dict) -> str:
    """S14: DEFAULT (the default) or EXTERNAL_ATTEMPTS."""
    value = body.get("Workflow")
    if value is None:
        return "DEFAULT"
    if value not in WORKFLOWS:
        raise invalid("S14")
    return value


def candidates(body: dict, *, required: bool, workflow_name: str) -> list[CandidateIn]:
    """S15-S18 for every candidate, in order: the first failing rule over the whole list
    is reported (all S16 before any S17), naming the candidate's index."""
    listed = body.get("Candidates")
    if listed is None or listed == []:
        if required:
            raise invalid("S15")
        return []
    if not isinstance(listed, list):
        raise invalid("REQ-1", field="Candidates", problem="a JSON array is expected")
    items = [mapping(item, f"Candidates[{i}]") for i, item in enumerate(listed)]
    for i, item in enumerate(items):
        _required_fields(item, f"Candidates[{i}]")
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item["CandidateExtId"] in seen:
            raise invalid(
                "S16d", field=f"Candidates[{i}].CandidateExtId", id=item["CandidateExtId"]
            )
        seen.add(item["CandidateExtId"])
    built = [_candidate(item, f"Candidates[{i}]") for i, item in enumerate(items)]
    if workflow_name == "EXTERNAL_ATTEMPTS":
        for i, candidate in enumerate(built):
            if candidate.attempt_ext_id is None:
                raise invalid("S18", field=f"Candidates[{i}].AttemptExtId")
    return built


def _required_fields(item: dict, where: str) -> None:
    """S16: CandidateExtId, FirstName, LastName and Email are mandatory; the id is an
    external id, the e-mail a valid address."""
    for name in ("CandidateExtId", "FirstName", "LastName", "Email"):
        if blank(item.get(name)):
            raise invalid("S16a", field=f"{where}.{name}")
    if not is_external_id(item["CandidateExtId"], CANDIDATE_ID_LIMIT):
        raise invalid("S16c", field=f"{where}.CandidateExtId", limit=CANDIDATE_ID_LIMIT)
    if not is_email(item["Email"]):
        raise invalid("S16b", field=f"{where}.Email")


def _candidate(item: dict, where: str) -> CandidateIn:
    first = text(item, "FirstName", f"{where}.FirstName", 500, required=True, empty_rule="S16a")
    last = text(item, "LastName", f"{where}.LastName", 500, required=True, empty_rule="S16a")
    user_name = text(item, "UserName", f"{where}.UserName", 500) or item["CandidateExtId"]
    password = text(item, "Password", f"{where}.Password", 500)
    special = flag(item, "SpecialNeeds", f"{where}.SpecialNeeds")
    adjustment = item.get("ReasonableAdjustmentPercentage")
    if adjustment is not None:
        field = f"{where}.ReasonableAdjustmentPercentage"
        if isinstance(adjustment, bool) or not isinstance(adjustment, int):
            raise invalid("REQ-1", field=field, problem="a whole number is expected")
        if not 0 <= adjustment <= 100:
            raise invalid("REQ-1", field=field, problem="between 0 and 100")
        # S17: an adjustment only for a candidate with special needs.
        if not special:
            raise invalid("S17", field=field)
    attempt = item.get("AttemptExtId")
    if attempt is not None and not is_external_id(attempt, CANDIDATE_ID_LIMIT):
        raise invalid("S16c", field=f"{where}.AttemptExtId", limit=CANDIDATE_ID_LIMIT)
    return CandidateIn(
        external_id=item["CandidateExtId"],
        first_name=first,
        last_name=last,
        email=item["Email"],
        user_name=user_name,
        password=password,
        special_needs=special,
        adjustment_percentage=adjustment,
        attempt_ext_id=attempt,
    )


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def generated_letters(basis: str, attempt: int, count: int) -> str:
    """``count`` mixed-case letters derived from ``basis`` (seed and id: deterministic);
    ``attempt`` gives the next candidate when one is taken."""
    digest = hashlib.sha256(f"cirrus\x1f{basis}\x1f{attempt}".encode()).digest()
    return "".join(_LETTERS[b % len(_LETTERS)] for b in digest[:count])
