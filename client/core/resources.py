"""Vendor-neutral list/get plumbing of the vendor clients, and the options of list calls.

A vendor client mixes in :class:`ListMethods` and sets its page type, OData dialect,
the error a looping ``nextPageLink`` raises and where its API path starts (to rebase a
link given on another origin); it provides ``request()`` and ``_http``. Each resource
then needs only a line: ``self._iter("Candidate", Candidate, **query)``.
"""

from __future__ import annotations

import difflib
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypedDict, TypeVar
from urllib.parse import urljoin, urlsplit

from exam_sandbox.client.core.errors import ApiError
from exam_sandbox.client.core.http import HttpClient, Timeout
from exam_sandbox.client.core.models import Page
from exam_sandbox.client.core.odata import Dialect, Filter, list_params
from exam_sandbox.client.core.paging import Paginator

__all__ = ["ClientBase", "IterQuery", "ListMethods", "ListQuery", "PageQuery", "check_query",
           "follow_link"]

log = logging.getLogger(__name__)
M = TypeVar("M")
Json = dict[str, Any]


class ListQuery(TypedDict, total=False):
    """Options of every list call (see :mod:`.odata`)."""

    where: Mapping[str, Any] | None
    contains: Mapping[str, str] | None
    filter: Filter | str | None
    order_by: str | Sequence[str] | None
    top: int
    params: Mapping[str, Any] | None
    timeout: Timeout | None


class PageQuery(ListQuery, total=False):
    skip: int


class IterQuery(ListQuery, total=False):
    limit: int | None


def check_query(method: str, query: Mapping[str, Any], options: type) -> None:
    """Refuse a keyword that ``options`` (a query TypedDict) lacks, naming ``method``.

    Without this a misspelt keyword reached the OData builder and the ``TypeError`` named
    ``list_params()``, a function the caller never called.
    """
    known = sorted(options.__optional_keys__ | options.__required_keys__)
    for name in query:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]}=?)" if close else ""
            raise TypeError(f"{method}() got an unexpected keyword argument {name!r}{hint}; "
                            f"its query keywords are {', '.join(known)}")


def _public_caller() -> str:
    """The name of the client method that called ``_iter``/``_page`` (``iter_candidates``).

    Read from the stack so each resource method stays one line; the method is always
    the direct caller of ``_iter``/``_page``, two frames up from here.
    """
    return sys._getframe(2).f_code.co_name


def follow_link(base: str, link: str, api_root: str) -> str:
    """A ``nextPageLink`` kept on ``base``'s origin (credentials never go elsewhere).

    A relative link is resolved against ``base``; one on another origin (including a
    scheme-relative ``//host/...``) is rebased onto ``base`` after ``api_root``
    (``"/api/"``), or by its last segment when it has none.
    """
    parts = urlsplit(link)
    if not parts.scheme and not parts.netloc:
        return urljoin(base + "/", link)
    ours = urlsplit(base)
    if (parts.scheme, parts.netloc) == (ours.scheme, ours.netloc):
        return link
    at = parts.path.lower().find(api_root)
    tail = parts.path[at + len(api_root):] if at >= 0 else parts.path.rsplit("/", 1)[-1]
    log.warning("nextPageLink %s is on another origin; following it on %s", link, base)
    return f"{base}/{tail}" + (f"?{parts.query}" if parts.query else "")


class ClientBase:
    """A vendor client over one :class:`HttpClient`; use as a context manager to close it."""

    _http: HttpClient

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ListMethods(ClientBase):
    """List plumbing shared by the vendor clients: one page, every page, links."""

    _page_type: ClassVar[type[Page[Any]]] = Page
    _dialect: ClassVar[Dialect]
    _loop_error: ClassVar[type[ApiError]]
    _api_root: ClassVar[str]  # where the API path starts, e.g. "/api/"

    if TYPE_CHECKING:

        def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                    timeout: Timeout | None = None) -> Json: ...

    def _list_params(self, **query: Any) -> Json:
        return list_params(dialect=self._dialect, **query)

    def _follow(self, link: str) -> str:
        return follow_link(self._http.base_url, link, self._api_root)

    def _fetch_page(self, path: str, model: Callable[[Any], M], params: Json | None,
                    timeout: Timeout | None) -> Page[M]:
        envelope = self.request("GET", path, params=params, timeout=timeout)
        return self._page_type.from_wire(envelope, model)

    def _page(self, resource: str, model: Any, *, timeout: Timeout | None = None,
              **query: Any) -> Page[Any]:
        check_query(_public_caller(), query, PageQuery)
        return self._fetch_page(resource, model.from_wire, self._list_params(**query), timeout)

    def _iter(self, resource: str, model: Any, *, limit: int | None = None, top: int = 40,
              timeout: Timeout | None = None, **query: Any) -> Paginator[Any]:
        check_query(_public_caller(), query, IterQuery)
        if limit is not None and limit > 0:
            top = min(top, limit)
        params = self._list_params(top=top, **query)

        def fetch(link: str | None) -> Page[Any]:
            if link is None:
                return self._fetch_page(resource, model.from_wire, params, timeout)
            return self._fetch_page(self._follow(link), model.from_wire, None, timeout)

        return Paginator(fetch, limit=limit, loop_error=self._loop_error)
