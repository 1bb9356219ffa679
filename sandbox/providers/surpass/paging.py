"""Surpass's envelopes: the page envelope (core's listing, with absolute
``nextPageLink``/``prevPageLink``), a single item, and the write envelope."""

from __future__ import annotations

from flask import g, request
from sqlalchemy.orm import Session

from exam_sandbox.core import request_scope
from exam_sandbox.core.envelopes import page_body, single_body
from exam_sandbox.core.listing import ListingRules, list_page
from exam_sandbox.core.listing_sql import Listing
from exam_sandbox.core.odata import QueryModel

from .errors import RULES

MAX_TOP = 40


def server_time_zone() -> str:
    return (g.get("surpass_settings") or {}).get("serverTimeZone", "GMT Standard Time")


LISTING_RULES = ListingRules(
    RULES, top="PAGE-1", skip="PAGE-2", filter="FILTER-1", orderby="ORDER-1"
)


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
    """One page of ``model`` rows matching ``conditions`` and the request's query, in the
    Surpass page envelope."""
    found = list_page(
        session,
        model,
        conditions,
        query_model,
        args,
        rules=LISTING_RULES,
        max_top=max_top,
        default_top=min(MAX_TOP, max_top),
        clamp_top=(g.get("surpass_settings") or {}).get("topOverLimit") == "cap",
        default_order=default_order,
    )
    return page_body(found, serverTimeZone=server_time_zone())


def listed(listing: Listing, args: dict, *, max_top: int = MAX_TOP) -> dict:
    """``page`` on precompiled SQL (core/listing_sql.py), for the lists on hot paths."""
    found = listing.page(
        request_scope.scope().sql,
        args,
        rules=LISTING_RULES,
        max_top=max_top,
        default_top=min(MAX_TOP, max_top),
        clamp_top=(g.get("surpass_settings") or {}).get("topOverLimit") == "cap",
    )
    return page_body(found, serverTimeZone=server_time_zone())


def single(item) -> dict:
    """GET by id or reference: the page envelope with null paging and one item."""
    return single_body(item, serverTimeZone=server_time_zone())


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
