"""Vendor-neutral machinery of the typed results: tolerant dataclass models and pages.

A vendor's models are frozen dataclasses deriving :class:`Model`, each field declared
with :func:`wire` (or :func:`wire_list`) naming the converter that coerces the wire
value. Parsing is tolerant on purpose: every field is optional, unknown members are
ignored (but kept in ``raw``), member names match case-insensitively (the wire name is
the field's camelCase unless ``name=`` says otherwise) and a value that cannot be
coerced is kept as it came. Wire names, date formats and enums stay in the vendor
modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Generic, TypeVar

from exam_sandbox.client.core.wire import as_list, camel, parse_any, parse_int, parse_str

__all__ = [
    "BaseRef",
    "Model",
    "Page",
    "Resource",
    "key_body",
    "model",
    "models",
    "raw_field",
    "wire",
    "wire_list",
]

T = TypeVar("T")
M = TypeVar("M", bound="Model")


def wire(conv: Callable[[Any], Any] = parse_str, *, name: str | None = None) -> Any:
    """A model field read with ``conv`` from the member ``name`` (default: camelCase)."""
    return field(default=None, metadata={"conv": conv, "wire": name})


def wire_list(conv: Callable[[Any], Any]) -> Any:
    """A list field (``[]`` when absent) read with ``conv``."""
    return field(default_factory=list, metadata={"conv": conv})


def raw_field() -> Any:
    """The ``raw`` field every model ends with: the wire dict as it came."""
    return field(default_factory=dict, repr=False, compare=False)


class Model:
    """Base of the typed results: ``Cls.from_wire(dict)``; ``raw`` keeps the wire dict.

    An ``int`` is read as ``{"id": n}`` and a ``str`` as ``{"reference": s}``.
    """

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
            name = (f.metadata.get("wire") or camel(f.name)).lower()
            if name in low:
                values[f.name] = f.metadata.get("conv", parse_any)(low[name])
        return cls(**values, raw=dict(data))  # type: ignore[call-arg]


def model(cls: type[M]) -> Callable[[Any], M | None]:
    """Converter of a nested model (``None`` when absent or empty)."""
    return lambda v: None if v is None or v == "" else cls.from_wire(v)


def models(cls: type[M]) -> Callable[[Any], list[M]]:
    """Converter of a list of nested models (a single one counts as a list of one)."""
    return lambda v: [cls.from_wire(x) for x in as_list(v) if x is not None]


@dataclass(frozen=True)
class Resource(Model):
    """The fields every vendor's resources begin with: ``{id, reference, href}``.

    A vendor's model derives it and adds its own fields, ending with ``raw``.
    """

    id: int | None = wire(parse_int)
    reference: str | None = wire()
    href: str | None = wire()


class BaseRef(Model):
    """Mixed into a vendor's ``Ref`` dataclass (``id``, ``reference``): its request body."""

    id: int | None
    reference: str | None

    def to_wire(self) -> dict[str, Any]:
        if self.id is not None:
            return {"id": self.id}
        if self.reference is not None:
            return {"reference": self.reference}
        raise ValueError("a Ref needs an id or a reference")


def key_body(value: Any, *, empty_reference: bool = True) -> dict[str, Any] | None:
    """A resource reference for a request body: ``{"id": n}`` or ``{"reference": "x"}``.

    Accepts an ``int`` (id), a ``str`` (reference), a :class:`BaseRef`, a mapping (sent
    as given) or any fetched model (its id, else its reference). ``empty_reference=False``
    refuses ``""``.
    """
    if value is None:
        return None
    if isinstance(value, BaseRef):
        return value.to_wire()
    if isinstance(value, bool):
        raise TypeError("a resource key cannot be a bool")
    if isinstance(value, int):
        return {"id": value}
    if isinstance(value, str):
        if not value and not empty_reference:
            raise ValueError("empty reference")
        return {"reference": value}
    if isinstance(value, Mapping):
        return dict(value)
    if getattr(value, "id", None) is not None:
        return {"id": value.id}
    if getattr(value, "reference", None) is not None:
        return {"reference": value.reference}
    raise TypeError(f"cannot use {type(value).__name__} as a resource key")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: the items plus the paging metadata of the envelope.

    The envelope is ``{"response": [...], "count", "top", "skip", "pageCount",
    "nextPageLink", "prevPageLink"}`` (any case). A vendor's page adding members
    overrides :meth:`_extra`.
    """

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
            **cls._extra(low),
        )

    @classmethod
    def _extra(cls, low: Mapping[str, Any]) -> dict[str, Any]:
        """More constructor arguments from the envelope (``low``: lowercased members)."""
        return {}

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> T:
        return self.items[index]

    @property
    def has_next(self) -> bool:
        return self.next_page_link is not None
