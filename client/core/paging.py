"""Lazy paging over a vendor's list: follow ``nextPageLink`` until it is null.

Vendor-neutral: a client supplies ``fetch(link)`` returning its own page type, which
needs only ``items``, ``count`` and ``next_page_link`` (:class:`PageLike`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Generic, Protocol, TypeVar

__all__ = ["PageLike", "Paginator"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class PageLike(Protocol[T_co]):
    """What :class:`Paginator` needs of a vendor's page: its items, total and next link."""

    @property
    def items(self) -> Sequence[T_co]: ...

    @property
    def count(self) -> int | None: ...

    @property
    def next_page_link(self) -> str | None: ...


class Paginator(Generic[T]):
    """A lazy iterator over every item of a list, following ``nextPageLink`` until null.

    Nothing is fetched until the first item is asked for. ``pages()`` gives the page
    objects instead (a fresh walk from the first page); ``count`` is the server's total
    once the first page has been read. ``fetch(None)`` must return the first page and
    ``fetch(link)`` the page a ``nextPageLink`` names.
    """

    def __init__(
        self,
        fetch: Callable[[str | None], PageLike[T]],
        *,
        limit: int | None = None,
        loop_error: Callable[[str], Exception] = RuntimeError,
    ) -> None:
        self._fetch = fetch
        self._limit = limit
        self._loop_error = loop_error
        self._items: Iterator[T] | None = None
        self.count: int | None = None

    def __iter__(self) -> Paginator[T]:
        return self

    def __next__(self) -> T:
        if self._items is None:
            self._items = self._walk()
        return next(self._items)

    def pages(self) -> Iterator[PageLike[T]]:
        link: str | None = None
        seen: set[str] = set()
        while True:
            page = self._fetch(link)
            if self.count is None:
                self.count = page.count
            yield page
            link = page.next_page_link
            if not link:
                return
            if link in seen:
                raise self._loop_error(f"nextPageLink repeats itself: {link}")
            seen.add(link)

    def _walk(self) -> Iterator[T]:
        taken = 0
        if self._limit is not None and self._limit <= 0:
            return
        for page in self.pages():
            for item in page.items:
                yield item
                taken += 1
                if self._limit is not None and taken >= self._limit:
                    return
