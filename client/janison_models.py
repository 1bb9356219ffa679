"""Typed results of the Janison client, and the base-resource helpers for request bodies.

Parsing is tolerant on purpose: a real Janison site may return more (or fewer) fields
than the sandbox. Every field is optional, unknown fields are ignored (but kept in
``raw``), member names match case-insensitively (``CEFRGrade`` is ``cefr_grade``) and
values are coerced (``"12"`` -> 12, ``"2026-05-01"`` -> a ``date``, ``"...Z"`` -> an
aware UTC ``datetime``). A value that cannot be coerced is kept as it came.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Generic, TypeVar

from client.janison_wire import (
    as_list,
    camel,
    coerce_enum,
    parse_bool,
    parse_date,
    parse_instant,
    parse_int,
    parse_str,
)

__all__ = [
    "CefrGrade",
    "Candidate",
    "Centre",
    "Component",
    "ComponentType",
    "Enrolment",
    "EnrolmentComponent",
    "Gender",
    "Page",
    "Ref",
    "Result",
    "ResultComponent",
    "ScheduleResult",
    "Test",
    "TestPackage",
    "User",
    "WriteResult",
    "ref",
    "refs",
]

T = TypeVar("T")
M = TypeVar("M", bound="Model")


class Gender(enum.StrEnum):
    MALE = "Male"
    FEMALE = "Female"
    UNSPECIFIED = "Unspecified"


class ComponentType(enum.StrEnum):
    LISTENING = "Listening"
    READING = "Reading"
    WRITING = "Writing"
    SPEAKING = "Speaking"


class CefrGrade(enum.StrEnum):
    BELOW_A1 = "Below A1"
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


def parse_any(v: Any) -> Any:
    return v


def _enum(cls: type[enum.Enum]) -> Callable[[Any], Any]:
    return lambda v: coerce_enum(cls, v)


def _wire(conv: Callable[[Any], Any] = parse_str, *, name: str | None = None) -> Any:
    return field(default=None, metadata={"conv": conv, "wire": name})


def _wire_list(conv: Callable[[Any], Any]) -> Any:
    return field(default_factory=list, metadata={"conv": conv})


def _raw_field() -> Any:
    return field(default_factory=dict, repr=False, compare=False)


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
            wire = (f.metadata.get("wire") or camel(f.name)).lower()
            if wire in low:
                values[f.name] = f.metadata.get("conv", parse_any)(low[wire])
        return cls(**values, raw=dict(data))  # type: ignore[call-arg]


def _model(cls: type[M]) -> Callable[[Any], M | None]:
    return lambda v: None if v is None or v == "" else cls.from_wire(v)


def _models(cls: type[M]) -> Callable[[Any], list[M]]:
    return lambda v: [cls.from_wire(x) for x in as_list(v) if x is not None]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Ref(Model):
    """A base resource ``{id, reference, href}``.

    Also an input wherever a resource is expected: ``Ref(id=3)``, ``Ref(reference="X")``.
    """

    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
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
class User(Model):
    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    user_name: str | None = _wire()
    first_name: str | None = _wire()
    middle_name: str | None = _wire()
    last_name: str | None = _wire()
    date_of_birth: dt.date | None = _wire(parse_date)
    gender: Gender | str | None = _wire(_enum(Gender))
    expiry: dt.date | None = _wire(parse_date)
    address_line1: str | None = _wire()
    address_line2: str | None = _wire()
    town: str | None = _wire()
    county: str | None = _wire()
    country: str | None = _wire()
    post_code: str | None = _wire()
    email: str | None = _wire()
    phone: str | None = _wire()
    centres: list[Ref] = _wire_list(_refs)
    tests: list[Ref] = _wire_list(_refs)
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class Candidate(Model):
    """``county_id``/``country_id`` are the seed's ``countyID``/``countryID`` (strings)."""

    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    first_name: str | None = _wire()
    middle_name: str | None = _wire()
    last_name: str | None = _wire()
    date_of_birth: dt.date | None = _wire(parse_date)
    uln: str | None = _wire()
    gender: Gender | str | None = _wire(_enum(Gender))
    expiry: dt.date | None = _wire(parse_date)
    address_line1: str | None = _wire()
    address_line2: str | None = _wire()
    town: str | None = _wire()
    county_id: str | None = _wire(name="countyID")
    country_id: str | None = _wire(name="countryID")
    post_code: str | None = _wire()
    email: str | None = _wire()
    phone: str | None = _wire()
    retired: bool | None = _wire(parse_bool)
    centres: list[Ref] = _wire_list(_refs)
    tests: list[Ref] = _wire_list(_refs)
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class Test(Model):
    __test__: ClassVar[bool] = False  # not a pytest class
    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    name: str | None = _wire()
    test_packages: list[Ref] = _wire_list(_refs)  # the seed's "testpackages"
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class TestPackage(Model):
    __test__: ClassVar[bool] = False
    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    name: str | None = _wire()
    components: list[Ref] = _wire_list(_refs)
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class Component(Model):
    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    name: str | None = _wire()
    type: ComponentType | str | None = _wire(_enum(ComponentType))
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class Centre(Model):
    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    name: str | None = _wire()
    address_line1: str | None = _wire()
    address_line2: str | None = _wire()
    town: str | None = _wire()
    county: str | None = _wire()
    country: str | None = _wire()
    post_code: str | None = _wire()
    tests: list[Ref] = _wire_list(_refs)
    centre_admin_user: Ref | None = _wire(_ref)
    retired: bool | None = _wire(parse_bool)
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class ResultComponent(Model):
    """One component's result. ``scale_score`` is a string, as the seed types it."""

    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    name: str | None = _wire()
    type: ComponentType | str | None = _wire(_enum(ComponentType))
    scale_score: str | None = _wire()
    cefr_grade: CefrGrade | str | None = _wire(_enum(CefrGrade), name="CEFRGrade")
    date_completed: dt.datetime | None = _wire(parse_instant)
    keycode: str | None = _wire()
    included_in_total: bool | None = _wire(parse_bool)
    raw_score: int | None = _wire(parse_int)
    completed: bool | None = _wire(parse_bool)
    voided: bool | None = _wire(parse_bool)
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class Result(Model):
    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    candidate: Ref | None = _wire(_ref)
    test_package: Ref | None = _wire(_ref)
    centre: Ref | None = _wire(_ref)
    components: list[ResultComponent] = _wire_list(_models(ResultComponent))
    final_scale_score: str | None = _wire()
    overall_cefr_grade: CefrGrade | str | None = _wire(_enum(CefrGrade), name="overallCEFRGrade")
    test_package_completion_date: dt.datetime | None = _wire(parse_instant)
    completed: bool | None = _wire(parse_bool)
    voided: bool | None = _wire(parse_bool)
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class WriteResult(Model):
    """The write envelope of a POST/PUT/DELETE: the record written (or retired)."""

    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class EnrolmentComponent(Model):
    """A component of an enrolment: the version allocated and its keycode."""

    component: Ref | None = _wire(_ref)
    version: int | None = _wire(parse_int)
    keycode: str | None = _wire()
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class Enrolment(Model):
    """One candidate's enrolment on a schedule."""

    candidate: Ref | None = _wire(_ref)
    test_session_id: int | None = _wire(parse_int)
    components: list[EnrolmentComponent] = _wire_list(_models(EnrolmentComponent))
    raw: Mapping[str, Any] = _raw_field()

    @property
    def keycodes(self) -> list[str]:
        return [c.keycode for c in self.components if c.keycode is not None]


@dataclass(frozen=True)
class ScheduleResult(Model):
    """POST testschedule or testschedulecomponent: the schedule and the enrolments written."""

    id: int | None = _wire(parse_int)
    reference: str | None = _wire()
    href: str | None = _wire()
    enrolments: list[Enrolment] = _wire_list(_models(Enrolment))
    raw: Mapping[str, Any] = _raw_field()

    def enrolment_for(self, candidate: Any) -> Enrolment:
        """The enrolment of ``candidate`` (an id, a reference, a Ref or a fetched object)."""
        want = ref(candidate) or {}
        for e in self.enrolments:
            c = e.candidate
            if c is not None and (("id" in want and c.id == want["id"])
                                  or ("reference" in want and c.reference == want["reference"])):
                return e
        raise KeyError(f"no enrolment for candidate {candidate!r}")


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


def ref(value: Any) -> dict[str, Any] | None:
    """A base resource for a request body: ``{"id": n}`` or ``{"reference": "x"}``.

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
        if not value:
            raise ValueError("empty reference")
        return {"reference": value}
    if isinstance(value, Mapping):
        return dict(value)
    if getattr(value, "id", None) is not None:
        return {"id": value.id}
    if getattr(value, "reference", None) is not None:
        return {"reference": value.reference}
    raise TypeError(f"cannot use {type(value).__name__} as a resource key")


def refs(values: Any) -> list[dict[str, Any]] | None:
    """A list of base resources; a single key (not a sequence) counts as a list of one."""
    if values is None:
        return None
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        values = [values]
    return [r for r in map(ref, values) if r is not None]
