"""Typed results and inputs of the Surpass API v2 client.

Parsing is tolerant on purpose: a real Surpass site returns more fields than the sandbox
and XML gives every leaf as a string. So every field is optional, unknown fields are
ignored (but kept in ``raw``), member names match case-insensitively and values are
coerced (``"12"`` -> 12, ``"true"`` -> True, ``"1990-01-31T00:00:00"`` -> a ``date``).
A value that cannot be coerced is kept as it came rather than failing the whole call.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar, TypeVar

from exam_sandbox.client.core.models import (
    BaseRef,
    Model,
    Resource,
    key_body,
    model,
    models,
    raw_field,
    wire,
    wire_list,
)
from exam_sandbox.client.core.models import Page as _Page
from exam_sandbox.client.surpass.wire import (
    as_list,
    camel,
    coerce_enum,
    parse_any,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_int,
    parse_str,
    parse_str_list,
    parse_time,
    wire_datetime,
)

__all__ = [
    "BreakReasonableAdjustments",
    "Candidate",
    "Centre",
    "CentreSubjectAssociation",
    "Country",
    "County",
    "ExamState",
    "Page",
    "ReasonableAdjustments",
    "Ref",
    "ScheduleResult",
    "SelectedSection",
    "Subject",
    "Test",
    "TestForm",
    "TestSession",
    "UnlockOverride",
    "UnscheduledBreak",
    "VoidReason",
    "WriteResult",
]

T = TypeVar("T")


class ExamState(enum.IntEnum):
    """``SurpassApiExamState``: the ``state`` of a TestSession."""

    NONE = 0
    SCHEDULED_BUT_NOT_CREATED = 1
    SCHEDULED_BUT_NOT_DOWNLOADED = 2
    SCHEDULED_BUT_LOCKED = 3
    READY = 4
    LOCKED_FOR_INVIGILATOR = 5
    IN_PROGRESS = 6
    PAUSED = 7
    OFFLINE = 8
    FINISHED = 9
    VOIDED = 10
    MARKED = 11
    SCRIPT_VERIFIED = 12
    ARCHIVED = 13
    LOCKED_BY_PIN = 14
    AWAITING_MARKING = 15
    AWAITING_VERIFICATION = 16
    AWAITING_UPLOAD = 18
    PAPER_RESPONSE_UPLOAD = 19
    LOCAL_SCAN_REQUESTED = 20
    REQUIRES_CHECK_IN = 22
    EXCEPTION = 99


class VoidReason(enum.IntEnum):
    """``SurpassApiVoidReason``."""

    NOT_YET_STARTED = -1
    AUTO = 0
    ABSENT = 1
    WITHDRAWN = 2
    PARTIALLY_COMPLETED = 3
    OTHER = 4


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Ref(Resource, BaseRef):
    """A reference to a resource: ``{id, reference, href}`` (Test and Subject add ``name``).

    Also usable as input wherever a resource is expected: ``Ref(id=3)``, ``Ref(reference="X")``.
    """

    name: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


_ref = model(Ref)
_refs = models(Ref)


@dataclass(frozen=True)
class Candidate(Resource):
    first_name: str | None = wire()
    middle_name: str | None = wire()
    last_name: str | None = wire()
    date_of_birth: dt.date | None = wire(parse_date)
    gender: str | None = wire()
    email: str | None = wire()
    tel: str | None = wire()
    uln: str | None = wire()
    reasonable_adjustments: bool | None = wire(parse_bool)
    retired: bool | None = wire(parse_bool)
    expiry_date: dt.date | None = wire(parse_date)
    is_external: bool | None = wire(parse_bool)
    centres: list[Ref] = wire_list(_refs)
    subjects: list[Ref] = wire_list(_refs)
    extended_demographics: Any = wire(parse_any)
    raw: Mapping[str, Any] = raw_field()

    def to_wire(self) -> dict[str, Any]:
        """Body for a quick-register candidate in ``schedule_test`` (``None``s dropped)."""
        body = {
            "id": self.id,
            "reference": self.reference,
            "firstName": self.first_name,
            "middleName": self.middle_name,
            "lastName": self.last_name,
            "dateOfBirth": wire_datetime(self.date_of_birth),
            "gender": self.gender,
            "email": self.email,
            "tel": self.tel,
            "uln": self.uln,
            "reasonableAdjustments": self.reasonable_adjustments,
            "isExternal": self.is_external,
            "expiryDate": wire_datetime(self.expiry_date),
            "centres": [c.to_wire() for c in self.centres] or None,
            "subjects": [s.to_wire() for s in self.subjects] or None,
            "extendedDemographics": self.extended_demographics,
        }
        return {k: v for k, v in body.items() if v is not None}


@dataclass(frozen=True)
class Centre(Resource):
    name: str | None = wire()
    status: str | None = wire()
    randomise_test_forms: bool | None = wire(parse_bool)
    hide_subjects_included_in_subject_groups: bool | None = wire(parse_bool)
    exclude_item_statistics: bool | None = wire(parse_bool)
    address_line1: str | None = wire()
    address_line2: str | None = wire()
    town: str | None = wire()
    post_code: str | None = wire()
    county: Ref | None = wire(_ref)
    country: Ref | None = wire(_ref)
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Subject(Resource):
    name: str | None = wire()
    status: str | None = wire()
    primary_centre: Ref | None = wire(_ref)
    delivery_type: str | None = wire()
    html_only: bool | None = wire(parse_bool)
    subject_master_list: bool | None = wire(parse_bool)
    enable_checkboxes_in_item_authoring: bool | None = wire(parse_bool)
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class CentreSubjectAssociation(Model):
    id: int | None = wire(parse_int)
    href: str | None = wire()
    centre: Ref | None = wire(_ref)
    subject: Ref | None = wire(_ref)
    primary: bool | None = wire(parse_bool)
    permissions: list[Any] = wire_list(as_list)
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class TestForm(Resource):
    __test__: ClassVar[bool] = False  # not a pytest class
    name: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Test(Resource):
    __test__: ClassVar[bool] = False
    name: str | None = wire()
    status: str | None = wire()
    requires_invigilation: bool | None = wire(parse_bool)
    enable_user_associations: bool | None = wire(parse_bool)
    subject: Ref | None = wire(_ref)
    test_forms: list[TestForm] = wire_list(models(TestForm))
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class TestSession(Resource):
    """A scheduled test. ``state`` is an :class:`ExamState` (or the raw int if unknown)."""

    __test__: ClassVar[bool] = False
    keycode: str | None = wire()
    pin: str | None = wire()
    state: ExamState | int | None = wire(lambda v: coerce_enum(ExamState, v))
    state_name: str | None = wire()
    candidate: Ref | None = wire(_ref)
    centre: Ref | None = wire(_ref)
    test: Ref | None = wire(_ref)
    test_form: Ref | None = wire(_ref)
    subject: Ref | None = wire(_ref)
    start_date: dt.date | None = wire(parse_date)
    end_date: dt.date | None = wire(parse_date)
    start_time: dt.time | None = wire(parse_time)
    end_time: dt.time | None = wire(parse_time)
    scheduled_from: dt.datetime | None = wire(parse_datetime)
    scheduled_to: dt.datetime | None = wire(parse_datetime)
    requires_invigilation: bool | None = wire(parse_bool)
    marked_externally: bool | None = wire(parse_bool)
    purchase_order: str | None = wire()
    test_tags: list[str] = wire_list(parse_str_list)
    language: str | None = wire()
    void_reason: VoidReason | int | str | None = wire(lambda v: coerce_enum(VoidReason, v))
    void_message: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Country(Model):
    id: int | None = wire(parse_int)
    name: str | None = wire()
    code: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class County(Model):
    id: int | None = wire(parse_int)
    name: str | None = wire()
    country: Ref | None = wire(_ref)
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class WriteResult(Resource):
    """The write envelope of a POST/PUT/DELETE (all ``None`` after a DELETE)."""

    server_time_zone: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class ScheduleResult(Model):
    """POST TestSchedule: ``id`` is the TestSession id, ``keycode`` == ``reference``."""

    id: int | None = wire(parse_int)
    keycode: str | None = wire()
    pin: str | None = wire()
    candidate: Ref | None = wire(_ref)
    href: str | None = wire()
    reference: str | None = wire()
    server_time_zone: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Page(_Page[T]):
    """One page of a list: the items, the paging metadata and ``serverTimeZone``."""

    server_time_zone: str | None = None

    @classmethod
    def _extra(cls, low: Mapping[str, Any]) -> dict[str, Any]:
        return {"server_time_zone": parse_str(low.get("servertimezone"))}


# --------------------------------------------------------------------------- inputs


class _Input:
    """Inputs serialise their non-``None`` fields with camelCase names."""

    def to_wire(self) -> dict[str, Any]:
        return {
            camel(f.name): getattr(self, f.name)
            for f in fields(self)  # type: ignore[arg-type]
            if getattr(self, f.name) is not None
        }


@dataclass(frozen=True)
class ReasonableAdjustments(_Input):
    extra_time_min: int | None = None
    extra_time_percentage: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class BreakReasonableAdjustments(_Input):
    extra_time_min: int | None = None
    extra_time_percentage: int | None = None
    number_of_extra_breaks_per_section: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class UnscheduledBreak(_Input):
    extra_time_min: int | None = None


@dataclass(frozen=True)
class UnlockOverride(_Input):
    unlock_for_whole_day: bool | None = None
    days_in_advance_to_unlock: int | None = None
    days_after_to_lock: int | None = None


@dataclass(frozen=True)
class SelectedSection(_Input):
    section_name: str | None = None
    section_order: int | None = None


def to_wire(value: Any) -> Any:
    """An input dataclass, a mapping (sent as given) or a sequence of them."""
    if value is None:
        return None
    if hasattr(value, "to_wire"):
        return value.to_wire()
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [to_wire(v) for v in value]
    return value


def ref(value: Any) -> dict[str, Any] | None:
    """A resource reference for a request body: ``{"id": n}`` or ``{"reference": "x"}``.

    Accepts an ``int`` (id), a ``str`` (reference), a :class:`Ref`, a mapping (sent as
    given) or any fetched model (its id, else its reference).
    """
    return key_body(value)


def refs(values: Sequence[Any] | None) -> list[dict[str, Any]] | None:
    return None if values is None else [r for r in map(ref, values) if r is not None]
