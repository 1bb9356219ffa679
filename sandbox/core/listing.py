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

# LIST-2 (assumed): both vendors run ASP.NET, whose OData options bind $top and $skip as
# Int32; one bound for every list of every vendor, checked here as well as in the query
# schemas that document it, so no list can drift from the others.
MAX_PAGING = 2**31 - 1


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
    if not 1 <= top <= MAX_PAGING or (top > max_top and not clamp):
        raise rules.book.invalid(rules.top, max=max_top)
    return min(top, max_top)


def _query_option(args: dict, key: str, name: str, book: RuleBook, rule_id: str) -> str | None:
    """The option's text, ``None`` when the query leaves it out.

    LIST-1 (assumed): given but empty or blank, it is refused, as ASP.NET OData refuses
    it ("cannot be empty"), for ``$filter=`` and ``$filter=%20`` alike, on every list."""
    text = args.get(key)
    if text is None:
        return None
    if not text.strip():
        raise book.invalid(rule_id, detail=f"The value for OData query '{name}' cannot be empty.")
    return text


def paging(args: dict, rules: ListingRules, *, max_top: int, default_top: int | None,
           clamp_top: bool) -> tuple[int, int]:
    """``$top`` and ``$skip`` of a page, refused with the vendor's rules."""
    top = page_size(
        args,
        max_top=max_top,
        default_top=default_top or max_top,
        clamp=clamp_top,
        rules=rules,
    )
    skip = args.get("skip") or 0
    if not 0 <= skip <= MAX_PAGING:
        raise rules.book.invalid(rules.skip)
    return top, skip


def page_of(items: list, count: int, top: int, skip: int) -> Page:
    """A page of ``items`` with the links to the pages around it."""
    return Page(
        items=items,
        count=count,
        top=top,
        skip=skip,
        next_link=page_link(skip + top, top) if skip + top < count else None,
        prev_link=page_link(max(skip - top, 0), top) if skip > 0 else None,
    )


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
    top, skip = paging(args, rules, max_top=max_top, default_top=default_top,
                        clamp_top=clamp_top)
    where = list(conditions)
    filter_text = filter_option(args, rules)
    if filter_text is not None:
        where.append(compile_query_filter(filter_text, query_model, rules))
    order = compile_query_order(orderby_option(args, rules), query_model, rules)
    count = session.execute(select(func.count(model.pk)).where(*where)).scalar_one()
    order.append(default_order if default_order is not None else model.id.asc())
    rows = session.execute(select(model).where(*where).order_by(*order).offset(skip).limit(top))
    return page_of(list(rows.unique().scalars()), count, top, skip)


def filter_option(args: dict, rules: ListingRules) -> str | None:
    """The request's ``$filter`` text (LIST-1 refuses a blank one)."""
    return _query_option(args, "filter", "$filter", rules.book, rules.filter)


def orderby_option(args: dict, rules: ListingRules) -> str | None:
    """The request's ``$orderBy`` text (LIST-1 refuses a blank one)."""
    return _query_option(args, "orderby", "$orderBy", rules.book, rules.orderby)


def compile_query_filter(text: str, query_model: QueryModel, rules: ListingRules, **options):
    try:
        return compile_filter(text, query_model, **options)
    except ODataError as exc:
        raise rules.book.invalid(rules.filter, detail=exc.message) from exc


def compile_query_order(text: str | None, query_model: QueryModel, rules: ListingRules) -> list:
    if text is None:
        return []
    try:
        return compile_orderby(text, query_model)
    except ODataError as exc:
        raise rules.book.invalid(rules.orderby, detail=exc.message) from exc
