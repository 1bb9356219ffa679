"""The vendor-neutral OData builder (``client.odata``), its per-vendor dialects, and the
lazy paginator (``client.paging``)."""

from __future__ import annotations

import datetime as dt

import pytest

from exam_sandbox.client.core import odata, paging
from exam_sandbox.client.core.odata import ISO, Dialect, F, Raw, build_filter, list_params, literal
from exam_sandbox.client.surpass import query as surpass_query

DAY = dt.date(1990, 1, 31)
INSTANT = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


def test_iso_is_the_neutral_default():
    assert literal(DAY) == "1990-01-31"
    assert literal(INSTANT) == "2026-05-01T09:00:00Z"
    assert literal(dt.datetime(2026, 5, 1, 9, 0)) == "2026-05-01T09:00:00"
    assert str(F("dateOfBirth") >= DAY) == "dateOfBirth ge 1990-01-31"
    assert build_filter(where={"dateOfBirth": DAY}) == "dateOfBirth eq 1990-01-31"


def test_a_dialect_decides_dates_at_render_time():
    stamp = Dialect("stamp", date=lambda d: f"D{d:%Y%m%d}", datetime=lambda d: "T")
    expr = (F("a") == DAY) & ~(F("b") > INSTANT) & F("cs").any(F("d").startswith("x") | Raw("r"))
    assert str(expr) == ("a eq 1990-01-31 and not (b gt 2026-05-01T09:00:00Z) and "
                         "cs/any(c: startswith(c/d,'x') or r)")
    assert expr.render(stamp) == (
        "a eq D19900131 and not (b gt T) and cs/any(c: startswith(c/d,'x') or r)")
    assert build_filter(expr, where={"e": [DAY, None]}, dialect=stamp) == (
        "a eq D19900131 and not (b gt T) and cs/any(c: startswith(c/d,'x') or r) and "
        "(e eq D19900131 or e eq null)")
    assert list_params(where={"e": DAY}, dialect=stamp)["$filter"] == "e eq D19900131"


def test_surpass_binds_the_builder_to_us_dates():
    assert surpass_query.literal(DAY) == "01/31/1990"
    assert surpass_query.build_filter(where={"d": DAY}) == "d eq 01/31/1990"
    assert surpass_query.list_params(where={"d": DAY}) == {"$top": 40, "$filter": "d eq 01/31/1990"}
    # a neutral F renders the Surpass way when Surpass renders it, and vice versa
    assert surpass_query.build_filter(F("d") == DAY) == "d eq 01/31/1990"
    assert odata.build_filter(surpass_query.F("d") == DAY) == "d eq 1990-01-31"
    # str() follows the F that built the expression, through / any() and boolean operators
    sf = surpass_query.F
    assert str((sf("c") / "d" == DAY) & sf("cs").any(d=DAY)) == (
        "c/d eq 01/31/1990 and cs/any(c: c/d eq 01/31/1990)")
    assert surpass_query.Paginator is paging.Paginator and surpass_query.Filter is odata.Filter


def test_unrenderable_values_fail_when_the_filter_is_built():
    with pytest.raises(TypeError):
        F("a") == object()  # noqa: B015
    with pytest.raises(ValueError):
        F("a").contains(float("inf"))
    assert ISO.name == "iso"


def test_paginator_follows_links_and_stops_at_limit():
    class P:
        def __init__(self, items, nxt):
            self.items, self.count, self.next_page_link = items, 5, nxt

    pages = {None: P([1, 2], "p2"), "p2": P([3, 4], "p3"), "p3": P([5], None)}
    asked = []

    def fetch(link):
        asked.append(link)
        return pages[link]

    it = paging.Paginator(fetch)
    assert asked == []  # lazy
    assert list(it) == [1, 2, 3, 4, 5] and it.count == 5
    asked.clear()
    assert list(paging.Paginator(fetch, limit=3)) == [1, 2, 3] and asked == [None, "p2"]
    loop = {None: P([1], "x"), "x": P([2], "x")}
    with pytest.raises(LookupError):
        list(paging.Paginator(loop.__getitem__, loop_error=LookupError))
