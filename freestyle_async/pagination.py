"""Paginators: one page at a time, or every item across pages with the next pages prefetched."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from typing import Any, Generic, TypeVar

import attrs

from ._params import check_int, shown
from ._reprs import safe_repr
from ._secrets import KeyHolder
from .errors import DecodeError, ValidationError
from .models import Page

__all__ = ["AsyncPaginator"]

T = TypeVar("T")

FetchPage = Callable[[int, int | None], Awaitable[Page[T]]]


DEFAULT_PREFETCH = 8
"""Pages requested ahead of the one being read, unless ``paginator.prefetch(n)`` says."""

MAX_PREFETCH = 32

MAX_REPEATED_PAGES = 5
"""Pages in a row that bring no item the page before them did not hold, before iteration
stops with a :class:`DecodeError`. New items arriving while a list is read can repeat a page
now and then (it takes ``per_page`` of them between two requests); a server that ignores
``page`` repeats it for ever."""


def _check_prefetch(pages: int) -> int:
    if isinstance(pages, bool) or not isinstance(pages, int) or not 1 <= pages <= MAX_PREFETCH:
        raise ValidationError(
            f"prefetch must be an integer from 1 to {MAX_PREFETCH}, got {shown(pages)}"
        )
    return pages


async def _cancel_all(tasks: list[asyncio.Task[Any]]) -> None:
    """Cancel ``tasks`` and wait until each has finished, so no request is left running."""
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks)


class _Dedupe(Generic[T]):
    """Leaves out of each page the items whose id was on the page before it (or earlier on
    the same page).

    "The page before it" is that page as the server sent it, not what was left of it: a page
    made only of repeats still holds the items the next page may repeat again.
    """

    def __init__(self, key: Callable[[T], Hashable]) -> None:
        self._key = key
        self._previous: set[Hashable] = set()

    def __call__(self, page: Page[T]) -> Page[T]:
        kept: list[T] = []
        current: set[Hashable] = set()  # every id of this page, kept or not
        previous = self._previous
        for item in page.data:
            item_id = self._key(item)
            if item_id in current:
                continue
            current.add(item_id)
            if item_id not in previous:
                kept.append(item)
        self._previous = current
        return page if len(kept) == len(page.data) else attrs.evolve(page, data=kept)


def _retrieve(task: asyncio.Future[Any]) -> None:
    # A prefetch abandoned by a caller who stopped iterating must not log
    # "Task exception was never retrieved".
    if not task.cancelled():
        task.exception()


class AsyncPaginator(KeyHolder, Generic[T]):
    """What a list method returns, at once and without ``await``.

    - ``async for item in paginator`` yields every item across pages, requesting the
      endpoint's largest ``per_page`` unless one was given, never yielding an item whose id was
      on the previous page (offset pages over live, newest-first data shift when new items
      arrive).
    - ``paginator.pages()`` yields :class:`Page` objects; with ``unique=True``, less the items
      the previous page held (a page's ``summary`` with the items iteration yields).
    - ``await paginator.to_list(limit=None)`` returns the items (at most ``limit``),
      requesting only the pages needed for them.
    - ``await paginator.first_page()`` returns one page (the caller's ``page``/``per_page``,
      else the server's defaults).

    Once the first page gives ``total_pages``, up to 8 following pages are requested ahead
    (``paginator.prefetch(n)`` gives a paginator with another window), never
    past the last page; pages and items still come in page order, and an error on a page is
    raised after every item of the pages before it. The client's ``max_concurrency`` and rate
    limits hold for these requests as for any other.

    Iterating, ``pages()`` and ``to_list()`` stop with a :class:`DecodeError` when 5 pages in a
    row hold no item the page before them did not (a server that ignores ``page`` would
    otherwise be asked for every page up to its ``total_pages``).
    """

    def __init__(
        self,
        fetch: FetchPage[T],
        *,
        key: Callable[[T], Hashable],
        page: int | None,
        per_page: int | None,
        max_per_page: int,
        prefetch: int = DEFAULT_PREFETCH,
        endpoint: str = "",
    ) -> None:
        self._fetch = fetch
        self._endpoint = endpoint
        self._key = key
        self._start = page or 1
        self._page = page
        self._per_page = per_page
        self._max_per_page = max_per_page
        self._prefetch = _check_prefetch(prefetch)

    def prefetch(self, pages: int) -> AsyncPaginator[T]:
        """This paginator with up to ``pages`` pages requested ahead of the one being read
        (1 to 32; the default is 8, and 1 fetches page n+1 while page n is consumed)."""
        return AsyncPaginator(
            self._fetch,
            key=self._key,
            page=self._page,
            per_page=self._per_page,
            max_per_page=self._max_per_page,
            prefetch=pages,
            endpoint=self._endpoint,
        )

    async def first_page(self) -> Page[T]:
        """The first requested page alone."""
        return await self._fetch(self._start, self._per_page)

    def pages(self, *, unique: bool = False) -> AsyncIterator[Page[T]]:
        """Every page from the first requested one to the last, with the next ones prefetched.

        With ``unique=True`` each page leaves out the items whose id was on the page before it,
        as iterating items does; its ``meta`` and ``summary`` stay as the server sent them.
        """
        return self._pages(unique=unique, limit=None)

    async def to_list(self, limit: int | None = None) -> list[T]:
        """Every item (as iterating yields them), or the first ``limit`` of them, requesting
        only the pages those need."""
        wanted = check_int("limit", limit, minimum=0)
        items: list[T] = []
        if wanted == 0:
            return items
        async for page in self._pages(unique=True, limit=wanted):
            items.extend(page.data)
        return items if wanted is None else items[:wanted]

    async def _pages(self, *, unique: bool, limit: int | None) -> AsyncIterator[Page[T]]:
        """The pages in order, up to ``self._prefetch`` requested ahead; with ``limit``, none
        past the one that completes ``limit`` (unique) items."""
        size = self._per_page or self._max_per_page
        ahead: deque[tuple[int, asyncio.Task[Page[T]]]] = deque()
        dedupe = _Dedupe(self._key)
        number = self._start
        counted = 0
        repeated = 0  # pages in a row with nothing new, up to this one
        try:
            page = await self._fetch(number, size)
            while True:
                # The last page worth requesting, as far as this page tells (an empty page
                # ends the list, whatever its meta says).
                last = page.meta.total_pages if page.data else number
                fresh = dedupe(page)
                repeated = repeated + 1 if page.data and not fresh.data else 0
                if repeated >= MAX_REPEATED_PAGES:
                    raise self._repeating(number - repeated + 1, number, size, last)
                if unique:
                    page = fresh
                counted += len(page.data)
                if limit is not None:
                    last = min(last, number + -(-max(limit - counted, 0) // size))
                dropped: list[asyncio.Task[Page[T]]] = []
                while ahead and ahead[-1][0] > last:
                    dropped.append(ahead.pop()[1])
                await _cancel_all(dropped)
                following = ahead[-1][0] + 1 if ahead else number + 1
                while following <= last and len(ahead) < self._prefetch:
                    task = asyncio.ensure_future(self._fetch(following, size))
                    task.add_done_callback(_retrieve)
                    ahead.append((following, task))
                    following += 1
                yield page
                if not ahead:
                    return
                total = page.meta.total
                number, task = ahead.popleft()
                page = await task
                if page.meta.total < total:
                    # Answered before items arrived that an earlier page already counts: the
                    # item pushed onto this page would be missed, so read the page again.
                    page = await self._fetch(number, size)
        finally:
            await _cancel_all([task for _, task in ahead])

    def _repeating(self, first: int, last: int, size: int, total_pages: int) -> DecodeError:
        endpoint = self._endpoint or "the list endpoint"
        return DecodeError(
            f"{endpoint}: pages {first} to {last} (per_page={size}) each held only items already"
            f" on the page before it; the server seems to ignore `page` (or the list grows as"
            f" fast as it is read), so iteration stopped instead of requesting every page up to"
            f" total_pages={total_pages}",
            endpoint=self._endpoint,
        )

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncIterator[T]:
        async for page in self._pages(unique=True, limit=None):
            for item in page.data:
                yield item

    @safe_repr
    def __repr__(self) -> str:
        return (
            f"<AsyncPaginator page={self._start} per_page={self._per_page}"
            f" prefetch={self._prefetch}>"
        )


AsyncPaginator.__module__ = "freestyle_async"
