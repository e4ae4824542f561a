"""Paginators: one page at a time, or every item across pages with the next page prefetched."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from typing import Any, Generic, TypeVar

import attrs

from ._reprs import safe_repr
from ._secrets import KeyHolder
from .models import Page

__all__ = ["AsyncPaginator"]

T = TypeVar("T")

FetchPage = Callable[[int, int | None], Awaitable[Page[T]]]


def _retrieve(task: asyncio.Future[Any]) -> None:
    # A prefetch abandoned by a caller who stopped iterating must not log
    # "Task exception was never retrieved".
    if not task.cancelled():
        task.exception()


class AsyncPaginator(KeyHolder, Generic[T]):
    """What a list method returns, at once and without ``await``.

    - ``async for item in paginator`` yields every item across pages, requesting the
      endpoint's largest ``per_page`` unless one was given, fetching page n+1 while page n is
      consumed, and never yielding an item whose id was on the previous page (offset pages
      over live, newest-first data shift when new items arrive).
    - ``paginator.pages()`` yields :class:`Page` objects, with the same prefetch; with
      ``unique=True``, less the items the previous page held (a page's ``summary`` with the
      items iteration yields).
    - ``await paginator.first_page()`` returns one page (the caller's ``page``/``per_page``,
      else the server's defaults).
    """

    def __init__(
        self,
        fetch: FetchPage[T],
        *,
        key: Callable[[T], Hashable],
        page: int | None,
        per_page: int | None,
        max_per_page: int,
    ) -> None:
        self._fetch = fetch
        self._key = key
        self._start = page or 1
        self._page = page
        self._per_page = per_page
        self._max_per_page = max_per_page

    async def first_page(self) -> Page[T]:
        """The first requested page alone."""
        return await self._fetch(self._start, self._per_page)

    def pages(self, *, unique: bool = False) -> AsyncIterator[Page[T]]:
        """Every page from the first requested one to the last, prefetching the next.

        With ``unique=True`` each page leaves out the items whose id was on the page before it,
        as iterating items does; its ``meta`` and ``summary`` stay as the server sent them.
        """
        return self._unique_pages() if unique else self._pages()

    async def _pages(self) -> AsyncIterator[Page[T]]:
        size = self._per_page or self._max_per_page
        number = self._start
        pending: asyncio.Future[Page[T]] | None = asyncio.ensure_future(self._fetch(number, size))
        try:
            while pending is not None:
                page = await pending
                pending = None
                if page.data and page.meta.page < page.meta.total_pages:
                    number += 1
                    pending = asyncio.ensure_future(self._fetch(number, size))
                    pending.add_done_callback(_retrieve)
                yield page
        finally:
            if pending is not None:
                pending.cancel()

    async def _unique_pages(self) -> AsyncIterator[Page[T]]:
        """The pages, less the items already yielded (by id) on the previous page."""
        key = self._key
        previous: set[Hashable] = set()
        async for page in self._pages():
            kept: list[T] = []
            current: set[Hashable] = set()
            for item in page.data:
                item_id = key(item)
                if item_id in previous or item_id in current:
                    continue
                current.add(item_id)
                kept.append(item)
            previous = current
            yield page if len(kept) == len(page.data) else attrs.evolve(page, data=kept)

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncIterator[T]:
        async for page in self._unique_pages():
            for item in page.data:
                yield item

    @safe_repr
    def __repr__(self) -> str:
        return f"<AsyncPaginator page={self._start} per_page={self._per_page}>"


AsyncPaginator.__module__ = "freestyle_async"
