"""One page of a list endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

import attrs

from ._serial import Serialisable
from .sms import MessageSummary

__all__ = ["Page", "PageMeta"]

T = TypeVar("T")


@attrs.frozen
class PageMeta(Serialisable):
    """Pagination facts of one page."""

    page: int
    per_page: int
    total: int
    total_pages: int


@attrs.frozen
class Page(Serialisable, Generic[T]):
    """One page of a list endpoint: its items, its ``meta``, and for SMS messages the
    ``summary`` of everything that matches the filters."""

    data: list[T]
    meta: PageMeta
    summary: MessageSummary | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    @property
    def has_next(self) -> bool:
        """Whether a later page exists."""
        return self.meta.page < self.meta.total_pages
