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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Generic, TypeVar

from client.surpass_wire import (
    as_list,
    camel,
    coerce_enum,
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
M = TypeVar("M", bound="Model")


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


def parse_any(v: Any) -> Any:
    return v


def _wire(conv: Callable[[Any], Any] = parse_str, *, name: str | None = None) -> Any:
    return field(default=None, metadata={"conv": conv, "wire": name})


def _wire_list(conv: Callable[[Any], Any]) -> Any:
    return field(default_factory=list, metadata={"conv": conv})


class Model:
    """Base of the typed results: ``Cls.from_wire(dict)``; ``raw`` keeps the wire dict."""

    raw: Mapping[str, Any]

    @classmethod
    def from_wire(cls: type[M], data: Any) -> M:
        if isinstance(data, cls):
            return data
        if isinstance(data, int) and not isinstance(data, bool):
            data = {"id": data}
        elif isinstance(data, str):
            data = {"reference": data}
        elif not isinstance(data, Mapping):
            data = {}
        low = {str(k).lower(): v for k, v in data.items()}
        values: dict[str, Any] = {}
        for f in fields(cls):  # type: ignore[arg-type]
            if f.name == "raw":
                continue
            wire = f.metadata.get("wire") or camel(f.name)
            if wire.lower() in low:
                values[f.name] = f.metadata.get("conv", parse_any)(low[wire.lower()])
        return cls(**values, raw=dict(data))  # type: ignore[call-arg]


def _model(cls: type[M]) -> Callable[[Any], M | None]:
    return lambda v: None if v is None or v == "" else cls.from_wire(v)


def _models(cls: type[M]) -> Callable[[Any], list[M]]:
    return lambda v: [cls.from_wire(x) for x in as_list(v) if x is not None]


def _raw_field() -> Any:
    return field(default_factory=dict, repr=False, compare=False)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Ref(Model):
    """A reference to a resource: ``{id, reference, href}`` (Test and Subject add ``name``).

    Also usable as input wherever a resource is expected: ``Ref(id=3)``, ``Ref(reference="X")``.
    """

    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    name: str | None = _wire()
    raw: Mapping[str, Any] = _raw_field()

    def to_wire(self) -> dict[str, Any]:
        if self.id is not None:
            return {"id": self.id}
        if self.reference is not None:
            return {"reference": self.reference}
        raise ValueError("a Ref needs an id or a reference")


_ref = _model(Ref)
_refs = _models(Ref)


@dataclass(frozen=True)
class Candidate(Model):
    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    first_name: str | None = _wire()
    middle_name: str | None = _wire()
    last_name: str | None = _wire()
    date_of_birth: dt.date | None = _wire(parse_date)
    gender: str | None = _wire()
    email: str | None = _wire()
    tel: str | None = _wire()
    uln: str | None = _wire()
    reasonable_adjustments: bool | None = _wire(parse_bool)
    retired: bool | None = _wire(parse_bool)
    expiry_date: dt.date | None = _wire(parse_date)
    is_external: bool | None = _wire(parse_bool)
    centres: list[Ref] = _wire_list(_refs)
    subjects: list[Ref] = _wire_list(_refs)
    extended_demographics: Any = _wire(parse_any)
    raw: Mapping[str, Any] = _raw_field()

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
class Centre(Model):
    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    name: str | None = _wire()
    status: str | None = _wire()
    randomise_test_forms: bool | None = _wire(parse_bool)
    hide_subjects_included_in_subject_groups: bool | None = _wire(parse_bool)
    exclude_item_statistics: bool | None = _wire(parse_bool)
    address_line1: str | None = _wire()
    address_line2: str | None = _wire()
    town: str | None = _wire()
    post_code: str | None = _wire()
    county: Ref | None = _wire(_ref)
    country: Ref | None = _wire(_ref)
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class Subject(Model):
    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    name: str | None = _wire()
    status: str | None = _wire()
    primary_centre: Ref | None = _wire(_ref)
    delivery_type: str | None = _wire()
    html_only: bool | None = _wire(parse_bool)
    subject_master_list: bool | None = _wire(parse_bool)
    enable_checkboxes_in_item_authoring: bool | None = _wire(parse_bool)
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class CentreSubjectAssociation(Model):
    id: int | None = _wire(parse_int)
    href: str | None = _wire()
    centre: Ref | None = _wire(_ref)
    subject: Ref | None = _wire(_ref)
    primary: bool | None = _wire(parse_bool)
    permissions: list[Any] = _wire_list(as_list)
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class TestForm(Model):
    __test__: ClassVar[bool] = False  # not a pytest class
    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    name: str | None = _wire()
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class Test(Model):
    __test__: ClassVar[bool] = False
    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    name: str | None = _wire()
    status: str | None = _wire()
    requires_invigilation: bool | None = _wire(parse_bool)
    enable_user_associations: bool | None = _wire(parse_bool)
    subject: Ref | None = _wire(_ref)
    test_forms: list[TestForm] = _wire_list(_models(TestForm))
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class TestSession(Model):
    """A scheduled test. ``state`` is an :class:`ExamState` (or the raw int if unknown)."""

    __test__: ClassVar[bool] = False
    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    keycode: str | None = _wire()
    pin: str | None = _wire()
    state: ExamState | int | None = _wire(lambda v: coerce_enum(ExamState, v))
    state_name: str | None = _wire()
    candidate: Ref | None = _wire(_ref)
    centre: Ref | None = _wire(_ref)
    test: Ref | None = _wire(_ref)
    test_form: Ref | None = _wire(_ref)
    subject: Ref | None = _wire(_ref)
    start_date: dt.date | None = _wire(parse_date)
    end_date: dt.date | None = _wire(parse_date)
    start_time: dt.time | None = _wire(parse_time)
    end_time: dt.time | None = _wire(parse_time)
    scheduled_from: dt.datetime | None = _wire(parse_datetime)
    scheduled_to: dt.datetime | None = _wire(parse_datetime)
    requires_invigilation: bool | None = _wire(parse_bool)
    marked_externally: bool | None = _wire(parse_bool)
    purchase_order: str | None = _wire()
    test_tags: list[str] = _wire_list(parse_str_list)
    language: str | None = _wire()
    void_reason: VoidReason | int | str | None = _wire(lambda v: coerce_enum(VoidReason, v))
    void_message: str | None = _wire()
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class Country(Model):
    id: int | None = _wire(parse_int)
    name: str | None = _wire()
    code: str | None = _wire()
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class County(Model):
    id: int | None = _wire(parse_int)
    name: str | None = _wire()
    country: Ref | None = _wire(_ref)
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class WriteResult(Model):
    """The write envelope of a POST/PUT/DELETE (all ``None`` after a DELETE)."""

    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    server_time_zone: str | None = _wire()
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class ScheduleResult(Model):
    """POST TestSchedule: ``id`` is the TestSession id, ``keycode`` == ``reference``."""

    id: int | None = _wire(parse_int)
    keycode: str | None = _wire()
    pin: str | None = _wire()
    candidate: Ref | None = _wire(_ref)
    href: str | None = _wire()
    reference: str | None = _wire()
    server_time_zone: str | None = _wire()
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: the items plus the paging metadata of the envelope."""

    items: list[T]
    count: int | None = None
    top: int | None = None
    skip: int | None = None
    page_count: int | None = None
    next_page_link: str | None = None
    prev_page_link: str | None = None
    server_time_zone: str | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any], model: Callable[[Any], T]) -> Page[T]:
        low = {str(k).lower(): v for k, v in data.items()}
        return cls(
            items=[model(x) for x in as_list(low.get("response")) if x is not None],
            count=parse_int(low.get("count")),
            top=parse_int(low.get("top")),
            skip=parse_int(low.get("skip")),
            page_count=parse_int(low.get("pagecount")),
            next_page_link=low.get("nextpagelink") or None,
            prev_page_link=low.get("prevpagelink") or None,
            server_time_zone=parse_str(low.get("servertimezone")),
        )

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> T:
        return self.items[index]

    @property
    def has_next(self) -> bool:
        return self.next_page_link is not None


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
    if value is None:
        return None
    if isinstance(value, Ref):
        return value.to_wire()
    if isinstance(value, bool):
        raise TypeError("a resource key cannot be a bool")
    if isinstance(value, int):
        return {"id": value}
    if isinstance(value, str):
        return {"reference": value}
    if isinstance(value, Mapping):
        return dict(value)
    if getattr(value, "id", None) is not None:
        return {"id": value.id}
    if getattr(value, "reference", None) is not None:
        return {"reference": value.reference}
    raise TypeError(f"cannot use {type(value).__name__} as a resource key")


def refs(values: Sequence[Any] | None) -> list[dict[str, Any]] | None:
    return None if values is None else [r for r in map(ref, values) if r is not None]
