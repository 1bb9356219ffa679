"""Lists for any vendor: ``$top``/``$skip``/``$filter``/``$orderBy`` applied in SQL.

``list_page`` returns a ``Page``; each vendor renders it in its own envelope. What the
vendor says when a query is wrong comes from its ``ListingRules``: rule ids in its
``RuleBook``, so a bad ``$top`` is the vendor's own error, not ours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .odata import ODataError, QueryModel, compile_filter, compile_orderby
from .rules import RuleBook


@dataclass(frozen=True)
class ListingRules:
    """The vendor's rules for bad paging or query options.

    ``top`` is formatted with ``max``; ``filter`` and ``orderby`` with ``detail``.
    """

    book: RuleBook
    top: str
    skip: str
    filter: str
    orderby: str


@dataclass(frozen=True)
class Page:
    items: list
    count: int
    top: int
    skip: int
    next_link: str | None
    prev_link: str | None

    @property
    def page_count(self) -> int:
        return math.ceil(self.count / self.top) if self.top else 0


def page_link(skip: int, top: int) -> str:
    """The absolute URL of this request's query at another ``$skip``."""
    params = [
        (k, v) for k, v in request.args.items(multi=True) if k.lower() not in ("$skip", "$top")
    ]
    params += [("$top", str(top)), ("$skip", str(skip))]
    return f"{request.base_url}?{urlencode(params)}"


def page_size(
    args: dict, *, max_top: int, default_top: int, clamp: bool, rules: ListingRules
) -> int:
    top = args.get("top")
    if top is None:
        return default_top
    if top < 1 or (top > max_top and not clamp):
        raise rules.book.invalid(rules.top, max=max_top)
    return min(top, max_top)


def list_page(
    session: Session,
    model,
    conditions: list,
    query_model: QueryModel,
    args: dict,
    *,
    rules: ListingRules,
    max_top: int,
    default_top: int | None = None,
    clamp_top: bool = False,
    default_order=None,
) -> Page:
    """One page of ``model`` rows matching ``conditions`` and the request's query.

    ``model`` needs ``pk`` and ``id`` columns (``TenantScoped``); the count uses ``pk``
    and the order always ends on ``id`` so pages never overlap.
    """
    top = page_size(
        args,
        max_top=max_top,
        default_top=default_top or max_top,
        clamp=clamp_top,
        rules=rules,
    )
    skip = args.get("skip") or 0
    if skip < 0:
        raise rules.book.invalid(rules.skip)
    where = list(conditions)
    if args.get("filter"):
        try:
            where.append(compile_filter(args["filter"], query_model))
        except ODataError as exc:
            raise rules.book.invalid(rules.filter, detail=exc.message) from exc
    order = []
    if args.get("orderby"):
        try:
            order = compile_orderby(args["orderby"], query_model)
        except ODataError as exc:
            raise rules.book.invalid(rules.orderby, detail=exc.message) from exc
    count = session.execute(select(func.count(model.pk)).where(*where)).scalar_one()
    order.append(default_order if default_order is not None else model.id.asc())
    rows = session.execute(select(model).where(*where).order_by(*order).offset(skip).limit(top))
    return Page(
        items=list(rows.unique().scalars()),
        count=count,
        top=top,
        skip=skip,
        next_link=page_link(skip + top, top) if skip + top < count else None,
        prev_link=page_link(max(skip - top, 0), top) if skip > 0 else None,
    )
