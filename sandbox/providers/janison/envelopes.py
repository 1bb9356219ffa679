"""Janison's envelopes (assumed to mirror Surpass API v2's, research notes B2): the page
envelope (core's listing), a single item, and the write envelope. All times are UTC, so
there is no ``serverTimeZone``."""

from __future__ import annotations

from collections.abc import Callable

from flask import g, request
from sqlalchemy.orm import Session

from exam_sandbox.core.envelopes import page_body, single_body
from exam_sandbox.core.listing import (
    ListingRules,
    list_page,
    page_of,
    paging,
)
from exam_sandbox.core.odata import QueryModel

from .errors import RULES

MAX_TOP = 100
DEFAULT_TOP = 40
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
    plain: Callable[[int, int], tuple[int, list]] | None = None,
) -> dict:
    """A page of ``model`` through core's listing; or, when the query names no
    ``$filter`` or ``$orderBy`` and the list has one, through ``plain(top, skip)`` ->
    ``(count, items)``: the default page on the vendor's own precompiled SQL."""
    if plain is not None and unfiltered(args):
        top, skip = page_bounds(args, g.janison_settings)
        count, items = plain(top, skip)
        return rows_page(items, count, top, skip)
    found = list_page(
        session,
        model,
        conditions,
        query_model,
        args,
        rules=LISTING_RULES,
        max_top=MAX_TOP,
        default_top=DEFAULT_TOP,
        clamp_top=g.janison_settings["topOverLimit"] == "cap",
    )
    return page_body(found)


def unfiltered(args: dict) -> bool:
    """The query names no ``$filter`` or ``$orderBy``, not even a blank one (LIST-1 is
    the listing's): the default page, which a vendor may serve on its own SQL."""
    return args.get("filter") is None and args.get("orderby") is None


def page_bounds(args: dict, settings: dict) -> tuple[int, int]:
    """``$top`` and ``$skip`` of a page, refused (PAGE-1, PAGE-2) as core's listing does."""
    return paging(args, LISTING_RULES, max_top=MAX_TOP, default_top=DEFAULT_TOP,
                  clamp_top=settings["topOverLimit"] == "cap")


def rows_page(items: list, count: int, top: int, skip: int) -> dict:
    """The page envelope of ``items``, with the links core's listing gives."""
    return page_body(page_of(items, count, top, skip))


def single(item) -> dict:
    """GET by id: the page envelope with null paging and one item."""
    return single_body(item)


def href(resource: str, item_id: int) -> str:
    return f"{request.url_root}api/{resource}/{item_id}"


def written(resource: str, item, **extra) -> dict:
    """The write envelope of ``item``; ``reference`` is left out when null."""
    body: dict = {"id": item.id}
    if getattr(item, "reference", None) is not None:
        body["reference"] = item.reference
    body["href"] = href(resource, item.id)
    body["errors"] = []
    body.update(extra)
    return body
