"""Querying Surpass lists without hand-writing OData: filters, ordering, lazy paging.

The builder is vendor-neutral and lives in :mod:`..core.odata`; this module binds it to
the way Surpass writes literals OData leaves open: a ``date`` is ``MM/DD/YYYY``
(``datetime`` stays ISO 8601). Everything else is re-exported unchanged::

    client.iter_candidates(where={"lastName": "Smith", "retired": False},
                           contains={"firstName": "an"}, order_by=["lastName", "-id"])

    (F("lastName") == "O'Neil") & F("centres").any(reference="C1")
    # -> lastName eq 'O''Neil' and centres/any(c: c/reference eq 'C1')
    F("dateOfBirth") >= date(1990, 1, 31)          # -> dateOfBirth ge 01/31/1990

The Surpass client renders every filter with :data:`SURPASS`, so a filter built with
:class:`..core.odata.F` works with it too; this ``F`` only changes what ``str()`` shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from exam_sandbox.client.core import odata
from exam_sandbox.client.core.odata import Dialect, Filter, Raw, render_order_by
from exam_sandbox.client.core.paging import Paginator

__all__ = ["SURPASS", "F", "Filter", "Paginator", "Raw", "build_filter", "list_params",
           "literal", "render_order_by"]


def _us_date(value: dt.date) -> str:
    return value.strftime("%m/%d/%Y")


#: Surpass filter literals: dates ``MM/DD/YYYY``, datetimes ISO 8601.
SURPASS = Dialect("surpass", date=_us_date)


class F(odata.F):
    """:class:`..core.odata.F` whose ``str()`` writes dates the Surpass way."""

    dialect: ClassVar[Dialect] = SURPASS


def literal(value: Any) -> str:
    """Render a Python value as a Surpass OData literal."""
    return odata.literal(value, SURPASS)


def build_filter(
    filter: Filter | str | None = None,
    where: Mapping[str, Any] | None = None,
    contains: Mapping[str, str] | None = None,
) -> str | None:
    """Combine a filter, ``where`` equalities (a list value means any of) and ``contains``."""
    return odata.build_filter(filter, where, contains, dialect=SURPASS)


def list_params(
    *,
    filter: Filter | str | None = None,
    where: Mapping[str, Any] | None = None,
    contains: Mapping[str, str] | None = None,
    order_by: str | Sequence[str] | None = None,
    top: int | None = 40,
    skip: int | None = None,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The query string of a Surpass list call: ``$top``, ``$skip``, ``$filter``, ``$orderBy``."""
    return odata.list_params(filter=filter, where=where, contains=contains, order_by=order_by,
                             top=top, skip=skip, params=params, dialect=SURPASS)
