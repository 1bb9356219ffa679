"""Surpass lists: ``$top``/``$skip``/``$orderBy``/``$filter`` applied in SQL, and the
page envelope with absolute ``nextPageLink``/``prevPageLink``."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from flask import g, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.core.odata import ODataError, QueryModel, compile_filter, compile_orderby

from .errors import invalid

MAX_TOP = 40


def server_time_zone() -> str:
    return (g.get("surpass_settings") or {}).get("serverTimeZone", "GMT Standard Time")


def _top(args: dict, max_top: int) -> int:
    top = args.get("top")
    if top is None:
        return max_top
    if top < 1:
        raise invalid("PAGE-1", max=max_top)
    if top > max_top:
        if (g.get("surpass_settings") or {}).get("topOverLimit") == "cap":
            return max_top
        raise invalid("PAGE-1", max=max_top)
    return top


def _link(skip: int, top: int) -> str:
    params = [
        (k, v) for k, v in request.args.items(multi=True) if k.lower() not in ("$skip", "$top")
    ]
    params += [("$top", str(top)), ("$skip", str(skip))]
    return f"{request.base_url}?{urlencode(params)}"


def page(
    session: Session,
    model,
    conditions: list,
    query_model: QueryModel,
    args: dict,
    *,
    max_top: int = MAX_TOP,
    default_order=None,
) -> dict:
    """One page of ``model`` rows matching ``conditions`` and the request's query."""
    top = _top(args, max_top)
    skip = args.get("skip") or 0
    if skip < 0:
        raise invalid("PAGE-2")
    where = list(conditions)
    if args.get("filter"):
        try:
            where.append(compile_filter(args["filter"], query_model))
        except ODataError as exc:
            raise invalid("FILTER-1", detail=exc.message) from exc
    order = []
    if args.get("orderby"):
        try:
            order = compile_orderby(args["orderby"], query_model)
        except ODataError as exc:
            raise invalid("ORDER-1", detail=exc.message) from exc
    count = session.execute(select(func.count(model.pk)).where(*where)).scalar_one()
    order.append(default_order if default_order is not None else model.id.asc())
    rows = session.execute(select(model).where(*where).order_by(*order).offset(skip).limit(top))
    items = list(rows.unique().scalars())
    return {
        "count": count,
        "top": top,
        "skip": skip,
        "pageCount": math.ceil(count / top) if top else 0,
        "nextPageLink": _link(skip + top, top) if skip + top < count else None,
        "prevPageLink": _link(max(skip - top, 0), top) if skip > 0 else None,
        "response": items,
        "errors": [],
        "serverTimeZone": server_time_zone(),
    }


def single(item) -> dict:
    """GET by id or reference: the page envelope with null paging and one item."""
    return {
        "count": None,
        "top": None,
        "skip": None,
        "pageCount": None,
        "nextPageLink": None,
        "prevPageLink": None,
        "response": [item],
        "errors": [],
        "serverTimeZone": server_time_zone(),
    }


def written(resource: str, item_id: int | None, reference: str | None, **extra) -> dict:
    """The write envelope; ``reference`` and extras are left out when null."""
    body = {"id": item_id}
    if reference is not None:
        body["reference"] = reference
    body["href"] = href(resource, item_id) if item_id is not None else None
    body["errors"] = []
    body["serverTimeZone"] = server_time_zone()
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def href(resource: str, item_id: int) -> str:
    return f"{request.url_root}api/v2/{resource}/{item_id}"
