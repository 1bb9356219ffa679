"""The one error hierarchy of the clients: vendor-neutral kinds, and each vendor's family.

Every client raises exceptions you can catch three ways:

* by kind, whatever the vendor: ``except exam_sandbox.client.NotFoundError``;
* by vendor, whatever the kind: ``except SurpassError``;
* both: ``except exam_sandbox.client.surpass.NotFoundError``.

The kinds are listed once, in :data:`KINDS`; :func:`error_family` builds a vendor's
classes from that list, so every vendor has every kind (a kind added here reaches every
vendor at once). Transport failures are also the builtins they are: an
:class:`ApiConnectionError` is a ``ConnectionError`` and an :class:`ApiTimeoutError` a
``TimeoutError``; the names differ from the builtins' so importing them shadows nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import requests

__all__ = [
    "KINDS",
    "NEUTRAL",
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "AuthenticationError",
    "ConflictError",
    "ErrorDetail",
    "ErrorTypes",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ServerError",
    "TransportError",
    "ValidationError",
    "error_family",
]


class _CodeMessage(NamedTuple):
    code: int | str | None
    message: str


class ErrorDetail(_CodeMessage):
    """One error from a vendor's error list: a ``(code, message)`` pair.

    ``field`` names the request field at fault when the vendor says which (``None``
    otherwise). It is an attribute, not a third item, so ``code, message = detail`` and
    comparison with a ``(code, message)`` tuple keep working.
    """

    field: str | None = None

    def __new__(cls, code: int | str | None, message: str,
                field: str | None = None) -> ErrorDetail:
        self = super().__new__(cls, code, message)
        if field is not None:
            self.field = field
        return self

    def __repr__(self) -> str:
        extra = "" if self.field is None else f", field={self.field!r}"
        return f"ErrorDetail(code={self.code!r}, message={self.message!r}{extra})"


class ApiError(Exception):
    """Base of every error a client raises.

    ``status`` is the HTTP status (``None`` for transport failures), ``errors`` every
    ``(code, message)`` pair the vendor sent, ``response`` the ``requests.Response``
    (``None`` for transport failures), ``retry_after`` the parsed ``Retry-After`` in
    seconds when the server sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        errors: Iterable[tuple[Any, str]] = (),
        response: requests.Response | None = None,
        method: str | None = None,
        url: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors: list[ErrorDetail] = [
            e if isinstance(e, ErrorDetail) else ErrorDetail(*e) for e in errors
        ]
        self.response = response
        self.method = method
        self.url = url
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message

    @property
    def messages(self) -> list[str]:
        return [e.message for e in self.errors]


class AuthenticationError(ApiError):
    """401: missing or wrong credentials."""


class PermissionDeniedError(ApiError):
    """403: authenticated, but not allowed."""


class NotFoundError(ApiError):
    """404: no such id, reference or keycode."""


class ValidationError(ApiError):
    """400/422: the request was understood and refused; see ``errors`` for every reason."""


class ConflictError(ApiError):
    """409: the request conflicts with the current state (a duplicate, a retired record)."""


class RateLimitedError(ApiError):
    """429: too many requests (after retries, for idempotent calls)."""


class ServerError(ApiError):
    """5xx (after retries, for idempotent calls)."""


class TransportError(ApiError):
    """No HTTP response at all."""


class ApiConnectionError(TransportError, ConnectionError):
    """Could not connect, or the connection broke. Also a builtin ``ConnectionError``."""


class ApiTimeoutError(TransportError, TimeoutError):
    """Connect or read timeout. Also a builtin ``TimeoutError``."""


@dataclass(frozen=True)
class ErrorTypes:
    """The exception class a client raises for each kind of failure: one vendor's family.

    The field names are the kinds; :data:`KINDS` lists them with their neutral classes.
    """

    base: type[ApiError]
    authentication: type[ApiError]
    permission_denied: type[ApiError]
    not_found: type[ApiError]
    validation: type[ApiError]
    conflict: type[ApiError]
    rate_limited: type[ApiError]
    server: type[ApiError]
    transport: type[ApiError]
    connection: type[ApiError]
    timeout: type[ApiError]

    def for_status(self, status: int) -> type[ApiError]:
        """The kind of an HTTP error status (``base`` for one no kind names, e.g. 405)."""
        if status in _KIND_OF_STATUS:
            return getattr(self, _KIND_OF_STATUS[status])
        if status >= 500:
            return self.server
        return self.base

    def __iter__(self):  # the classes, base first
        return (getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class Kind:
    """One kind of failure: its :class:`ErrorTypes` field, neutral class and parent kind."""

    name: str
    neutral: type[ApiError]
    parent: str | None = None  # a vendor's class also derives its parent kind's class


#: Every kind, parents before children. The one list every vendor's family comes from.
KINDS: tuple[Kind, ...] = (
    Kind("authentication", AuthenticationError),
    Kind("permission_denied", PermissionDeniedError),
    Kind("not_found", NotFoundError),
    Kind("validation", ValidationError),
    Kind("conflict", ConflictError),
    Kind("rate_limited", RateLimitedError),
    Kind("server", ServerError),
    Kind("transport", TransportError),
    Kind("connection", ApiConnectionError, parent="transport"),
    Kind("timeout", ApiTimeoutError, parent="transport"),
)

_KIND_OF_STATUS = {401: "authentication", 403: "permission_denied", 404: "not_found",
                   400: "validation", 422: "validation", 409: "conflict",
                   429: "rate_limited"}

#: The neutral classes themselves: what a client without a vendor family raises.
NEUTRAL = ErrorTypes(base=ApiError, **{k.name: k.neutral for k in KINDS})


def error_family(vendor: str, module: str, *,
                 docs: Mapping[str, str] | None = None) -> ErrorTypes:
    """``<vendor>Error`` and one subclass of it per kind, each also its neutral kind.

    ``module`` is where the vendor binds the names (so reprs and pickling find them);
    ``docs`` overrides a kind's docstring with what the vendor's errors of that kind are.
    A kind whose :attr:`Kind.parent` is set derives the vendor's parent class too, so
    ``except surpass.TransportError`` catches a Surpass connection failure.
    """
    docs = dict(docs or {})
    unknown = set(docs) - {k.name for k in KINDS} - {"base"}
    if unknown:
        raise ValueError(f"no such error kinds: {sorted(unknown)}")
    base_name = f"{vendor}Error"
    base = _subclass(base_name, (ApiError,), module,
                     docs.get("base", f"Base of every error the {vendor} client raises."))
    made: dict[str, type[ApiError]] = {"base": base}
    for kind in KINDS:
        first = made[kind.parent] if kind.parent else base
        made[kind.name] = _subclass(kind.neutral.__name__, (first, kind.neutral), module,
                                    docs.get(kind.name, kind.neutral.__doc__ or ""))
    return ErrorTypes(**made)


def _subclass(name: str, bases: tuple[type, ...], module: str, doc: str) -> type[ApiError]:
    cls = type(name, bases, {"__doc__": doc, "__module__": module})
    cls.__qualname__ = name
    return cls
