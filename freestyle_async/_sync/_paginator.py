"""``SyncPaginator``: the blocking twin of :class:`~freestyle_async.AsyncPaginator`."""

from __future__ import annotations

import enum
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from typing import Final, Generic, TypeVar

from .._reprs import safe_repr
from .._secrets import KeyHolder
from ..models import Page
from ..pagination import AsyncPaginator
from ._portal import Portal

__all__ = ["SyncPaginator"]

T = TypeVar("T")
_X = TypeVar("_X")


class _End(enum.Enum):
    END = "END"


_END: Final = _End.END


async def _next_or_end(iterator: AsyncIterator[_X]) -> _X | _End:
    return await anext(iterator, _END)


class SyncPaginator(KeyHolder, Generic[T]):
    """What a list method of :class:`~freestyle_async.Freestyle` returns, at once.

    - ``for item in paginator`` yields every item across pages;
    - ``paginator.pages()`` yields :class:`~freestyle_async.Page` objects;
    - ``paginator.to_list(limit=None)`` returns the items (at most ``limit``), requesting only
      the pages needed for them, in one round trip to the loop thread;
    - ``paginator.first_page()`` returns one page;
    - ``paginator.prefetch(n)`` gives a paginator with up to ``n`` pages requested ahead.

    It drives the :class:`~freestyle_async.AsyncPaginator` on the client's loop thread, one
    round trip per page (never per item), so its window of pages requested ahead, its
    largest-``per_page`` default and its no-repeated-item rule all hold here too. Each
    ``for`` loop starts from the first requested page again.
    """

    __slots__ = ("_paginator", "_portal")

    def __init__(self, portal: Portal, paginator: AsyncPaginator[T]) -> None:
        self._portal = portal
        self._paginator = paginator

    def prefetch(self, pages: int) -> SyncPaginator[T]:
        """This paginator with up to ``pages`` pages requested ahead of the one being read
        (1 to 32; the default is 8, and 1 fetches page n+1 while page n is consumed)."""
        return SyncPaginator(self._portal, self._paginator.prefetch(pages))

    def first_page(self) -> Page[T]:
        """The first requested page alone."""
        return self._portal.call(self._paginator.first_page)

    def to_list(self, limit: int | None = None) -> list[T]:
        """Every item (as iterating yields them), or the first ``limit`` of them, requesting
        only the pages those need."""
        return self._portal.call(self._paginator.to_list, limit)

    def pages(self, *, unique: bool = False) -> Iterator[Page[T]]:
        """Every page from the first requested one to the last, with the next ones prefetched.

        With ``unique=True`` each page leaves out the items whose id was on the page before it,
        as iterating items does; its ``meta`` and ``summary`` stay as the server sent them.
        """
        return self._drive(self._paginator.pages(unique=unique))

    def __iter__(self) -> Iterator[T]:
        for page in self._drive(self._paginator.pages(unique=True)):
            yield from page.data

    def _drive(self, source: AsyncIterator[_X]) -> Iterator[_X]:
        # ``source`` is an async generator that has not started: it starts (and runs) on the
        # loop thread only. Leaving the loop early closes it there, cancelling any prefetch.
        call = self._portal.call
        ended = False
        try:
            while (value := call(_next_or_end, source)) is not _END:
                yield value
            ended = True
        finally:
            if not ended:  # once the end was seen, the generator has closed itself
                assert isinstance(source, AsyncGenerator)  # as pages() is
                self._portal.spawn(source.aclose)

    @safe_repr
    def __repr__(self) -> str:
        return f"<SyncPaginator of {self._paginator!r}>"


SyncPaginator.__module__ = "freestyle_async"
